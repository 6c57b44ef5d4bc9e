import re

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.rules import TEXT_LIMITS

LINE_CODES = {"t": "account.analytic.line", "e": "hr.expense"}
MODEL_CODES = {model: code for code, model in LINE_CODES.items()}
PAGE_SIZE = 20
# a record id as PostgreSQL stores it: ASCII digits, at most 2**31 - 1
ID_RE = re.compile(r"[0-9]{1,10}\Z", re.ASCII)
MAX_ID = 2**31 - 1
# hours as the client types them: H:MM as Odoo shows hours, or a number
# (4, 4.5 or 4,5)
HOURS_RE = re.compile(r"([0-9]{1,4}):([0-5][0-9])\Z", re.ASCII)
NUMBER_RE = re.compile(r"[0-9]{1,4}(?:[.,][0-9]{1,4})?\Z", re.ASCII)


def parse_hours(value):
    """Hours typed on the page as a number of hours, or None when they
    cannot be read."""
    value = (value or "").strip() if isinstance(value, str) else ""
    if match := HOURS_RE.match(value):
        return int(match[1]) + int(match[2]) / 60
    if NUMBER_RE.match(value):
        return float(value.replace(",", "."))
    return None


def parse_id(value):
    """An id from a URL or a form, or None when it cannot be one."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    value = str(value)
    if not ID_RE.match(value) or int(value) > MAX_ID:
        return None
    return int(value)


class ClientApprovalPortal(CustomerPortal):
    """The client's side: the list of letters addressed to them, one letter's
    page, and the form that records their decisions.

    Every route checks access with ``_document_check_access`` (a logged-in
    user's record rules, or the letter's access token) before it touches the
    letter in sudo. Only the client answers: a visitor with the letter's
    token, or a portal user of the approver's company; an internal user sees
    the page read-only, whatever their groups. Every answer goes through
    ``client_decide``. Bad input gets a clear page (HTTP 400), never a
    server error."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "client_approval_count" in counters:
            Letter = request.env["lift.client.approval"]
            values["client_approval_count"] = (
                Letter.search_count(self._client_approval_domain())
                if Letter.has_access("read")
                else 0
            )
        return values

    def _html_values(self):
        """The page's language on its ``<html>`` element, for assistive
        technology (Odoo's portal layout sets none)."""
        return {"html_data": {"lang": (request.env.lang or "en_US").replace("_", "-")}}

    def _client_approval_domain(self):
        # record rules restrict to the user's commercial partner, and to the
        # letters that went to it
        return request.env["lift.client.approval"]._get_went_to_client_domain()

    # ------------------------------------------------------------------
    # List
    # ------------------------------------------------------------------

    @http.route(
        ["/my/client-approvals", "/my/client-approvals/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_client_approvals(self, page=1, message=None, **kw):
        Letter = request.env["lift.client.approval"]
        if not Letter.has_access("read"):
            return request.redirect("/my")
        domain = self._client_approval_domain()
        count = Letter.search_count(domain)
        pager = portal_pager(
            url="/my/client-approvals", total=count, page=page, step=PAGE_SIZE
        )
        # found under the portal user's record rules: safe to read in sudo
        letters_sudo = Letter.search(
            domain,
            order="state desc, deadline, id desc",
            limit=PAGE_SIZE,
            offset=pager["offset"],
        ).sudo()
        request.session["my_client_approvals_history"] = letters_sudo.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "letters": letters_sudo,
                "pager": pager,
                "page_name": "client_approval",
                "default_url": "/my/client-approvals",
                "message": message,
                "approved_count": kw.get("approved"),
                "failed": kw.get("failed"),
                **self._html_values(),
            }
        )
        return request.render("lift_client_approval.portal_my_client_approvals", values)

    @http.route(
        "/my/client-approvals/approve",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_client_approvals_approve(self, **post):
        """Approve several letters at once: each one all or nothing, as the
        logged-in portal user (``client_decide`` checks they are the
        client)."""
        ids = request.httprequest.form.getlist("letter_ids")
        approved, failed = 0, []
        Letter = request.env["lift.client.approval"]
        for raw_id in ids:
            letter_id = parse_id(raw_id)
            try:
                if letter_id is None:
                    raise MissingError(request.env._("Unknown letter."))
                self._document_check_access("lift.client.approval", letter_id)
                letter = Letter.browse(letter_id)
                with request.env.cr.savepoint():
                    letter.client_decide(
                        letter.sudo()._get_pending_decisions("approved"),
                        signer_name=request.env.user.partner_id.name,
                    )
                approved += 1
            except (AccessError, MissingError, UserError, ValidationError):
                failed.append(raw_id)
        return request.redirect(
            f"/my/client-approvals?approved={approved}&failed={len(failed)}"
        )

    # ------------------------------------------------------------------
    # One letter
    # ------------------------------------------------------------------

    @http.route(
        "/my/client-approvals/<int:letter_id>",
        type="http",
        auth="public",
        website=True,
    )
    def portal_client_approval_page(
        self, letter_id, access_token=None, report_type=None, download=False, **kw
    ):
        letter_sudo, response = self._get_letter_sudo(letter_id, access_token)
        if response:
            return response
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=letter_sudo,
                report_type=report_type,
                report_ref="lift_client_approval.action_report_timesheet_letter",
                download=download,
            )
        return self._render_letter(letter_sudo, access_token, message=kw.get("message"))

    def _get_letter_sudo(self, letter_id, access_token):
        """The letter the visitor may see (by their login's record rules or
        the letter's token), in sudo, and None; or None and the page to
        answer with instead: a bad address, or back to the portal."""
        if parse_id(letter_id) is None:
            return None, self._bad_request()
        try:
            letter_sudo = self._document_check_access(
                "lift.client.approval", letter_id, access_token=access_token
            )
        except (AccessError, MissingError):
            former = request.env["lift.client.approval.link"]._find(
                letter_id, access_token
            )
            if former:
                return None, self._former_link_page(former)
            return None, request.redirect("/my")
        return letter_sudo, None

    def _former_link_page(self, former):
        """The page of a link that no longer opens its letter: renewed, or
        the letter handed to another approver. It shows nothing of the
        letter and decides nothing."""
        request.update_context(lang=former.letter_id._get_approver_lang())
        return request.render(
            "lift_client_approval.portal_client_approval_former_link",
            {"former": former, **self._html_values()},
            status=410,
        )

    def _use_approver_language(self, letter_sudo):
        """A visitor with the link and no login sees the page in the
        approver's language."""
        if request.env.user._is_public():
            request.update_context(lang=letter_sudo._get_approver_lang())

    def _bad_request(self, message=None):
        """A clear page for a request that cannot be right (HTTP 400)."""
        return request.render(
            "lift_client_approval.portal_client_approval_bad_request",
            {
                "message": message
                or request.env._(
                    "This address does not lead to a timesheet letter. Please open "
                    "the link from your e-mail again."
                ),
                **self._html_values(),
            },
            status=400,
        )

    def _receipts_by_expense(self, letters_sudo):
        """{expense id: its receipts the client may see}, for the lines'
        links."""
        receipts = {}
        for receipt in letters_sudo._get_client_receipts():
            receipts.setdefault(receipt.res_id, []).append(receipt)
        return receipts

    def _answer_values(self, error, form, field_errors):
        """What an answer's page shows again after a refusal: the message,
        what the client typed, the message at each field."""
        return {
            "error": error,
            "field_errors": field_errors or {},
            "first_invalid": next(iter(field_errors or {}), None),
            "form": form or {},
        }

    def _field_errors(self, problems):
        """``_get_answer_problems``' problems as {field id: its message}."""
        return {
            f"{field}-{MODEL_CODES[model]}-{res_id}": message
            for (model, res_id), (field, message, _error) in problems.items()
        }

    def _form_signature(self, form):
        """The signature the page's component put in the form, as base64
        data (it sends a data URL), or None."""
        signature = form.get("signature") or None
        return signature.split(",", 1)[-1] if signature else None

    def _render_letter(
        self, letter_sudo, access_token, error=None, form=None, field_errors=None, **kw
    ):
        self._use_approver_language(letter_sudo)
        letter_sudo = letter_sudo.with_context(lang=request.env.lang)
        values = {
            "receipts_by_expense": self._receipts_by_expense(letter_sudo),
            "receipt_url": self._letter_receipt_url,
            "letter": letter_sudo,
            "timesheets": letter_sudo.timesheet_ids.sorted(
                lambda line: (line.date, line.id)
            ),
            "expenses": letter_sudo.expense_ids.sorted(
                lambda line: (line.date, line.id)
            ),
            "token": access_token,
            **self._answer_values(error, form, field_errors),
            "page_name": "client_approval",
            "report_type": "html",
            "res_company": letter_sudo.company_id,
            "line_code": MODEL_CODES,
            "can_answer": letter_sudo.with_env(request.env)._can_answer(access_token),
            "text_limits": TEXT_LIMITS,
            **self._html_values(),
            **kw,
        }
        values = self._get_page_view_values(
            letter_sudo,
            access_token,
            values,
            "my_client_approvals_history",
            False,
        )
        return request.render(
            "lift_client_approval.portal_client_approval_page",
            values,
            status=400 if error else 200,
        )

    @http.route(
        "/my/client-approvals/<int:letter_id>/receipt/<int:attachment_id>",
        type="http",
        auth="public",
        website=True,
    )
    def portal_client_approval_receipt(
        self, letter_id, attachment_id, access_token=None, **kw
    ):
        """An expense's receipt, for whoever may see the letter."""
        if parse_id(attachment_id) is None:
            return self._bad_request()
        letter_sudo, response = self._get_letter_sudo(letter_id, access_token)
        if response:
            return response
        return self._receipt_response(letter_sudo, attachment_id)

    @http.route(
        "/my/client-approvals/<int:letter_id>/decide",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_client_approval_decide(self, letter_id, access_token=None, **post):
        letter_sudo, response = self._get_letter_sudo(letter_id, access_token)
        if response:
            return response
        form = request.httprequest.form
        try:
            # as the visitor: the model says who may answer
            letter = letter_sudo.with_env(request.env)
            letter._get_decided_by(access_token=access_token)
            seen_round = self._form_round(form, "round")
            letter._check_submission_round(seen_round)
            decisions = self._parse_decisions(letter_sudo, form)
            problems = letter_sudo._get_answer_problems(decisions)
            if problems:
                letter_sudo.invalidate_recordset()
                return self._render_letter(
                    letter_sudo,
                    access_token,
                    error=self._problems_message(problems),
                    form=form,
                    field_errors=self._field_errors(problems),
                )
            with request.env.cr.savepoint():
                letter.client_decide(
                    decisions,
                    signer_name=form.get("signer_name"),
                    signature=self._form_signature(form),
                    client_reference=form.get("client_reference"),
                    access_token=access_token,
                    submission_count=seen_round,
                )
        except (AccessError, UserError, ValidationError) as error:
            letter_sudo.invalidate_recordset()
            return self._render_letter(
                letter_sudo, access_token, error=error.args[0], form=form
            )
        return request.redirect(
            letter_sudo.get_portal_url(query_string="&message=decided")
        )

    @http.route(
        "/my/client-approvals/<int:letter_id>/forward",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_client_approval_forward(self, letter_id, access_token=None, **post):
        """Hand the letter to a colleague (``client_approval_forward`` says
        who may, and to whom)."""
        letter_sudo, response = self._get_letter_sudo(letter_id, access_token)
        if response:
            return response
        form = request.httprequest.form
        try:
            with request.env.cr.savepoint():
                letter_sudo.with_env(request.env).client_approval_forward(
                    form.get("forward_name"),
                    form.get("forward_email"),
                    access_token=access_token,
                )
        except (AccessError, UserError, ValidationError) as error:
            letter_sudo.invalidate_recordset()
            return self._render_letter(
                letter_sudo, access_token, error=error.args[0], form=form
            )
        letter_sudo.invalidate_recordset()
        return request.render(
            "lift_client_approval.portal_client_approval_forwarded",
            {
                "letter": letter_sudo,
                **self._firm_address_values(letter_sudo),
                **self._html_values(),
            },
        )

    def _firm_address_values(self, letter_sudo):
        """The notice of a letter forwarded to an address on our own domain
        (``_is_firm_address``): allowed, and said."""
        email = letter_sudo.partner_id.email_normalized
        if not letter_sudo._is_firm_address(email):
            return {}
        return {"firm_address": email, "firm_name": letter_sudo.company_id.name}

    def _form_round(self, form, name):
        """The round of the letter the page showed (``form[name]``); -1,
        which no letter has, when the form holds none."""
        seen = parse_id(form.get(name, ""))
        return -1 if seen is None else seen

    def _receipt_response(self, letters_sudo, attachment_id):
        """The download of a receipt the client may see on these letters."""
        receipt = letters_sudo._get_client_receipts().filtered(
            lambda attachment: attachment.id == attachment_id
        )
        if not receipt:
            raise request.not_found()
        return (
            request.env["ir.binary"]
            ._get_stream_from(receipt)
            .get_response(as_attachment=True)
        )

    def _letter_receipt_url(self, letter_sudo, receipt):
        """A receipt's link on the letter's own page: the letter's link."""
        return letter_sudo.get_portal_url(suffix=f"/receipt/{receipt.id}")

    def _form_decision(self, form, code, raw_id, res_id, value):
        """One line's answer on the form, as ``client_decide`` takes it."""
        decision = {
            "res_model": LINE_CODES[code],
            "res_id": res_id,
            "decision": value,
            "comment": form.get(f"comment-{code}-{raw_id}", ""),
        }
        if value == "corrected":
            decision["quantity"] = parse_hours(form.get(f"hours-{code}-{raw_id}"))
        return decision

    # ------------------------------------------------------------------
    # The approver's inbox: every letter awaiting them, on one page
    # ------------------------------------------------------------------

    def _get_inbox(self, access_token):
        """(the approver, their letters awaiting them in sudo, None) for the
        visitor: by the link to their inbox, or a portal user's own; or
        (None, None, the page to answer with instead)."""
        Letter = request.env["lift.client.approval"]
        if access_token:
            partner, fresh = Letter._read_inbox_token(access_token)
            letters_sudo = Letter._get_inbox_letters(partner) if fresh else None
            if not letters_sudo:
                # expired, or nothing awaits the approver any more
                return None, None, self._inbox_expired_page(access_token)
            return partner, letters_sudo, None
        user = request.env.user
        if user._is_portal():
            return user.partner_id, Letter._get_inbox_letters(user.partner_id), None
        if user._is_public():
            return (
                None,
                None,
                request.redirect("/web/login?redirect=/my/client-approvals/inbox"),
            )
        return None, None, request.redirect("/my/client-approvals")

    def _inbox_expired_page(self, access_token):
        """An inbox link that no longer works (or never did): the page offers
        a new one, sent to the address on file, and tells nothing of whose
        link it was."""
        return request.render(
            "lift_client_approval.portal_client_approval_inbox_expired",
            {"token": access_token, **self._html_values()},
            status=410,
        )

    @http.route(
        "/my/client-approvals/inbox",
        type="http",
        auth="public",
        website=True,
    )
    def portal_client_approval_inbox(self, access_token=None, message=None, **kw):
        partner, letters_sudo, response = self._get_inbox(access_token)
        if response:
            return response
        return self._render_inbox(
            partner, letters_sudo, access_token, message=message, **kw
        )

    def _render_inbox(
        self,
        partner,
        letters_sudo,
        access_token,
        error=None,
        form=None,
        field_errors=None,
        **kw,
    ):
        if request.env.user._is_public() and letters_sudo:
            request.update_context(lang=letters_sudo[0]._get_approver_lang())
        letters_sudo = letters_sudo.with_context(lang=request.env.lang)
        timesheets = letters_sudo.timesheet_ids.sorted(lambda x: (x.date, x.id))
        expenses = letters_sudo.expense_ids.sorted(lambda x: (x.date, x.id))
        groups = {}
        for letter in letters_sudo:
            groups.setdefault(letter.project_id, {}).setdefault(
                letter.employee_id, []
            ).append(letter)
        values = {
            "partner": partner,
            "letters": letters_sudo,
            "groups": groups,
            "timesheets_by_letter": timesheets.grouped("client_approval_id"),
            "expenses_by_letter": expenses.grouped("client_approval_id"),
            "receipts_by_expense": self._receipts_by_expense(letters_sudo),
            "receipt_url": self._inbox_receipt_url(partner, access_token),
            "token": access_token,
            **self._answer_values(error, form, field_errors),
            "can_decide": True,
            "text_limits": TEXT_LIMITS,
            "total_hours": sum(letter._get_agreed_hours() for letter in letters_sudo),
            "page_name": "client_approval_inbox",
            **self._html_values(),
            **kw,
        }
        return request.render(
            "lift_client_approval.portal_client_approval_inbox",
            values,
            status=400 if error else 200,
        )

    @http.route(
        "/my/client-approvals/inbox/decide",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_client_approval_inbox_decide(self, access_token=None, **post):
        """One submission for many letters, each all or nothing: a letter
        that cannot be answered is reported by name, the others go through.
        Name, signature and reference apply to every letter answered."""
        partner, letters_sudo, response = self._get_inbox(access_token)
        if response:
            return response
        form = request.httprequest.form
        by_id = {letter.id: letter for letter in letters_sudo}
        answers, problems, failed = {}, {}, []
        for raw_id in form.getlist("letter_ids"):
            letter_sudo = by_id.get(parse_id(raw_id))
            if letter_sudo is None:
                failed.append(self._inbox_gone_message(partner, raw_id))
                continue
            seen_round = self._form_round(form, f"round-{raw_id}")
            try:
                letter_sudo._check_submission_round(seen_round)
            except UserError:
                failed.append(
                    request.env._(
                        "%(letter)s changed since you opened the page: look at it "
                        "again before you decide.",
                        letter=letter_sudo.name,
                    )
                )
                continue
            decisions = self._inbox_decisions(letter_sudo, form)
            if not decisions:
                continue
            problems.update(letter_sudo._get_answer_problems(decisions))
            answers[letter_sudo] = (decisions, seen_round)
        if problems:
            return self._render_inbox(
                partner,
                letters_sudo,
                access_token,
                error=self._problems_message(problems),
                form=form,
                field_errors=self._field_errors(problems),
            )
        signature = self._form_signature(form)
        answered = 0
        for letter_sudo, (decisions, seen_round) in answers.items():
            try:
                with request.env.cr.savepoint():
                    # as the visitor: by the inbox's link, or logged in
                    letter_sudo.with_env(request.env).client_decide(
                        decisions,
                        signer_name=form.get("signer_name"),
                        signature=signature,
                        client_reference=form.get("client_reference"),
                        inbox_token=access_token,
                        submission_count=seen_round,
                        from_inbox=True,
                    )
                answered += 1
            except (AccessError, UserError, ValidationError) as error:
                failed.append(f"{letter_sudo.name}: {error.args[0]}")
        letters_sudo = request.env["lift.client.approval"]._get_inbox_letters(partner)
        return self._render_inbox(
            partner,
            letters_sudo,
            access_token,
            answered=answered,
            failed=failed,
        )

    @http.route(
        "/my/client-approvals/inbox/forward",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_client_approval_inbox_forward(self, access_token=None, **post):
        """Hand every letter of one project on the inbox to a colleague
        (``client_approval_forward`` says who may, and to whom): all of them,
        or none."""
        partner, letters_sudo, response = self._get_inbox(access_token)
        if response:
            return response
        form = request.httprequest.form
        project_id = parse_id(form.get("project_id"))
        chosen = letters_sudo.filtered(lambda x: x.project_id.id == project_id)
        try:
            if not chosen:
                raise UserError(
                    request.env._("No letter of that project awaits your answer.")
                )
            with request.env.cr.savepoint():
                for letter_sudo in chosen:
                    letter_sudo.with_env(request.env).client_approval_forward(
                        form.get("forward_name"),
                        form.get("forward_email"),
                        inbox_token=access_token,
                    )
        except (AccessError, UserError, ValidationError) as error:
            return self._render_inbox(
                partner, letters_sudo, access_token, error=error.args[0], form=form
            )
        return self._render_inbox(
            partner,
            request.env["lift.client.approval"]._get_inbox_letters(partner),
            access_token,
            forwarded=chosen,
            **self._firm_address_values(chosen[0]),
        )

    def _inbox_receipt_url(self, partner, access_token):
        """A receipt's link on the inbox: the letter's own link for the
        letter's approver; for a deputy, the inbox's (the deputy never holds
        the approver's keys, and the inbox's link stops with their
        period)."""

        def receipt_url(letter_sudo, receipt):
            if letter_sudo.partner_id == partner:
                return self._letter_receipt_url(letter_sudo, receipt)
            query = f"?access_token={access_token}" if access_token else ""
            return f"/my/client-approvals/inbox/receipt/{receipt.id}{query}"

        return receipt_url

    @http.route(
        "/my/client-approvals/inbox/receipt/<int:attachment_id>",
        type="http",
        auth="public",
        website=True,
    )
    def portal_client_approval_inbox_receipt(
        self, attachment_id, access_token=None, **kw
    ):
        """A receipt of a letter on the visitor's inbox."""
        if parse_id(attachment_id) is None:
            return self._bad_request()
        _partner, letters_sudo, response = self._get_inbox(access_token)
        if response:
            return response
        return self._receipt_response(letters_sudo, attachment_id)

    def _inbox_gone_message(self, partner, raw_id):
        """Why a letter of the page can no longer be answered, by its name
        when it is the approver's (never another's)."""
        letter_id = parse_id(raw_id)
        former = (
            request.env["lift.client.approval"]
            .sudo()
            .search([("id", "=", letter_id or 0), ("partner_id", "=", partner.id)])
        )
        if not former:
            return request.env._("A letter of the page no longer awaits your answer.")
        return request.env._(
            "%(letter)s no longer awaits your answer: it is %(state)s.",
            letter=former.name,
            state=former._get_state_label(),
        )

    def _inbox_decisions(self, letter_sudo, form):
        """The form's answers on this letter's pending lines; every one of
        them approved with "Approve everything on this page"."""
        if form.get("approve_all"):
            return letter_sudo._get_pending_decisions("approved")
        decisions = []
        for lines in letter_sudo._get_pending_lines():
            for line in lines:
                code = MODEL_CODES[line._name]
                value = form.get(f"decision-{code}-{line.id}")
                if value:
                    decisions.append(
                        self._form_decision(form, code, str(line.id), line.id, value)
                    )
        return decisions

    @http.route(
        "/my/client-approvals/inbox/new-link",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_client_approval_inbox_new_link(self, access_token=None, **post):
        """E-mail a new inbox link to the approver the old one was signed
        for, at the address on file (never one typed on the page); the page
        says the same whether or not one was sent."""
        Letter = request.env["lift.client.approval"]
        partner, _valid = Letter._read_inbox_token(access_token)
        if partner:
            Letter._send_inbox_link(partner)
        return request.render(
            "lift_client_approval.portal_client_approval_inbox_link_sent",
            self._html_values(),
        )

    def _problems_message(self, problems):
        """The page's message above the answers that cannot be given as they
        are, each shown at its field too."""
        if len(problems) == 1:
            return next(iter(problems.values()))[2]
        return request.env._(
            "%(count)s answers cannot be sent as they are: see the message at "
            "each line.",
            count=len(problems),
        )

    def _parse_decisions(self, letter_sudo, form):
        """The form's fields ``decision-<t|e>-<id>``, ``comment-<t|e>-<id>``
        and, for a correction, ``hours-t-<id>`` as the decisions of
        ``client_decide``; "approve all" approves every pending line."""
        if form.get("approve_all"):
            return letter_sudo._get_pending_decisions("approved")
        decisions = []
        for name, value in form.items():
            parts = name.split("-")
            if len(parts) != 3 or parts[0] != "decision" or not value:
                continue
            _prefix, code, raw_id = parts
            res_id = parse_id(raw_id)
            if code not in LINE_CODES or res_id is None:
                raise UserError(request.env._("The form holds an unknown line."))
            decisions.append(self._form_decision(form, code, raw_id, res_id, value))
        if not decisions:
            raise UserError(
                request.env._(
                    "Choose Approve, Reject or Correct for at least one line."
                )
            )
        return decisions

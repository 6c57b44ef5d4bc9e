import base64
import binascii
import io
import math

from PIL import Image
from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, consteq, float_compare
from odoo.tools.misc import format_duration

from .lift_client_approval_decision import DECIDED_BY
from .rules import (
    CORRECTABLE_MODEL,
    LINE_MODELS,
    TEXT_LIMITS,
    is_manager,
    msg_correction_needs_comment,
    msg_rejection_needs_comment,
    msg_say_how_client_answered,
)

# What the client may answer on a line: a correction gives the hours they
# accept instead of those logged (hours only, not expenses).
ANSWERS = [
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("corrected", "Corrected"),
]


class LiftClientApproval(models.Model):
    """The client's answer: who may give it, the checks of what they give,
    the locks that keep two answers apart, and the letter's conclusion.

    Every answer, from whatever door (the page the e-mail's link opens, the
    portal, a manager's record of an answer given by phone, automatic
    approval), goes through ``_client_decide`` once ``_get_decided_by``
    said who gives it: all or nothing."""

    # one model, laid out in files by responsibility
    _inherit = "lift.client.approval"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # The client's decisions (contract)
    # ------------------------------------------------------------------

    def client_decide(
        self,
        decisions,
        signer_name=None,
        signature=None,
        client_reference=None,
        on_behalf_note=None,
        access_token=None,
        inbox_token=None,
        submission_count=None,
        from_inbox=False,
    ):
        """Record the client's decisions on pending lines, all or none
        (contract).

        Who may answer is ``_get_decided_by``'s to say: a portal user of the
        approver's company, or the approver's deputy today; a visitor with
        the letter's link (``access_token``) or the link to their inbox
        (``inbox_token``); a client approval manager recording the client's
        answer on their behalf, with ``on_behalf_note`` saying how the
        client answered; and the addon's own code. Never the letter's own
        employee, whatever their groups. ``submission_count``, when given,
        is the round the client saw: an answer to a letter sent again since
        is refused, as on the page. ``from_inbox`` says the answer was given
        on the approver's inbox (with ``inbox_token`` it always is)."""
        self.ensure_one()
        decided_by = self._get_decided_by(on_behalf_note, access_token, inbox_token)
        self._check_submission_round(submission_count)
        return self._client_decide(
            decisions,
            decided_by,
            signer_name=signer_name,
            signature=signature,
            client_reference=client_reference,
            note=on_behalf_note,
            via_inbox=bool(from_inbox)
            or (bool(inbox_token) and self._check_inbox_token(inbox_token)),
            deputy=self._get_deputy_answering(inbox_token),
        )

    def _check_submission_round(self, submission_count):
        """Refuse an answer given to an earlier round of the letter than its
        current one (``submission_count``: the round the client saw, or None
        when the caller did not see the letter's page)."""
        self.ensure_one()
        if submission_count is None:
            return
        if submission_count != self.sudo().submission_count:
            raise UserError(
                self.env._(
                    "This timesheet letter changed since you opened the page. "
                    "Please look at it again before you decide."
                )
            )

    def _get_deputy_answering(self, inbox_token=None):
        """The approver's deputy today, when they are the one answering: by
        the link to their inbox, or logged in as a portal user; else an
        empty recordset."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        approver = self.sudo().partner_id
        if inbox_token:
            answerer = self._get_inbox_answerer(inbox_token)
        elif self.env.user._is_portal():
            answerer = self.env.user.partner_id
        else:
            return Partner
        deputy = approver._get_client_approval_deputy() if approver else Partner
        return answerer if answerer and answerer == deputy else Partner

    def action_record_on_behalf(self):
        self.ensure_one()
        self._check_can("record_on_behalf")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record the Client's Answer"),
            "res_model": "lift.client.approval.behalf.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_letter_id": self.id},
        }

    # ------------------------------------------------------------------
    # Who answers
    # ------------------------------------------------------------------

    def _get_decided_by(self, on_behalf_note=None, access_token=None, inbox_token=None):
        """How the current user may answer this letter (one of DECIDED_BY),
        or an error: the one rule of who answers a letter, for the model, the
        portal's routes and the page's buttons alike.

        Internal users answer only as managers on the client's behalf, with
        a note; a portal user of the approver's company answers as the
        client; so does a visitor (or a portal user of another company) who
        holds the letter's link or the link to its approver's inbox."""
        self.ensure_one()
        has_note = bool((on_behalf_note or "").strip())
        if self.env.su:
            return "on_behalf" if has_note else "client"
        self._check_not_own_letter()
        user = self.env.user
        letter = self.sudo()
        if user._is_internal():
            if is_manager(self.env):
                if not has_note:
                    raise UserError(msg_say_how_client_answered(self.env))
                return "on_behalf"
        elif letter._went_to_client():
            if user._is_portal() and (
                letter.partner_id.commercial_partner_id
                == user.partner_id.commercial_partner_id
                or self._get_deputy_answering()
            ):
                return "portal_user"
            if (
                access_token
                and isinstance(access_token, str)
                and letter.access_token
                and consteq(letter.access_token, access_token)
            ) or (inbox_token and self._check_inbox_token(inbox_token)):
                return "client"
        raise AccessError(
            self.env._(
                "Only the client answers timesheet letter %(letter)s: its approver "
                "by the link in the e-mail or on the portal, or a client approval "
                "manager on the client's behalf.",
                letter=letter.display_name,
            )
        )

    def _can_answer(self, access_token=None):
        """Whether the current user may answer this letter on its page (a
        manager's answer on the client's behalf needs the backend's note)."""
        try:
            self._get_decided_by(access_token=access_token)
        except (AccessError, UserError):
            return False
        return True

    def _check_not_own_letter(self):
        """Nobody answers for the client on their own hours."""
        if self._is_own_letter():
            raise AccessError(
                self.env._(
                    "You cannot answer for the client on your own timesheet "
                    "letter %(letter)s: only the client approves your hours.",
                    letter=self.sudo().display_name,
                )
            )

    # ------------------------------------------------------------------
    # The answer, once its giver is known
    # ------------------------------------------------------------------

    def _client_decide(
        self,
        decisions,
        decided_by,
        signer_name=None,
        signature=None,
        client_reference=None,
        note=None,
        via_inbox=False,
        deputy=None,
    ):
        """Apply an answer whose giver (the environment's user) was checked
        (``decided_by``, one of DECIDED_BY), all or none: the letter is
        awaiting the client, each line belongs to it and is still pending, a
        rejection carries a comment. Once no line is pending the letter is
        approved or, if any line was rejected, rejected. The answer is kept
        as a decision record and in the letter's history."""
        self.ensure_one()
        if decided_by not in dict(DECIDED_BY):
            raise UserError(self.env._("Unknown way of answering: %s", decided_by))
        user = self.env.user
        signer_name = self._clean_client_text(
            signer_name, "signer_name", self.env._("The signer's name")
        )
        client_reference = self._clean_client_text(
            client_reference, "client_reference", self.env._("Your reference")
        )
        note = self._clean_client_text(note, "note", self.env._("The note"))
        if decided_by == "on_behalf" and not note:
            raise UserError(msg_say_how_client_answered(self.env))
        signature = self._check_signature(signature)
        letter = self.sudo()._lock_for_decision()
        lines = letter._check_decisions(decisions)
        now = fields.Datetime.now()
        decision = (
            self.env["lift.client.approval.decision"]
            .sudo()
            .create(
                {
                    "letter_id": letter.id,
                    "decided_by": decided_by,
                    "user_id": user.id
                    if decided_by in ("portal_user", "on_behalf")
                    or (decided_by == "client" and not user._is_public())
                    else False,
                    "partner_id": letter.partner_id.id,
                    "signer_name": signer_name or False,
                    "note": note or False,
                    "client_reference": client_reference or False,
                    "decided_on": now,
                    "via_inbox": via_inbox,
                    "deputy_id": deputy.id if deputy else False,
                    "round": letter.submission_count,
                    "approved_count": sum(
                        1 for d in lines.values() if d["decision"] == "approved"
                    ),
                    "rejected_count": sum(
                        1 for d in lines.values() if d["decision"] == "rejected"
                    ),
                    "corrected_count": sum(
                        1 for d in lines.values() if d["decision"] == "corrected"
                    ),
                }
            )
        )
        for (model, res_id), line_decision in lines.items():
            line = self.env[model].sudo().browse(res_id)
            line.write(
                {
                    "client_approval_state": line_decision["decision"],
                    "client_approval_comment": line_decision.get("comment") or False,
                    "client_approval_decision_id": decision.id,
                }
            )
            if line_decision["decision"] == "corrected":
                line._client_approval_propose_correction(
                    decision, line_decision["quantity"]
                )
        vals = {
            "decided_by": decided_by,
            "decided_on": now,
            "decided_line_count": letter.decided_line_count + len(lines),
            "rejected_line_count": letter.rejected_line_count + decision.rejected_count,
            "corrected_line_count": letter.corrected_line_count
            + decision.corrected_count,
        }
        vals["deputy_id"] = deputy.id if deputy else False
        if signer_name:
            vals.update(signed_by=signer_name, signed_on=now)
        if signature:
            vals["signature"] = signature
        if client_reference:
            vals["client_reference"] = client_reference
        letter.write(vals)
        letter.message_post(
            body=decision._get_history_note(),
            author_id=(
                letter.partner_id
                if decided_by == "client" or decided_by == "portal_user"
                else user.partner_id
            ).id,
        )
        letter.invalidate_recordset(
            ["pending_count", "rejected_count", "corrected_count"]
        )
        if not letter.pending_count:
            letter._do_conclude()
        return True

    @api.model
    def _clean_client_text(self, value, kind, what):
        """A text the client (or a manager) typed, stripped; a clear error
        when it cannot be stored or is longer than its limit (``kind``: a
        key of TEXT_LIMITS)."""
        limit = TEXT_LIMITS[kind]
        if value in (None, False):
            return ""
        if not isinstance(value, str):
            raise UserError(self.env._("%(what)s must be text.", what=what))
        value = value.strip()
        if "\x00" in value:
            raise UserError(
                self.env._(
                    "%(what)s holds a character that cannot be stored (NUL). "
                    "Please type it again.",
                    what=what,
                )
            )
        if len(value) > limit:
            raise UserError(
                self.env._(
                    "%(what)s is too long: at most %(limit)s characters.",
                    what=what,
                    limit=limit,
                )
            )
        return value

    @api.model
    def _check_signature(self, signature):
        """A signature is a PNG or JPEG image of at most 2000 x 2000 pixels,
        in base64; return it, or raise a clear error."""
        if not signature:
            return None
        if isinstance(signature, bytes):
            signature = signature.decode("ascii", "replace")
        if not isinstance(signature, str) or len(signature) > 2_000_000:
            raise UserError(
                self.env._("The signature is too large. Please sign again.")
            )
        try:
            raw = base64.b64decode(signature, validate=True)
            with Image.open(io.BytesIO(raw)) as image:
                image_format, (width, height) = image.format, image.size
        except (binascii.Error, ValueError, OSError, Image.DecompressionBombError):
            raise UserError(
                self.env._("The signature could not be read. Please sign again.")
            ) from None
        if image_format not in ("PNG", "JPEG") or width > 2000 or height > 2000:
            raise UserError(
                self.env._(
                    "The signature must be a PNG or JPEG image of at most 2000 x "
                    "2000 pixels. Please sign again."
                )
            )
        return signature

    # ------------------------------------------------------------------
    # Locks
    # ------------------------------------------------------------------

    def _lock_rows(self, mode):
        """Lock these letters' rows (``mode``: "NOWAIT" or "SKIP LOCKED"),
        in a savepoint; return the ids locked. PostgreSQL's refusals are the
        callers' to answer, and not logged."""
        with self.env.cr.savepoint(flush=False):
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id IN %s FOR UPDATE %s",
                    SQL.identifier(self._table),
                    tuple(self.ids),
                    SQL(mode),
                ),
                log_exceptions=False,
            )
            return [row[0] for row in self.env.cr.fetchall()]

    def _lock_for_decision(self):
        """Take the letter's row lock so that two simultaneous answers cannot
        both be applied: the second one waits for nothing and is refused."""
        self.ensure_one()
        try:
            self._lock_rows("NOWAIT")
        except pg_errors.LockNotAvailable as error:
            raise UserError(
                self.env._(
                    "Somebody else is answering this timesheet letter right now. "
                    "Reload the page to see their answer."
                )
            ) from error
        self.invalidate_recordset()
        if self.state != "sent":
            raise UserError(
                self.env._(
                    "Timesheet letter %(letter)s is not awaiting your answer "
                    "(any more): it is %(state)s.",
                    letter=self.display_name,
                    state=self._get_state_label(),
                )
            )
        return self

    def _lock_skip_locked(self):
        """Those of these letters no other transaction is handling now."""
        if not self:
            return self
        try:
            ids = self._lock_rows("SKIP LOCKED")
        except pg_errors.SerializationFailure:
            # another run changed these letters since this one started: it
            # has handled them
            return self.browse()
        locked = self.browse(ids)
        locked.invalidate_recordset()
        return locked

    def _check_decisions(self, decisions):
        """Validate every decision before any is applied; return them keyed by
        (model, id)."""
        if not isinstance(decisions, list | tuple) or not decisions:
            raise UserError(self.env._("No decision was given."))
        valid = dict(ANSWERS)
        checked = {}
        for decision in decisions:
            if not isinstance(decision, dict):
                raise UserError(self.env._("Each decision must be a dictionary."))
            model = decision.get("res_model")
            res_id = decision.get("res_id")
            if model not in LINE_MODELS or not isinstance(res_id, int):
                raise UserError(
                    self.env._(
                        "Unknown line in the decisions: %(model)s %(id)s.",
                        model=model,
                        id=res_id,
                    )
                )
            if decision.get("decision") not in valid:
                raise UserError(
                    self.env._(
                        "A decision is 'approved', 'rejected' or 'corrected', "
                        "not '%(decision)s'.",
                        decision=decision.get("decision"),
                    )
                )
            if (model, res_id) in checked:
                raise UserError(
                    self.env._("A line was decided twice in the same answer.")
                )
            comment = self._clean_client_text(
                decision.get("comment"), "comment", self.env._("A comment")
            )
            checked[(model, res_id)] = dict(decision, comment=comment)
        own = {
            (line._name, line.id): line
            for lines in self.sudo()._get_lines()
            for line in lines
        }
        for key in checked:
            line = own.get(key)
            if line is None:
                raise UserError(
                    self.env._(
                        "A line in the answer does not belong to %(letter)s.",
                        letter=self.display_name,
                    )
                )
            if not line._client_approval_filter_pending():
                raise UserError(
                    self.env._(
                        "Line %(line)s has already been decided. Reload the page "
                        "to see the current state.",
                        line=line.display_name,
                    )
                )
        for decision in checked.values():
            if (
                decision["decision"] == "corrected"
                and decision["res_model"] == CORRECTABLE_MODEL
                and not self._is_hours_number(decision.get("quantity"))
            ):
                # the page reads the hours the client typed; a caller over RPC
                # gives them as a number
                raise UserError(
                    self.env._(
                        "Give the hours accepted for a corrected line as a number "
                        "(quantity), such as 4.0."
                    )
                )
        problems = self._get_answer_problems(list(checked.values()))
        if problems:
            raise UserError(next(iter(problems.values()))[2])
        return checked

    def _get_answer_problems(self, decisions):
        """What keeps lines' answers (``decisions``, as ``client_decide``
        takes them) from being given as they are, as {(model, id): (the
        field, "comment" or "hours"; the message at the field; the message
        of the error)}: a rejection or a correction without its comment, a
        correction of an expense, a correction's hours missing or not fewer
        than those logged. The page shows each at its field;
        ``client_decide`` refuses the first."""
        lines = {
            (line._name, line.id): line
            for lines in self.sudo()._get_lines()
            for line in lines
        }
        problems = {}
        for decision in decisions:
            key = (decision.get("res_model"), decision.get("res_id"))
            comment = (decision.get("comment") or "").strip()
            problem = None
            if decision.get("decision") == "rejected" and not comment:
                problem = (
                    "comment",
                    self.env._("Say why you reject this line."),
                    msg_rejection_needs_comment(self.env),
                )
            elif decision.get("decision") == "corrected":
                problem = self._get_correction_problem(
                    key[0], decision.get("quantity"), comment, lines.get(key)
                )
            if problem:
                problems[key] = problem
        return problems

    @api.model
    def _is_hours_number(self, quantity):
        return (
            not isinstance(quantity, bool)
            and isinstance(quantity, int | float)
            and math.isfinite(quantity)
        )

    @api.model
    def _get_correction_problem(self, model, quantity, comment, line):
        """What is wrong with a correction, as ``_get_answer_problems`` says
        it, or None: only hours are corrected, to a number of at least 0 and
        fewer than the line's (``line``, when known), saying why."""
        if model != CORRECTABLE_MODEL:
            message = self.env._(
                "Only hours can be corrected: approve or reject an expense."
            )
            return "hours", message, message
        if not self._is_hours_number(quantity):
            return (
                "hours",
                self.env._("Give the hours you accept, such as 4:00."),
                self.env._(
                    "Give the hours you accept for a corrected line, such as 4:00 "
                    "or 4.5."
                ),
            )
        if quantity < 0:
            message = self.env._("The hours you accept cannot be fewer than 0.")
            return "hours", message, message
        if line and float_compare(quantity, line.unit_amount, precision_digits=4) >= 0:
            hours = format_duration(line.unit_amount)
            return (
                "hours",
                self.env._(
                    "Fewer than the %(hours)s logged: to accept them all, "
                    "approve the line.",
                    hours=hours,
                ),
                self.env._(
                    "The hours you accept for %(line)s must be fewer than the "
                    "%(hours)s logged: to accept them all, approve the line.",
                    line=line.display_name,
                    hours=hours,
                ),
            )
        if not comment:
            return (
                "comment",
                self.env._("Say why you correct this line."),
                msg_correction_needs_comment(self.env),
            )
        return None

    def _do_conclude(self):
        """No line is pending any more: the letter is approved; or rejected
        and back with the employee; or, with corrections and no rejection,
        awaiting our answer to the corrections."""
        self.ensure_one()
        if self.rejected_count:
            self.sudo().write({"state": "rejected"})
            self._send_mail("lift_client_approval.mail_template_employee_rejected")
        elif self.corrected_count:
            # the client answered everything; what they corrected waits for
            # us, not for them
            self.sudo().write({"state": "corrected"})
            self._do_ask_for_correction_answer()
        else:
            self.sudo().write({"state": "approved"})
            self._queue_confirmation()
            self._send_mail("lift_client_approval.mail_template_employee_approved")

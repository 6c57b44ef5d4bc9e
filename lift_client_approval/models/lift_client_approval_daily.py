from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import format_amount

from .rules import days_overdue_sql, get_managers

# letters a scheduled daily run handles per call (see the daily run)
DAILY_BATCH = 100


class LiftClientApproval(models.Model):
    """The daily run: deadlines, reminders, automatic approval, the
    clients' digests and the managers' summary.

    The daily run is idempotent: a letter remembers the day it was reminded
    and warned, and rows are taken with ``SKIP LOCKED``, so that running it
    twice, or in two workers at once, sends nothing twice."""

    # one model, laid out in files by responsibility
    _inherit = "lift.client.approval"  # pylint: disable=consider-merging-classes-inherited

    reminder_count = fields.Integer(string="Reminders", readonly=True, copy=False)
    last_reminder_date = fields.Date(string="Last Reminder", readonly=True, copy=False)
    reminder_error = fields.Char(readonly=True, copy=False)
    days_overdue = fields.Integer(
        compute="_compute_days_overdue", search="_search_days_overdue"
    )
    auto_approval_date = fields.Date(
        compute="_compute_auto_approval_date",
        help="The day this letter is approved automatically if the client "
        "does not answer.",
    )
    auto_warning_date = fields.Date(readonly=True, copy=False)
    digest_pending = fields.Boolean(readonly=True, copy=False)

    @api.depends_context("tz")
    @api.depends("state", "deadline")
    def _compute_days_overdue(self):
        """Read from the one rule of days overdue (``days_overdue_sql``),
        which the Client Approval Analysis reads too."""
        ids = tuple(filter(None, self._origin.ids))
        overdue = {}
        if ids:
            self.flush_model(["state", "deadline"])
            self.env.cr.execute(
                SQL(
                    "SELECT id, %s FROM lift_client_approval letter WHERE id IN %s",
                    days_overdue_sql("letter", fields.Date.context_today(self)),
                    ids,
                )
            )
            overdue = dict(self.env.cr.fetchall())
        for letter in self:
            letter.days_overdue = overdue.get(letter._origin.id, 0)

    def _search_days_overdue(self, operator, value):
        if operator not in (">", ">=") or not isinstance(value, int):
            raise UserError(self.env._("Search overdue letters with > or >= a number."))
        days = value + 1 if operator == ">" else value
        self.flush_model(["state", "deadline"])
        query = SQL(
            "(SELECT id FROM lift_client_approval letter "
            "WHERE letter.state = 'sent' AND %s >= %s)",
            days_overdue_sql("letter", fields.Date.context_today(self)),
            max(days, 1),
        )
        return [("id", "in", query)]

    @api.depends("deadline", "project_id.client_approval_auto_days", "state")
    def _compute_auto_approval_date(self):
        for letter in self:
            days = letter.project_id.client_approval_auto_days
            letter.auto_approval_date = (
                letter.deadline + timedelta(days=days)
                if letter.state == "sent" and days and letter.deadline
                else False
            )

    # ------------------------------------------------------------------
    # Reminders by hand
    # ------------------------------------------------------------------

    def action_send_reminder(self):
        """Open the composer on the reminder template; the manager may edit
        the text, or save it as a new template."""
        self._check_can("remind")
        without_email = self.filtered(lambda letter: not letter.partner_id.email)
        if without_email:
            raise UserError(
                self.env._(
                    "These client approvers have no e-mail address:\n%(letters)s",
                    letters="\n".join(
                        f"{x.display_name}: {x.partner_id.display_name or '-'}"
                        for x in without_email
                    ),
                )
            )
        template = self.env.ref("lift_client_approval.mail_template_client_reminder")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Remind the Client"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_layout",
            },
        }

    def _count_reminder(self):
        today = fields.Date.context_today(self)
        for letter in self.sudo():
            letter.write(
                {
                    "reminder_count": letter.reminder_count + 1,
                    "last_reminder_date": today,
                    "reminder_error": False,
                }
            )

    # ------------------------------------------------------------------
    # The daily run
    # ------------------------------------------------------------------

    @api.model
    def _cron_client_approval_daily(self, batch_size=DAILY_BATCH):
        """Automatic approvals, then reminders, then digests. Run by the
        scheduler, at most ``batch_size`` letters per call, and Odoo is told
        how many are left: it commits the batch and calls again, so that a
        long run neither exceeds a worker's time limits nor starts over.
        Called directly, everything in one pass."""
        today = fields.Date.context_today(self)
        scheduled = bool(self.env.context.get("ir_cron_progress_id"))
        budget = batch_size if scheduled else None
        done = remaining = 0
        for step in (
            self._run_auto_approvals,
            self._run_deputy_escalations,
            self._run_reminders,
            self._run_digests,
            self._run_manager_digests,
        ):
            if budget is not None and budget <= 0:
                remaining += 1  # a step not reached in this batch
                continue
            processed, left = step(today, budget)
            done += processed
            remaining += left
            if budget is not None:
                budget -= processed
        if scheduled:
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.model
    def _run_reminders(self, today, limit):
        """Remind the approvers of at most ``limit`` (None: all) overdue
        letters; return how many were reminded and how many are still due."""
        candidates = self.sudo().search([("days_overdue", ">", 0)], order="id")
        due = candidates._lock_skip_locked().filtered(
            lambda letter: letter.state == "sent"
            and letter.reminder_count < letter.company_id.client_approval_reminder_max
            and (
                not letter.last_reminder_date
                or letter.last_reminder_date
                <= today
                - timedelta(days=letter.company_id.client_approval_reminder_interval)
            )
        )
        without_email = due.filtered(lambda letter: not letter.partner_id.email)
        for letter in without_email:
            error = self.env._(
                "No reminder sent: the client approver %(partner)s has no e-mail "
                "address.",
                partner=letter.partner_id.display_name or "-",
            )
            if letter.reminder_error != error:
                letter.reminder_error = error
                letter.message_post(body=error)
        due -= without_email
        batch = due[:limit]
        digest = batch.filtered("company_id.client_approval_digest")
        digest._count_reminder()
        digest.write({"digest_pending": True})
        (batch - digest)._send_mail(
            "lift_client_approval.mail_template_client_reminder", mass=True
        )
        (batch - digest)._count_reminder()
        # the deputy of an approver away is told too, unless the letter was
        # escalated to them today
        batch.filtered(
            lambda letter: letter.deputy_escalated_on != today
        )._notify_deputies("reminder")
        return len(batch), len(due) - len(batch)

    @api.model
    def _run_auto_approvals(self, today, limit):
        """Warn about, or approve, at most ``limit`` (None: all) letters whose
        client did not answer; return how many were handled and how many are
        left."""
        candidates = self.sudo().search(
            [
                ("state", "=", "sent"),
                ("project_id.client_approval_auto_days", ">", 0),
                ("deadline", "!=", False),
            ],
            order="id",
        )
        due = candidates._lock_skip_locked().filtered(
            lambda letter: letter.state == "sent"
            and (
                today >= letter.auto_approval_date
                or (
                    today >= letter._auto_warning_day() and not letter.auto_warning_date
                )
            )
        )
        batch = due[:limit]
        for letter in batch:
            if today >= letter.auto_approval_date:
                letter._client_decide(
                    letter._get_pending_decisions("approved"), "automatic"
                )
                letter.message_post(
                    body=self.env._(
                        "Approved automatically: the client did not answer within "
                        "%(days)s days after the deadline of %(deadline)s.",
                        days=letter.project_id.client_approval_auto_days,
                        deadline=letter.deadline,
                    )
                )
            else:
                letter._send_mail("lift_client_approval.mail_template_auto_warning")
                letter.auto_warning_date = today
        return len(batch), len(due) - len(batch)

    def _auto_warning_day(self):
        self.ensure_one()
        return self.auto_approval_date - timedelta(
            days=self.company_id.client_approval_auto_warning_days
        )

    @api.model
    def _run_digests(self, today, limit):
        """One digest to each approver with letters waiting to be listed,
        approvers taken whole until ``limit`` (None: all) letters are listed;
        return how many letters were listed and how many are left."""
        letters = self.sudo().search([("digest_pending", "=", True)], order="id")
        letters = letters._lock_skip_locked().filtered("digest_pending")
        batch = self.browse()
        for partner, partner_letters in letters.grouped("partner_id").items():
            if (
                batch
                and limit is not None
                and len(batch) + len(partner_letters) > limit
            ):
                break
            batch |= partner_letters
            if not partner.email:
                partner_letters.write(
                    {
                        "reminder_error": self.env._(
                            "No digest sent: the client approver has no e-mail "
                            "address."
                        )
                    }
                )
                continue
            partner_letters._send_digest(partner)
        batch.write({"digest_pending": False})
        return len(batch), len(letters) - len(batch)

    def _send_digest(self, partner):
        """One e-mail listing these letters, all addressed to ``partner``."""
        company = self.company_id[:1]
        lang = self[:1]._get_approver_lang()
        letters = self.with_context(lang=lang)
        body = (
            self.env["ir.qweb"]
            .with_context(lang=lang)
            ._render(
                "lift_client_approval.mail_digest_body",
                {
                    "partner": partner,
                    "letters": letters,
                    "company": company,
                    "inbox_url": self._get_inbox_url(partner),
                },
            )
        )
        subject = self.with_context(lang=lang).env._(
            "%(company)s: %(count)s timesheet letter(s) waiting for your approval",
            company=company.name,
            count=len(self),
        )
        self.env["mail.mail"].sudo().create(
            {
                "subject": subject,
                "body_html": body,
                "email_from": company.email_formatted or self.env.user.email_formatted,
                "recipient_ids": [fields.Command.link(partner.id)],
                "auto_delete": True,
            }
        )
        for letter in self:
            letter.message_post(
                body=self.env._(
                    "Included in the daily digest sent to %(partner)s.",
                    partner=partner.display_name,
                )
            )

    @api.model
    def _run_manager_digests(self, today, limit):
        """Once a day, each company that wants it sends its client approval
        managers a summary of the money waiting on clients; return how
        many companies were handled and how many are left."""
        companies = (
            self.env["res.company"]
            .sudo()
            .search(
                [
                    ("client_approval_manager_digest", "=", True),
                    "|",
                    ("client_approval_manager_digest_date", "=", False),
                    ("client_approval_manager_digest_date", "<", today),
                ],
                order="id",
            )
        )
        batch = companies[:limit]
        for company in batch:
            recipients = get_managers(self.env, company).filtered("email")
            if recipients:
                self._send_manager_digest(company, recipients.partner_id)
        batch.write({"client_approval_manager_digest_date": today})
        return len(batch), len(companies) - len(batch)

    @api.model
    def _get_manager_digest_values(self, company):
        """What the managers' summary says: letters awaiting clients and their
        revenue, the overdue ones, and the three clients with the most
        revenue waiting (from the Client Approval Analysis)."""
        Analysis = self.env["lift.client.approval.analysis"].sudo()
        domain = [("company_id", "=", company.id), ("state", "=", "sent")]
        ((count, amount),) = Analysis._read_group(domain, [], ["__count", "amount:sum"])
        ((overdue,),) = Analysis._read_group(
            domain + [("days_overdue", ">", 0)], [], ["__count"]
        )
        ((corrections,),) = Analysis._read_group(
            [("company_id", "=", company.id), ("state", "=", "corrected")],
            [],
            ["__count"],
        )
        top = Analysis._read_group(
            domain,
            ["commercial_partner_id"],
            ["amount:sum", "__count", "days_waiting:max"],
            order="amount:sum desc",
            limit=3,
        )
        return {
            "company": company,
            "count": count,
            "amount": amount or 0.0,
            "overdue": overdue,
            "corrections": corrections,
            "top": top,
            "format_amount": lambda value: format_amount(
                self.env, value, company.currency_id
            ),
        }

    @api.model
    def _send_manager_digest(self, company, partners):
        values = self._get_manager_digest_values(company)
        for lang, lang_partners in partners.grouped("lang").items():
            env = self.with_context(lang=lang or self.env.lang).env
            body = env["ir.qweb"]._render(
                "lift_client_approval.mail_manager_digest_body", values
            )
            self.env["mail.mail"].sudo().create(
                {
                    "subject": env._(
                        "%(company)s: %(count)s timesheet letter(s) awaiting "
                        "clients, %(amount)s",
                        company=company.name,
                        count=values["count"],
                        amount=values["format_amount"](values["amount"]),
                    ),
                    "body_html": body,
                    "email_from": company.email_formatted
                    or self.env.user.email_formatted,
                    "recipient_ids": [fields.Command.set(lang_partners.ids)],
                    "auto_delete": True,
                }
            )

import base64
import binascii
import calendar
import io
from datetime import timedelta

from PIL import Image
from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools import SQL
from odoo.tools.misc import format_amount, format_date, format_duration

from .common import estimated_revenue_sql, protected_fields
from .lift_client_approval_decision import DECIDED_BY

OPEN_STATES = ("draft", "submitted", "sent", "rejected")
LINE_MODELS = ("account.analytic.line", "hr.expense")
# What records the letter's course and the client's answer: set by the
# letter's own methods only, never by a plain write (RPC, import, the UI).
PROTECTED_FIELDS = {
    "state": "the letter's buttons (Submit, Send, Reset to Draft, Cancel)",
    "signed_by": "the client's answer (client_decide)",
    "signed_on": "the client's answer (client_decide)",
    "signature": "the client's answer (client_decide)",
    "client_reference": "the client's answer (client_decide)",
    "sent_date": "Submit or Send",
    "deadline": "Submit or Send",
    "submission_count": "Submit or Send",
    "confirmation_pending": "the client's answer (client_decide)",
    "decided_by": "the client's answer (client_decide)",
    "decided_on": "the client's answer (client_decide)",
    "decided_line_count": "the client's answer (client_decide)",
    "rejected_line_count": "the client's answer (client_decide)",
    "first_sent_date": "Submit or Send",
    "total_hours": "the timesheets it holds",
    "total_expense": "the timesheets it holds",
    "amount_estimated": "the timesheets it holds",
    "access_token": "the letter's e-mails",
    "name": "the letter's sequence",
    "project_id": "the timesheets it holds",
    "employee_id": "the timesheets it holds",
    "company_id": "the timesheets it holds",
    "date_start": "the timesheets it holds",
    "date_end": "the timesheets it holds",
    "period": "the timesheets it holds",
    "reminder_count": "the reminders",
    "last_reminder_date": "the reminders",
    "reminder_error": "the reminders",
    "auto_warning_date": "the daily run",
    "digest_pending": "Submit or Send",
}
# The e-mails to the client: their link is the notification's button.
CLIENT_TEMPLATES = {
    "lift_client_approval.mail_template_client_request",
    "lift_client_approval.mail_template_client_reminder",
    "lift_client_approval.mail_template_auto_warning",
    "lift_client_approval.mail_template_client_confirmation",
}
# Longest text a client may give (checked on the server).
MAX_NAME = 128
MAX_REFERENCE = 64
MAX_COMMENT = 2000
MAX_NOTE = 2000


class LiftClientApproval(models.Model):
    """A timesheet letter: one employee's hours and expenses on one project for
    one period, which the client approves line by line.

    The letter's state moves by its actions (submit, approve internally, send,
    reset, cancel) and, once sent, by the client's decisions on its lines
    (``client_decide``): it never contradicts the lines it holds."""

    _name = "lift.client.approval"
    _description = "Timesheet Letter (Client Approval Request)"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    # whoever may read a letter may ask about it in its chatter: the
    # client's portal users too, who never write to it
    _mail_post_access = "read"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    project_id = fields.Many2one(
        comodel_name="project.project",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Client Approver",
        tracking=True,
        index=True,
        help="The client contact who approves this letter.",
    )
    employee_id = fields.Many2one(
        comodel_name="hr.employee",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    user_id = fields.Many2one(
        related="employee_id.user_id", string="Employee's User", store=True
    )
    period = fields.Selection(
        selection=[("week", "Week"), ("month", "Month")],
        string="Period Type",
        required=True,
        readonly=True,
        default="month",
    )
    date_start = fields.Date(string="From", required=True, readonly=True)
    date_end = fields.Date(string="To", required=True, readonly=True)
    period_label = fields.Char(string="Period", compute="_compute_period_label")
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("submitted", "Awaiting Internal Approval"),
            ("sent", "Awaiting the Client"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    timesheet_ids = fields.One2many(
        comodel_name="account.analytic.line",
        inverse_name="client_approval_id",
        string="Timesheets",
        readonly=True,
    )
    expense_ids = fields.One2many(
        comodel_name="hr.expense",
        inverse_name="client_approval_id",
        string="Expenses",
        readonly=True,
    )
    deadline = fields.Date(
        tracking=True,
        readonly=True,
        copy=False,
        help="The date the client should answer by.",
    )
    sent_date = fields.Datetime(readonly=True, copy=False)
    submission_count = fields.Integer(
        string="Submissions",
        readonly=True,
        copy=False,
        help="How many times the letter went to the client; more than one "
        "means it was resubmitted after a rejection.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    total_hours = fields.Float(
        compute="_compute_totals", store=True, string="Hours", aggregator="sum"
    )
    total_expense = fields.Monetary(
        compute="_compute_total_expense",
        store=True,
        string="Expense Total",
        aggregator="sum",
    )
    amount_estimated = fields.Monetary(
        compute="_compute_totals",
        store=True,
        string="Revenue (estimated)",
        aggregator="sum",
        help="The letter's hours at the prices of their sales order items, "
        "plus its expenses: what it brings in once invoiced, estimated as the "
        "Hours Not Yet Invoiced report does.",
    )
    first_sent_date = fields.Datetime(
        string="First Sent",
        readonly=True,
        copy=False,
        help="When the letter first went to the client.",
    )
    decided_line_count = fields.Integer(
        string="Line Answers",
        readonly=True,
        copy=False,
        help="How many answers the client gave on lines, over every round.",
    )
    rejected_line_count = fields.Integer(
        string="Line Rejections",
        readonly=True,
        copy=False,
        help="How many of the client's answers on lines were rejections, over "
        "every round.",
    )
    pending_count = fields.Integer(compute="_compute_line_counts")
    rejected_count = fields.Integer(compute="_compute_line_counts")
    signed_by = fields.Char(readonly=True, copy=False)
    signed_on = fields.Datetime(readonly=True, copy=False)
    signature = fields.Image(
        readonly=True, copy=False, attachment=True, max_width=1024, max_height=1024
    )
    client_reference = fields.Char(
        readonly=True,
        copy=False,
        help="The client's own reference given at approval, such as a purchase "
        "order number.",
    )
    access_token = fields.Char(
        groups="lift_client_approval.group_client_approval_manager"
    )
    decision_ids = fields.One2many(
        comodel_name="lift.client.approval.decision",
        inverse_name="letter_id",
        string="Client's Answers",
        readonly=True,
    )
    decided_by = fields.Selection(
        selection=DECIDED_BY,
        string="Answered By",
        readonly=True,
        copy=False,
        help="How the last answer to this letter was given.",
    )
    decided_on = fields.Datetime(
        string="Answered On",
        readonly=True,
        copy=False,
        help="When the last answer to this letter was given.",
    )
    confirmation_pending = fields.Boolean(
        readonly=True,
        copy=False,
        help="The client's confirmation e-mail, with the approved letter as a "
        "PDF, is about to be sent by a background job.",
    )
    can_approve_internal = fields.Boolean(compute="_compute_can_approve_internal")
    cannot_approve_internal_reason = fields.Char(
        compute="_compute_can_approve_internal"
    )

    _sql_constraints = [
        (
            "date_check",
            "CHECK(date_start <= date_end)",
            "A timesheet letter's period must start before it ends.",
        ),
    ]

    def init(self):
        # One letter per project, employee and period can take new lines.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s "
                "(project_id, employee_id, date_start) WHERE state = 'draft'",
                SQL.identifier("lift_client_approval_one_draft_per_period"),
                SQL.identifier(self._table),
            )
        )

    @api.depends("period", "date_start", "date_end")
    def _compute_period_label(self):
        for letter in self:
            if not letter.date_start:
                letter.period_label = False
            elif letter.period == "week":
                year, week, _day = letter.date_start.isocalendar()
                letter.period_label = self.env._(
                    "Week %(week)s, %(year)s", week=week, year=year
                )
            else:
                letter.period_label = format_date(
                    self.env, letter.date_start, date_format="MMMM y"
                )

    @api.depends("expense_ids.total_amount")
    def _compute_total_expense(self):
        # through the cache: a letter made as hours are logged has no
        # expenses to read
        for letter in self:
            letter.total_expense = sum(letter.expense_ids.mapped("total_amount"))

    @api.depends(
        "timesheet_ids.unit_amount",
        "timesheet_ids.so_line.price_unit",
        "total_expense",
    )
    def _compute_totals(self):
        """Hours and estimated revenue, in one query for every letter at
        once; logging hours does not read the expenses again."""
        ids = tuple(filter(None, self._origin.ids))
        hours = {}
        if ids:
            # the whole model: flushing only these fields would write the
            # lines now and again once the fields that follow their sale
            # order item are computed
            self.env["account.analytic.line"].flush_model()
            self.env["sale.order.line"].flush_model(["price_unit"])
            self.env.cr.execute(
                SQL(
                    """
                    SELECT aal.client_approval_id, sum(aal.unit_amount), sum(%s)
                      FROM account_analytic_line aal
                 LEFT JOIN sale_order_line sol ON sol.id = aal.so_line
                     WHERE aal.client_approval_id IN %s
                  GROUP BY aal.client_approval_id
                    """,
                    estimated_revenue_sql("aal", "sol"),
                    ids,
                )
            )
            hours = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for letter in self:
            total_hours, revenue = hours.get(letter._origin.id, (0.0, 0.0))
            letter.total_hours = total_hours
            letter.amount_estimated = revenue + letter.total_expense

    @api.depends(
        "timesheet_ids.client_approval_state", "expense_ids.client_approval_state"
    )
    def _compute_line_counts(self):
        counts = {}
        for model in LINE_MODELS:
            for letter, state, count in self.env[model]._read_group(
                [("client_approval_id", "in", self.ids)],
                ["client_approval_id", "client_approval_state"],
                ["__count"],
            ):
                key = (letter, state)
                counts[key] = counts.get(key, 0) + count
        for letter in self:
            letter.pending_count = counts.get((letter._origin, "pending"), 0)
            letter.rejected_count = counts.get((letter._origin, "rejected"), 0)

    @api.depends_context("uid")
    @api.depends("state", "user_id")
    def _compute_can_approve_internal(self):
        is_manager = self.env.user.has_group(
            "lift_client_approval.group_client_approval_manager"
        )
        for letter in self:
            reason = False
            if letter.state != "submitted":
                reason = self.env._(
                    "%(letter)s is not awaiting internal approval.",
                    letter=letter.display_name,
                )
            elif not is_manager:
                reason = self.env._(
                    "Only client approval managers can approve timesheet letters."
                )
            elif letter.user_id == self.env.user:
                reason = self.env._(
                    "You cannot approve your own timesheet letter %(letter)s.",
                    letter=letter.display_name,
                )
            letter.can_approve_internal = not reason
            letter.cannot_approve_internal_reason = reason

    @api.depends("name", "employee_id", "period_label")
    def _compute_display_name(self):
        for letter in self:
            letter.display_name = " - ".join(
                part
                for part in (
                    letter.name if letter.name != "/" else self.env._("Draft"),
                    letter.employee_id.name,
                    letter.period_label,
                )
                if part
            )

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for letter in self:
            letter.access_url = f"/my/client-approvals/{letter.id}"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # letters are made by the timesheets they hold, in the addon's
            # own code; a manager creating one by hand sets none of this
            for vals in vals_list:
                self._check_protected_fields(
                    set(vals)
                    - {"project_id", "employee_id", "company_id"}
                    - {"date_start", "date_end", "period"}
                )
                if "partner_id" in vals:
                    self._check_can_change_approver()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_protected_fields(set(vals))
            if "partner_id" in vals:
                self._check_can_change_approver()
        former = (
            {letter: letter.partner_id for letter in self}
            if "partner_id" in vals
            else {}
        )
        result = super().write(vals)
        for letter, partner in former.items():
            if partner and partner != letter.partner_id:
                # questions and answers no longer go to a former approver
                letter.sudo().message_unsubscribe(partner_ids=partner.ids)
        return result

    @api.model
    def _check_protected_fields(self, field_names):
        """Refuse a plain write of what records the letter's course and the
        client's answer: the addon's own methods set it, in sudo, after
        their checks."""
        found = protected_fields(self, field_names, PROTECTED_FIELDS)
        if found:
            raise UserError(
                self.env._(
                    "%(fields)s of a timesheet letter cannot be written directly: "
                    "%(how)s set(s) it. A manager waives lines with Invoice Anyway "
                    "(client_approval_waive) and records a client's answer with "
                    "Record the Client's Answer (client_decide with a note).",
                    fields=found[0],
                    how=found[1],
                )
            )

    def _check_can_change_approver(self):
        """The approver of a letter changes only by a manager, and only
        before the letter goes to the client."""
        if not self.env.user.has_group(
            "lift_client_approval.group_client_approval_manager"
        ):
            raise AccessError(
                self.env._(
                    "Only client approval managers can change who approves a "
                    "timesheet letter."
                )
            )
        sent = self.filtered(lambda x: x.state not in ("draft", "submitted"))
        if sent:
            raise UserError(
                self.env._(
                    "%(letter)s already went to its approver: reset it to draft "
                    "before you change who approves it.",
                    letter=sent[0].display_name,
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_empty_drafts(self):
        for letter in self:
            if letter.state != "draft" or letter.timesheet_ids or letter.expense_ids:
                raise UserError(
                    self.env._(
                        "Timesheet letter %(letter)s cannot be deleted: it holds "
                        "hours or expenses, or has been submitted. Cancel it "
                        "instead.",
                        letter=letter.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Periods
    # ------------------------------------------------------------------

    @api.model
    def _get_period(self, date, period):
        """The (first, last) day of the period holding ``date``: an ISO week
        (Monday to Sunday, so a week may straddle two years) or a calendar
        month."""
        if period == "week":
            start = date - timedelta(days=date.weekday())
            return start, start + timedelta(days=6)
        last_day = calendar.monthrange(date.year, date.month)[1]
        return date.replace(day=1), date.replace(day=last_day)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_submit(self):
        self._check_can_submit()
        self._do_submit()
        return True

    def action_approve_internal(self):
        self._check_can_approve_internal()
        self._do_send()
        return True

    def action_refuse_internal(self):
        self._check_can_approve_internal()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refuse Timesheet Letter"),
            "res_model": "lift.client.approval.refuse.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_approval_ids": self.ids},
        }

    def action_send(self):
        self._check_can_send()
        self._do_send()
        return True

    def action_reset_to_draft(self):
        self._check_state(
            ("submitted", "sent", "rejected", "cancel"),
            self.env._(
                "Only submitted, sent, rejected or cancelled letters can be "
                "reset to draft."
            ),
        )
        self._do_reset_to_draft()
        return True

    def action_cancel(self):
        self._check_state(
            OPEN_STATES,
            self.env._("Approved or already cancelled letters cannot be cancelled."),
        )
        self._do_cancel()
        return True

    def action_view_timesheets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hr_timesheet.timesheet_action_all"
        )
        action.update(
            domain=[("client_approval_id", "=", self.id)],
            context={"create": False},
        )
        return action

    # ------------------------------------------------------------------
    # Checks: raise a clear error, change nothing
    # ------------------------------------------------------------------

    def _get_state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _check_state(self, states, message):
        wrong = self.filtered(lambda letter: letter.state not in states)
        if wrong:
            details = "\n".join(
                f"- {letter.display_name}: {letter._get_state_label()}"
                for letter in wrong
            )
            raise UserError(
                self.env._("%(message)s\n%(details)s", message=message, details=details)
            )

    def _check_can_submit(self):
        self._check_state(
            ("draft", "rejected"),
            self.env._("Only draft or rejected timesheet letters can be submitted."),
        )
        for letter in self:
            if not (letter.timesheet_ids or letter.expense_ids):
                raise UserError(
                    self.env._(
                        "Timesheet letter %(letter)s is empty: log hours or "
                        "expenses in its period before submitting it.",
                        letter=letter.display_name,
                    )
                )
            letter._check_has_approver()
        to_decide = self._get_lines_to_submit()
        empty = self.filtered(
            lambda letter: not any(
                letter in lines.client_approval_id for lines in to_decide
            )
        )
        if empty:
            raise UserError(
                self.env._(
                    "Nothing new to submit in %(letters)s: every line has "
                    "already been decided by the client.",
                    letters=", ".join(empty.mapped("display_name")),
                )
            )

    def _check_has_approver(self):
        for letter in self:
            if not letter.partner_id:
                raise UserError(
                    self.env._(
                        "Nobody can approve %(letter)s: project %(project)s has "
                        "no customer and no client approver. Set one on the "
                        "project's Client Approval tab.",
                        letter=letter.display_name,
                        project=letter.project_id.display_name,
                    )
                )
            if not letter.partner_id.email:
                raise UserError(
                    self.env._(
                        "The client approver %(partner)s of %(letter)s has no "
                        "e-mail address.",
                        partner=letter.partner_id.display_name,
                        letter=letter.display_name,
                    )
                )

    def _check_can_approve_internal(self):
        reasons = [
            letter.cannot_approve_internal_reason
            for letter in self
            if not letter.can_approve_internal
        ]
        if reasons:
            raise UserError("\n".join(reasons))

    def _check_can_send(self):
        if not self.env.user.has_group(
            "lift_client_approval.group_client_approval_manager"
        ):
            raise UserError(
                self.env._(
                    "Only client approval managers can send a timesheet letter "
                    "to the client directly; employees submit it."
                )
            )
        if self.filtered(lambda letter: letter.state == "sent"):
            raise UserError(
                self.env._(
                    "%(letters)s already went to the client.",
                    letters=", ".join(
                        self.filtered(lambda x: x.state == "sent").mapped(
                            "display_name"
                        )
                    ),
                )
            )
        self._check_can_submit()

    # ------------------------------------------------------------------
    # Side effects
    # ------------------------------------------------------------------

    def _get_lines_to_submit(self):
        """Lines the client is (again) asked about: pending and rejected ones.
        Approved and waived lines keep their decision."""
        return [
            lines.filtered(
                lambda line: line.client_approval_state in ("pending", "rejected")
            )
            for lines in (self.timesheet_ids, self.expense_ids)
        ]

    def _assign_reference(self):
        """A letter gets its reference when it is first submitted, as an
        invoice does when posted: drafts are made as hours are logged, and
        numbering them then would cost a sequence call each."""
        for letter in self.sudo().filtered(lambda x: x.name in (False, "/")):
            letter.name = self.env["ir.sequence"].next_by_code(
                "lift.client.approval"
            ) or self.env._("New")

    def _do_submit(self):
        self._assign_reference()
        for lines in self._get_lines_to_submit():
            lines.sudo().write({"client_approval_state": "pending"})
        by_trigger = self.filtered(
            lambda letter: letter.company_id.client_approval_trigger
            == "internal_approval"
        )
        if by_trigger:
            by_trigger.sudo().write({"state": "submitted"})
            by_trigger._do_schedule_internal_approval()
        (self - by_trigger)._do_send()

    def _do_schedule_internal_approval(self):
        for letter in self:
            manager = letter._get_internal_approver()
            letter.sudo().activity_schedule(
                "lift_client_approval.mail_activity_internal_approval",
                user_id=manager.id or self.env.uid,
                note=self.env._(
                    "Approve %(employee)s's hours of %(period)s before they go to "
                    "the client.",
                    employee=letter.employee_id.name,
                    period=letter.period_label,
                ),
            )

    def _get_internal_approver(self):
        """Who approves internally: the project manager, else the employee's
        manager."""
        self.ensure_one()
        return (
            self.project_id.user_id
            or self.employee_id.parent_id.user_id
            or self.env["res.users"]
        )

    def _do_send(self):
        self._assign_reference()
        today = fields.Date.context_today(self)
        for letter in self.sudo():
            letter.write(
                {
                    "state": "sent",
                    "sent_date": fields.Datetime.now(),
                    "deadline": today
                    + timedelta(days=letter.project_id.client_approval_deadline_days),
                    "submission_count": letter.submission_count + 1,
                    "first_sent_date": letter.first_sent_date or fields.Datetime.now(),
                }
            )
        self._do_close_internal_activity()
        self._do_subscribe_conversation()
        self._send_client_request()

    def _do_subscribe_conversation(self):
        """The client, the employee and the internal approver follow the
        letter's discussion once it goes to the client: a question the client
        asks on the page reaches the employee and the project manager, and
        their answer reaches the client by e-mail, with the letter's link.
        Only discussions: the letter's own e-mails have a subtype of their
        own, sent to their recipients alone."""
        discussion = self.env.ref("mail.mt_comment")
        for letter in self.sudo():
            partners = (
                letter.partner_id
                | (letter.user_id.partner_id or letter.employee_id.work_contact_id)
                | letter._get_internal_approver().partner_id
            ) - letter.message_partner_ids
            if partners:
                letter.message_subscribe(
                    partner_ids=partners.ids, subtype_ids=discussion.ids
                )

    def _send_client_request(self):
        self._send_mail("lift_client_approval.mail_template_client_request")

    def _do_close_internal_activity(self, feedback=False):
        self.sudo().activity_feedback(
            ["lift_client_approval.mail_activity_internal_approval"],
            feedback=feedback,
        )

    def _do_refuse_internal(self, reason):
        for letter in self:
            letter.sudo().write({"state": "draft"})
            letter.message_post(
                body=self.env._("Refused internally: %(reason)s", reason=reason),
                partner_ids=letter.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
        self._do_close_internal_activity(feedback=reason)

    def _do_reset_to_draft(self):
        """Back to the employee. A letter can only go back to draft if no
        other draft exists for its period: that draft's lines move into this
        letter, so no line is left behind."""
        for letter in self:
            other = self.search(
                [
                    ("id", "!=", letter.id),
                    ("state", "=", "draft"),
                    ("project_id", "=", letter.project_id.id),
                    ("employee_id", "=", letter.employee_id.id),
                    ("date_start", "=", letter.date_start),
                ]
            ).sudo()
            if other:
                for lines in (other.timesheet_ids, other.expense_ids):
                    lines.write({"client_approval_id": letter.id})
                letter.message_post(
                    body=self.env._(
                        "Lines of %(other)s merged into this letter.",
                        other=other.display_name,
                    )
                )
                other.unlink()
            letter.sudo().write({"state": "draft", "deadline": False})
        self._do_close_internal_activity()

    def _do_cancel(self):
        self.sudo().write({"state": "cancel"})
        self._do_close_internal_activity()

    def _do_release(self, reason):
        """Cancel open letters and release their undecided lines, which no
        longer wait for the client (the project stopped requiring it)."""
        for lines in self._get_lines_to_submit():
            lines.sudo().write({"client_approval_state": False})
        self._do_cancel()
        for letter in self:
            letter.message_post(body=reason)

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
    ):
        """Record the client's decisions on pending lines, all or none
        (contract).

        Who may answer: a portal user of the approver's company; a client
        approval manager recording the client's answer on their behalf, with
        ``on_behalf_note`` saying how the client answered; and the addon's
        own code (the page the e-mail's link opens, automatic approval).
        Never the letter's own employee, whatever their groups."""
        self.ensure_one()
        decided_by = self._get_decided_by(on_behalf_note)
        return self._client_decide(
            decisions,
            decided_by,
            signer_name=signer_name,
            signature=signature,
            client_reference=client_reference,
            note=on_behalf_note,
        )

    def _get_decided_by(self, on_behalf_note=None):
        """How the current user may answer this letter, or an error."""
        self.ensure_one()
        user = self.env.user
        has_note = bool((on_behalf_note or "").strip())
        if self.env.su:
            return "on_behalf" if has_note else "client"
        self._check_not_own_letter()
        if user._is_portal():
            if (
                self.sudo().partner_id.commercial_partner_id
                == user.partner_id.commercial_partner_id
            ):
                return "portal_user"
        elif user.has_group("lift_client_approval.group_client_approval_manager"):
            if not has_note:
                raise UserError(
                    self.env._(
                        "Say how the client gave their answer: a manager records "
                        "the client's answer on their behalf, with a note."
                    )
                )
            return "on_behalf"
        raise AccessError(
            self.env._(
                "Only the client answers timesheet letter %(letter)s: its approver "
                "by the link in the e-mail or on the portal, or a client approval "
                "manager on the client's behalf.",
                letter=self.sudo().display_name,
            )
        )

    def _check_not_own_letter(self):
        """Nobody answers for the client on their own hours."""
        if self.env.user in self.sudo().user_id:
            raise AccessError(
                self.env._(
                    "You cannot answer for the client on your own timesheet "
                    "letter %(letter)s: only the client approves your hours.",
                    letter=self.sudo().display_name,
                )
            )

    def _client_decide(
        self,
        decisions,
        decided_by,
        signer_name=None,
        signature=None,
        client_reference=None,
        note=None,
        user=None,
    ):
        """Apply an answer whose giver was checked (``decided_by``, one of
        DECIDED_BY; ``user``: who gave it, when not the environment's user,
        as on the portal's routes, which read the letter as superuser), all
        or none: the letter is awaiting the client, each
        line belongs to it and is still pending, a rejection carries a
        comment. Once no line is pending the letter is approved or, if any
        line was rejected, rejected. The answer is kept as a decision record
        and in the letter's history."""
        self.ensure_one()
        if decided_by not in dict(DECIDED_BY):
            raise UserError(self.env._("Unknown way of answering: %s", decided_by))
        user = user or self.env.user
        if decided_by in ("portal_user", "on_behalf"):
            self.with_user(user)._check_not_own_letter()
        signer_name = self._clean_client_text(
            signer_name, MAX_NAME, self.env._("The signer's name")
        )
        client_reference = self._clean_client_text(
            client_reference, MAX_REFERENCE, self.env._("Your reference")
        )
        note = self._clean_client_text(note, MAX_NOTE, self.env._("The note"))
        if decided_by == "on_behalf" and not note:
            raise UserError(self.env._("Say how the client gave their answer."))
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
                    "round": letter.submission_count,
                    "approved_count": sum(
                        1 for d in lines.values() if d["decision"] == "approved"
                    ),
                    "rejected_count": sum(
                        1 for d in lines.values() if d["decision"] == "rejected"
                    ),
                }
            )
        )
        for (model, res_id), line_decision in lines.items():
            self.env[model].sudo().browse(res_id).write(
                {
                    "client_approval_state": line_decision["decision"],
                    "client_approval_comment": line_decision.get("comment") or False,
                    "client_approval_decision_id": decision.id,
                }
            )
        vals = {
            "decided_by": decided_by,
            "decided_on": now,
            "decided_line_count": letter.decided_line_count + len(lines),
            "rejected_line_count": letter.rejected_line_count + decision.rejected_count,
        }
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
        letter.invalidate_recordset(["pending_count", "rejected_count"])
        if not letter.pending_count:
            letter._do_conclude()
        return True

    @api.model
    def _clean_client_text(self, value, limit, what):
        """A text the client (or a manager) typed, stripped; a clear error
        when it cannot be stored or is too long."""
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

    def _lock_for_decision(self):
        """Take the letter's row lock so that two simultaneous answers cannot
        both be applied: the second one waits for nothing and is refused."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id = %s FOR UPDATE NOWAIT",
                        SQL.identifier(self._table),
                        self.id,
                    ),
                    log_exceptions=False,  # expected, and answered below
                )
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

    def _check_decisions(self, decisions):
        """Validate every decision before any is applied; return them keyed by
        (model, id)."""
        if not isinstance(decisions, list | tuple) or not decisions:
            raise UserError(self.env._("No decision was given."))
        valid = {"approved", "rejected"}
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
                        "A decision is either 'approved' or 'rejected', not "
                        "%(decision)r.",
                        decision=decision.get("decision"),
                    )
                )
            if (model, res_id) in checked:
                raise UserError(
                    self.env._("A line was decided twice in the same answer.")
                )
            comment = self._clean_client_text(
                decision.get("comment"), MAX_COMMENT, self.env._("A comment")
            )
            if decision["decision"] == "rejected" and not comment:
                raise UserError(
                    self.env._(
                        "Please say why you reject a line: a rejection needs a "
                        "comment."
                    )
                )
            checked[(model, res_id)] = dict(decision, comment=comment)
        own = {
            ("account.analytic.line", line.id): line
            for line in self.sudo().timesheet_ids
        }
        own.update({("hr.expense", line.id): line for line in self.sudo().expense_ids})
        for key in checked:
            line = own.get(key)
            if line is None:
                raise UserError(
                    self.env._(
                        "A line in the answer does not belong to %(letter)s.",
                        letter=self.display_name,
                    )
                )
            if line.client_approval_state != "pending":
                raise UserError(
                    self.env._(
                        "Line %(line)s has already been decided. Reload the page "
                        "to see the current state.",
                        line=line.display_name,
                    )
                )
        return checked

    def _do_conclude(self):
        """No line is pending any more: the letter is approved, or rejected
        and back with the employee."""
        self.ensure_one()
        if self.rejected_count:
            self.sudo().write({"state": "rejected"})
            self._send_mail("lift_client_approval.mail_template_employee_rejected")
        else:
            self.sudo().write({"state": "approved"})
            self._queue_confirmation()
            self._send_mail("lift_client_approval.mail_template_employee_approved")

    def _queue_confirmation(self):
        """The client's confirmation carries the letter as a PDF, which
        wkhtmltopdf renders by asking Odoo for the styles. Rendered inside
        the client's request, many approvals at once would hold every worker
        while each waits for a free one; so a background job, started at
        once, sends it (F10)."""
        if self._mail_off():
            return
        self.sudo().write({"confirmation_pending": True})
        cron = self.env.ref(
            "lift_client_approval.ir_cron_client_approval_confirmations",
            raise_if_not_found=False,
        )
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _cron_send_confirmations(self, limit=20):
        """Send the confirmations that approvals queued, ``limit`` letters
        per run; a letter another run is sending is left to it."""
        letters = self.sudo().search(
            [("confirmation_pending", "=", True)], order="id", limit=limit
        )
        letters = letters._lock_skip_locked().filtered("confirmation_pending")
        letters._send_mail("lift_client_approval.mail_template_client_confirmation")
        letters.write({"confirmation_pending": False})
        if len(letters) == limit:
            self.env.ref(
                "lift_client_approval.ir_cron_client_approval_confirmations"
            ).sudo()._trigger()

    def _mail_off(self):
        """Whether the letters' e-mails are off: for demo data, scripts and
        tests run outside any HTTP request (``lift_client_approval_no_mail``
        in the context). Never for a request, where any RPC caller could set
        the key and keep a client from hearing of a letter."""
        return bool(
            self.env.context.get("lift_client_approval_no_mail") and not request
        )

    def _send_mail(self, template_xmlid, mass=False):
        """Post the template on each letter: the recipients get it by e-mail,
        in their language, and the chatter keeps it.

        ``mass``: as Odoo's mass mailing does, e-mail the template's
        recipients alone, with one batch of e-mails, each kept in its
        letter's history (for the reminders of the daily run)."""
        if self._mail_off():
            return
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template or not self:
            return
        # to the client, the full layout with its button: the link with the
        # token goes in the e-mail only, never in the letter's history
        layout = (
            "mail.mail_notification_layout"
            if template_xmlid in CLIENT_TEMPLATES
            else "mail.mail_notification_light"
        )
        # One composer for all the letters, as Odoo's mass composer: the
        # template is rendered for every letter at once, each in its
        # recipient's language, and each letter keeps its own message.
        composer = (
            self.env["mail.compose.message"]
            .sudo()
            .with_context(
                default_composition_mode="comment",
                default_model=self._name,
                default_res_ids=self.ids,
                default_template_id=template.id,
            )
            .create(
                {
                    "composition_mode": "mass_mail" if mass else "comment",
                    "message_type": "notification",
                    # not a discussion: the letter's followers do not get
                    # copies of e-mails meant for the client or the employee
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id(
                        "lift_client_approval.mt_letter_email"
                    ),
                    "email_layout_xmlid": layout,
                    "auto_delete_keep_log": True,
                    # a batch leaves by the mail queue, as mass mailings do
                    "force_send": not mass,
                }
            )
        )
        composer._action_send_mail()

    def _notify_get_recipients_groups(self, message, model_description, msg_vals=None):
        """The client's button opens the letter with its token (added by
        portal to the e-mail, not stored in the message)."""
        groups = super()._notify_get_recipients_groups(
            message, model_description, msg_vals=msg_vals
        )
        if not self:
            return groups
        for name, _check, data in groups:
            if name in ("portal_customer", "portal") and data.get("has_button_access"):
                data.setdefault("button_access", {})["title"] = (
                    self.env._("Review the hours")
                    if self.state == "sent"
                    else self.env._("View the letter")
                )
        return groups

    def _format_amount(self, amount):
        self.ensure_one()
        return format_amount(self.env, amount, self.currency_id)

    def _get_invoice_note(self):
        self.ensure_one()
        if self.state != "approved":
            return self.env._(
                "Hours of %(employee)s, %(period)s: invoiced without the client's "
                "approval.",
                employee=self.employee_id.name,
                period=self.period_label,
            )
        approver = self.signed_by or self.partner_id.name
        day = format_date(self.env, (self.signed_on or self.write_date).date())
        note = self.env._(
            "Hours of %(employee)s, %(period)s: approved by %(approver)s on %(day)s.",
            employee=self.employee_id.name,
            period=self.period_label,
            approver=approver,
            day=day,
        )
        if self.client_reference:
            note += " " + self.env._("Your reference: %s", self.client_reference)
        return note

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._(
            "Timesheet letter %(name)s - %(employee)s",
            name=self.name,
            employee=self.employee_id.name,
        )

    def _get_pending_decisions(self, decision):
        """Decisions (as ``client_decide`` takes them) for every pending
        line."""
        self.ensure_one()
        letter = self.sudo()
        return [
            {"res_model": line._name, "res_id": line.id, "decision": decision}
            for lines in (letter.timesheet_ids, letter.expense_ids)
            for line in lines
            if line.client_approval_state == "pending"
        ]

    @api.model
    def _format_hours(self, hours):
        """Hours as HH:MM, as Odoo shows them (``format_duration``); kept
        for e-mail templates edited in a database before 18.0.1.2.0."""
        return format_duration(hours or 0.0)

    def _client_approval_tidy(self):
        """After lines left or were waived: an empty draft disappears; a
        letter with nothing left to decide is approved (without telling the
        client, who did not decide these lines)."""
        letters = self.exists().sudo()
        letters.filtered(
            lambda x: x.state == "draft" and not (x.timesheet_ids or x.expense_ids)
        ).unlink()
        for letter in letters.exists().filtered(
            lambda x: x.state in ("draft", "sent", "rejected")
            and (x.timesheet_ids or x.expense_ids)
        ):
            letter.invalidate_recordset(["pending_count", "rejected_count"])
            if not letter.pending_count and not letter.rejected_count:
                letter.write({"state": "approved"})

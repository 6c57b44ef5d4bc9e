import calendar
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.misc import format_amount, format_date

from .. import compat
from .lift_client_approval_decision import DECIDED_BY
from .rules import (
    LINE_MODELS,
    MANAGER_GROUP,
    OPEN_STATES,
    estimated_revenue_sql,
    is_manager,
    is_own,
    protected_fields,
)


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
            ("corrected", "Corrections to Answer"),
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
    corrected_line_count = fields.Integer(
        string="Line Corrections",
        readonly=True,
        copy=False,
        help="How many of the client's answers on lines were corrections, over "
        "every round.",
    )
    written_off_hours = fields.Float(
        string="Hours Written Off",
        readonly=True,
        copy=False,
        aggregator="sum",
        help="The hours the client's corrections took off this letter's lines, "
        "once we accepted them: kept in the timesheets, never invoiced.",
    )
    written_off_amount = fields.Monetary(
        string="Written Off (estimated)",
        readonly=True,
        copy=False,
        aggregator="sum",
        help="The hours written off at the prices of their sales order items.",
    )
    pending_count = fields.Integer(compute="_compute_line_counts")
    rejected_count = fields.Integer(compute="_compute_line_counts")
    corrected_count = fields.Integer(
        compute="_compute_line_counts",
        search="_search_corrected_count",
        string="Corrections to Answer",
    )
    correction_ids = fields.One2many(
        comodel_name="lift.client.approval.correction",
        inverse_name="letter_id",
        string="Client's Corrections",
        readonly=True,
    )
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
    access_token = fields.Char(groups=MANAGER_GROUP)
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
    deputy_id = fields.Many2one(
        comodel_name="res.partner",
        string="Answered by the Deputy",
        readonly=True,
        copy=False,
        help="The approver's deputy who gave the last answer, the approver being "
        "away.",
    )
    confirmation_pending = fields.Boolean(
        readonly=True,
        copy=False,
        help="The client's confirmation e-mail, with the approved letter as a "
        "PDF, is about to be sent by a background job.",
    )

    locals().update(
        compat.constraints(
            date_check=(
                "CHECK(date_start <= date_end)",
                "A timesheet letter's period must start before it ends.",
            ),
        )
    )

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
            letter.corrected_count = counts.get((letter._origin, "corrected"), 0)

    def _search_corrected_count(self, operator, value):
        """Letters with (``> 0``) or without corrections awaiting our answer,
        for the overview's filter."""
        if operator not in (">", "=") or value != 0:
            raise UserError(
                self.env._("Search letters by their corrections with > 0 or = 0.")
            )
        domain = [("timesheet_ids.client_approval_state", "=", "corrected")]
        return domain if operator == ">" else ["!", *domain]

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
            if partner == letter.partner_id:
                continue
            # the former approver's link stops working
            letter._do_renew_token("approver_changed", letter.partner_id)
            if partner:
                # questions and answers no longer go to a former approver
                letter.sudo().message_unsubscribe(partner_ids=partner.ids)
        return result

    @api.model
    def _get_protected_fields(self):
        """What records the letter's course and the client's answer, as
        {field: what sets it}: set by the letter's own methods only, never
        by a plain write (RPC, import, the UI). An addon that adds such a
        field extends this with ``super()``."""
        course = "Submit or Send"
        answer = "the client's answer (client_decide)"
        lines = "the timesheets it holds"
        daily = "the daily run"
        return {
            "state": "the letter's buttons (Submit, Send, Reset to Draft, Cancel)",
            **dict.fromkeys(
                ("signed_by", "signed_on", "signature", "client_reference"), answer
            ),
            **dict.fromkeys(
                ("confirmation_pending", "decided_by", "decided_on", "deputy_id"),
                answer,
            ),
            **dict.fromkeys(
                ("decided_line_count", "rejected_line_count", "corrected_line_count"),
                answer,
            ),
            **dict.fromkeys(
                ("sent_date", "first_sent_date", "deadline", "submission_count"),
                course,
            ),
            "digest_pending": course,
            "written_off_hours": "the firm's acceptance of the client's corrections",
            "written_off_amount": "the firm's acceptance of the client's corrections",
            # whose letter and what it holds follow its lines, never a write:
            # the employee's user is a copy for the record rules
            **dict.fromkeys(
                ("project_id", "employee_id", "user_id", "company_id", "period"),
                lines,
            ),
            **dict.fromkeys(
                ("date_start", "date_end", "total_hours", "total_expense"), lines
            ),
            "amount_estimated": lines,
            "access_token": "the letter's e-mails",
            "name": "the letter's sequence",
            **dict.fromkeys(
                ("reminder_count", "last_reminder_date", "reminder_error"),
                "the reminders",
            ),
            "auto_warning_date": daily,
            "deputy_escalated_on": daily,
        }

    @api.model
    def _check_protected_fields(self, field_names):
        """Refuse a plain write of what records the letter's course and the
        client's answer (``_get_protected_fields``): the addon's own methods
        set it, in sudo, after their checks."""
        found = protected_fields(self, field_names, self._get_protected_fields())
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
        if not is_manager(self.env):
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
    # What the letter is: its period, lines, language and texts
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

    def _is_own_letter(self):
        """Whether the current user is this letter's employee: read from the
        employee (``is_own``), never from the letter's copy of their user."""
        self.ensure_one()
        return is_own(self.env, self.sudo().employee_id)

    def _went_to_client(self):
        """Whether the letter ever went to its client: its first sending,
        the one fact the record rules, the portal, the analysis and the
        letter's actions read."""
        self.ensure_one()
        return bool(self.sudo().first_sent_date)

    @api.model
    def _get_went_to_client_domain(self):
        """The letters that went to their client (``_went_to_client``), as a
        domain: what a client may ever see."""
        return [("first_sent_date", "!=", False)]

    def _get_state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _get_lines(self):
        """The letters' hours and expenses, as [timesheets, expenses]."""
        return [self.timesheet_ids, self.expense_ids]

    def _get_client_receipts(self):
        """The receipts of these letters' expenses that their client may
        see, in sudo: the expenses' attachments, less those of internal notes
        in their history. The one rule of what the page, the inbox and their
        downloads show."""
        Attachment = self.env["ir.attachment"].sudo()
        expenses = self.sudo().expense_ids
        if not expenses:
            return Attachment
        internal = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "hr.expense"),
                    ("res_id", "in", expenses.ids),
                    ("attachment_ids", "!=", False),
                    "|",
                    ("is_internal", "=", True),
                    ("subtype_id.internal", "=", True),
                ]
            )
            .attachment_ids
        )
        return Attachment.search(
            [
                ("res_model", "=", "hr.expense"),
                ("res_id", "in", expenses.ids),
                ("id", "not in", internal.ids),
            ],
            order="id",
        )

    def _get_undecided_lines(self):
        """The lines the client has not approved: the client is asked (again)
        about them, and they may be waived or released. Approved and waived
        lines keep their decision. As [timesheets, expenses]."""
        return [
            lines._client_approval_filter_undecided() for lines in self._get_lines()
        ]

    def _get_pending_lines(self):
        """The lines awaiting the client's answer, as [timesheets, expenses]."""
        return [lines._client_approval_filter_pending() for lines in self._get_lines()]

    def _get_pending_decisions(self, decision):
        """Decisions (as ``client_decide`` takes them) for every pending
        line."""
        self.ensure_one()
        return [
            {"res_model": line._name, "res_id": line.id, "decision": decision}
            for lines in self.sudo()._get_pending_lines()
            for line in lines
        ]

    def _get_agreed_hours(self):
        """The letter's hours as the client agrees them: a line the client
        corrected counts at the hours they accept (once we accept, the line
        holds them), every other line at its own. The total the page and the
        PDF show."""
        self.ensure_one()
        return sum(
            line.client_approval_hours_agreed
            if line.client_approval_state == "corrected"
            else line.unit_amount
            for line in self.timesheet_ids
        )

    def _get_approver_lang(self):
        """The language the client reads: the approver's, when it is
        installed, else the environment's. Every text a client reads (the
        page, its e-mails' buttons, the digest) is in this language."""
        self.ensure_one()
        lang = self.sudo().partner_id.lang
        if lang and self.env["res.lang"]._lang_get(lang):
            return lang
        return self.env.lang or "en_US"

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
        approver = self.signed_by or self.deputy_id.name or self.partner_id.name
        if self.deputy_id:
            approver = self.env._(
                "%(deputy)s, deputy of %(approver)s",
                deputy=approver,
                approver=self.partner_id.name,
            )
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

    def _client_approval_tidy(self):
        """After lines left or were waived: an empty draft disappears; a
        letter with nothing left to decide is approved (without telling the
        client, who did not decide these lines)."""
        letters = self.exists().sudo()
        letters.filtered(
            lambda x: x.state == "draft" and not (x.timesheet_ids or x.expense_ids)
        ).unlink()
        for letter in letters.exists().filtered(
            lambda x: x.state in OPEN_STATES
            and x.state != "submitted"
            and (x.timesheet_ids or x.expense_ids)
        ):
            letter.invalidate_recordset(
                ["pending_count", "rejected_count", "corrected_count"]
            )
            if not (
                letter.pending_count or letter.rejected_count or letter.corrected_count
            ):
                letter.write({"state": "approved"})

from odoo import api, fields, models
from odoo.tools.misc import format_date, format_duration

CORRECTION_STATES = [
    ("proposed", "Awaiting Our Answer"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("withdrawn", "Withdrawn"),
]


class LiftClientApprovalCorrection(models.Model):
    """The client's correction of a line of hours: the hours they accept
    instead of those logged, and why; then the firm's answer, who gave it
    and when. Written by the addon's own methods alone (``client_decide``,
    then ``client_approval_accept_correction`` or
    ``client_approval_decline_correction`` on the line): the audit trail of
    a correction, kept after the line changes.

    Withdrawn: the line left the correction by another way (its letter was
    taken back and submitted again, it was waived or released)."""

    _name = "lift.client.approval.correction"
    _description = "Client's Correction of a Timesheet Line"
    _order = "id desc"
    _rec_name = "summary"

    letter_id = fields.Many2one(
        comodel_name="lift.client.approval",
        string="Timesheet Letter",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="letter_id.company_id", store=True)
    currency_id = fields.Many2one(related="letter_id.currency_id")
    decision_id = fields.Many2one(
        comodel_name="lift.client.approval.decision",
        string="Client's Answer",
        required=True,
        readonly=True,
        ondelete="cascade",
        help="The answer that proposed this correction: who gave it, how and when.",
    )
    proposed_on = fields.Datetime(
        related="decision_id.decided_on", string="Proposed On"
    )
    line_id = fields.Many2one(
        comodel_name="account.analytic.line",
        string="Timesheet",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    line_date = fields.Date(string="Date", readonly=True)
    line_name = fields.Char(string="Description", readonly=True)
    hours_logged = fields.Float(readonly=True)
    hours_agreed = fields.Float(
        string="Hours Accepted by the Client",
        readonly=True,
        help="What the client accepts to be invoiced for this line.",
    )
    hours_written_off = fields.Float(
        compute="_compute_hours_written_off",
        store=True,
        help="The hours the correction takes off the line: kept in the "
        "employee's timesheet, never invoiced.",
    )
    comment = fields.Text(string="Client's Comment", readonly=True)
    state = fields.Selection(
        selection=CORRECTION_STATES,
        required=True,
        readonly=True,
        default="proposed",
        index=True,
    )
    answered_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Answered By",
        readonly=True,
        help="Who accepted or declined the correction.",
    )
    answered_on = fields.Datetime(readonly=True)
    reply = fields.Text(
        string="Our Answer",
        readonly=True,
        help="Why the correction was declined, as the client reads it.",
    )
    write_off_line_id = fields.Many2one(
        comodel_name="account.analytic.line",
        string="Written-off Hours",
        readonly=True,
        ondelete="set null",
        help="The timesheet line that keeps the hours written off.",
    )
    amount_written_off = fields.Monetary(
        string="Amount Written Off (estimated)",
        readonly=True,
        help="The hours written off at the price of the line's sales order item.",
    )
    summary = fields.Char(compute="_compute_summary")

    @api.depends("hours_logged", "hours_agreed")
    def _compute_hours_written_off(self):
        for correction in self:
            correction.hours_written_off = (
                correction.hours_logged - correction.hours_agreed
            )

    @api.depends("line_date", "hours_logged", "hours_agreed", "state")
    @api.depends_context("lang")
    def _compute_summary(self):
        states = dict(self._fields["state"]._description_selection(self.env))
        for correction in self:
            correction.summary = self.env._(
                "%(date)s: %(logged)s corrected to %(agreed)s hours (%(state)s)",
                date=format_date(self.env, correction.line_date),
                logged=format_duration(correction.hours_logged),
                agreed=format_duration(correction.hours_agreed),
                state=states.get(correction.state, ""),
            )

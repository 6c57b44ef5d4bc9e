from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.rules import msg_nothing_to_waive


class LiftClientApprovalWaiveWizard(models.TransientModel):
    """Invoice anyway: lines, whole letters or a period become
    invoiceable without the client's approval, for a stated reason."""

    _name = "lift.client.approval.waive.wizard"
    _description = "Invoice Without Client Approval"

    letter_ids = fields.Many2many(
        comodel_name="lift.client.approval", string="Timesheet Letters"
    )
    timesheet_ids = fields.Many2many(
        comodel_name="account.analytic.line", string="Timesheets"
    )
    expense_ids = fields.Many2many(comodel_name="hr.expense", string="Expenses")
    line_count = fields.Integer(compute="_compute_line_count")
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        ids = self.env.context.get("active_ids") or []
        if model == "account.analytic.line":
            values["timesheet_ids"] = [fields.Command.set(ids)]
        elif model == "hr.expense":
            values["expense_ids"] = [fields.Command.set(ids)]
        elif model == "lift.client.approval":
            values["letter_ids"] = [fields.Command.set(ids)]
        return values

    def _get_lines(self):
        self.ensure_one()
        timesheets = self.timesheet_ids | self.letter_ids.timesheet_ids
        expenses = self.expense_ids | self.letter_ids.expense_ids
        return [
            lines._client_approval_filter_undecided()
            for lines in (timesheets, expenses)
        ]

    @api.depends("letter_ids", "timesheet_ids", "expense_ids")
    def _compute_line_count(self):
        for wizard in self:
            wizard.line_count = sum(len(lines) for lines in wizard._get_lines())

    def action_waive(self):
        self.ensure_one()
        lines = [lines for lines in self._get_lines() if lines]
        if not lines:
            raise UserError(msg_nothing_to_waive(self.env))
        for records in lines:
            records.client_approval_waive(self.reason)
        return {"type": "ir.actions.act_window_close"}

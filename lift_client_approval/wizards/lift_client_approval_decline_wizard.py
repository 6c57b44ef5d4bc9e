from odoo import fields, models


class LiftClientApprovalDeclineWizard(models.TransientModel):
    """Declining the client's corrections sends the lines back to the client
    with our answer, which the client reads on the letter's page."""

    _name = "lift.client.approval.decline.wizard"
    _description = "Decline the Client's Corrections"

    line_ids = fields.Many2many(
        comodel_name="account.analytic.line", string="Timesheets", readonly=True
    )
    comment = fields.Text(string="Our Answer", required=True)

    def action_decline(self):
        self.ensure_one()
        # as the user: the lines' method says who may decline
        self.line_ids.client_approval_decline_correction(self.comment)
        return {"type": "ir.actions.act_window_close"}

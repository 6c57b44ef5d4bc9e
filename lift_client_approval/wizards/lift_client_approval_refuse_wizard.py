from odoo import fields, models


class LiftClientApprovalRefuseWizard(models.TransientModel):
    """Refusing a letter internally sends it back to the employee; the reason
    is mandatory because the employee has to know what to fix."""

    _name = "lift.client.approval.refuse.wizard"
    _description = "Refuse a Timesheet Letter Internally"

    letter_ids = fields.Many2many(
        comodel_name="lift.client.approval", string="Timesheet Letters"
    )
    reason = fields.Text(required=True)

    def action_refuse(self):
        self.ensure_one()
        self.letter_ids._check_can("approve_internal")
        self.letter_ids._do_refuse_internal(self.reason)
        return {"type": "ir.actions.act_window_close"}

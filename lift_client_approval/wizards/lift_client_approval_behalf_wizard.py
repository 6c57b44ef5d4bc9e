from odoo import api, fields, models
from odoo.tools.misc import format_duration

from ..models.lift_client_approval_answer import ANSWERS


class LiftClientApprovalBehalfWizard(models.TransientModel):
    """A manager records the client's answer given by phone or by mail.
    It goes through ``client_decide`` like the portal, with the note, and the
    answer's record says who recorded it and how the client answered."""

    _name = "lift.client.approval.behalf.wizard"
    _description = "Record the Client's Answer"

    letter_id = fields.Many2one(
        comodel_name="lift.client.approval", required=True, ondelete="cascade"
    )
    line_ids = fields.One2many(
        comodel_name="lift.client.approval.behalf.wizard.line",
        inverse_name="wizard_id",
        string="Lines",
    )
    signer_name = fields.Char(string="Answered By")
    note = fields.Text(
        string="How the Client Answered",
        required=True,
        help="For example: approved by phone on Monday by the project lead.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        letter = self.env["lift.client.approval"].browse(values.get("letter_id"))
        if letter:
            values["signer_name"] = letter.partner_id.name
            values["line_ids"] = [
                fields.Command.create(
                    {
                        "res_model": line._name,
                        "res_id": line.id,
                        "date": line.date,
                        "description": line.name,
                        "amount": format_duration(line.unit_amount)
                        if line._name == "account.analytic.line"
                        else letter._format_amount(line.total_amount),
                    }
                )
                for lines in letter._get_pending_lines()
                for line in lines
            ]
        return values

    def action_confirm(self):
        self.ensure_one()
        decisions = [
            dict(
                {
                    "res_model": line.res_model,
                    "res_id": line.res_id,
                    "decision": line.decision,
                    "comment": line.comment or "",
                },
                **({"quantity": line.hours} if line.decision == "corrected" else {}),
            )
            for line in self.line_ids
        ]
        self.letter_id.client_decide(
            decisions, signer_name=self.signer_name or None, on_behalf_note=self.note
        )
        return {"type": "ir.actions.act_window_close"}


class LiftClientApprovalBehalfWizardLine(models.TransientModel):
    _name = "lift.client.approval.behalf.wizard.line"
    _description = "Client's Answer on One Line"

    wizard_id = fields.Many2one(
        comodel_name="lift.client.approval.behalf.wizard",
        required=True,
        ondelete="cascade",
    )
    res_model = fields.Char(required=True)
    res_id = fields.Integer(required=True)
    date = fields.Date(readonly=True)
    description = fields.Char(readonly=True)
    amount = fields.Char(string="Hours / Amount", readonly=True)
    decision = fields.Selection(
        selection=ANSWERS,
        required=True,
        default="approved",
    )
    comment = fields.Char()
    hours = fields.Float(
        help="For a correction: the hours the client accepts, fewer than those "
        "logged (hours only; the client approves or rejects an expense)."
    )

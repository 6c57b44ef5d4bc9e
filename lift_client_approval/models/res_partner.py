from odoo import fields, models

from .rules import MANAGER_GROUP


class ResPartner(models.Model):
    _inherit = "res.partner"

    client_approval_waiting_count = fields.Integer(
        string="Letters Awaiting Approval",
        compute="_compute_client_approval_stats",
        groups=MANAGER_GROUP,
    )
    client_approval_waiting_amount = fields.Monetary(
        string="Revenue Awaiting Approval",
        compute="_compute_client_approval_stats",
        currency_field="client_approval_currency_id",
        groups=MANAGER_GROUP,
    )
    client_approval_lead_time = fields.Float(
        string="Days to Approve",
        compute="_compute_client_approval_stats",
        groups=MANAGER_GROUP,
        help="On average, over the letters the client decided in the last 90 days.",
    )
    client_approval_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_client_approval_stats",
        groups=MANAGER_GROUP,
    )

    def _compute_client_approval_stats(self):
        """What waits on this client (its company, for a contact)."""
        commercial = self.commercial_partner_id
        stats = self.env["lift.client.approval.analysis"]._get_waiting_stats(
            "commercial_partner_id", commercial
        )
        for partner in self:
            count, amount, lead_time = stats.get(
                partner.commercial_partner_id.id, (0, 0.0, 0.0)
            )
            partner.client_approval_waiting_count = count
            partner.client_approval_waiting_amount = amount
            partner.client_approval_lead_time = lead_time
            partner.client_approval_currency_id = self.env.company.currency_id

    def action_view_client_approval_analysis(self):
        self.ensure_one()
        return self.env["lift.client.approval.analysis"]._action_for(
            self.env._(
                "Awaiting %(client)s", client=self.commercial_partner_id.display_name
            ),
            [("commercial_partner_id", "=", self.commercial_partner_id.id)],
        )

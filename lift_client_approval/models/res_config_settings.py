from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    client_approval_trigger = fields.Selection(
        related="company_id.client_approval_trigger",
        readonly=False,
    )

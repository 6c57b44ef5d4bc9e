from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    client_approval_trigger = fields.Selection(
        related="company_id.client_approval_trigger",
        readonly=False,
    )
    client_approval_reminder_interval = fields.Integer(
        related="company_id.client_approval_reminder_interval", readonly=False
    )
    client_approval_reminder_max = fields.Integer(
        related="company_id.client_approval_reminder_max", readonly=False
    )
    client_approval_auto_warning_days = fields.Integer(
        related="company_id.client_approval_auto_warning_days", readonly=False
    )
    client_approval_digest = fields.Boolean(
        related="company_id.client_approval_digest", readonly=False
    )
    client_approval_manager_digest = fields.Boolean(
        related="company_id.client_approval_manager_digest", readonly=False
    )
    client_approval_inbox_days = fields.Integer(
        related="company_id.client_approval_inbox_days", readonly=False
    )
    client_approval_embed_letters = fields.Boolean(
        related="company_id.client_approval_embed_letters", readonly=False
    )

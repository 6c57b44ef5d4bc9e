from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    client_approval_trigger = fields.Selection(
        selection=[
            ("submit", "When the employee submits"),
            ("internal_approval", "After internal approval by a manager"),
        ],
        string="Ask the Client",
        default="submit",
        required=True,
        help="When the client is asked to approve a timesheet letter: as soon as "
        "the employee submits it, or only once a manager has approved it "
        "internally.",
    )

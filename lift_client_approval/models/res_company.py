from odoo import api, fields, models
from odoo.exceptions import ValidationError


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
    client_approval_reminder_interval = fields.Integer(
        string="Days Between Reminders",
        default=3,
        help="A client who has not answered by the deadline is reminded every "
        "so many days.",
    )
    client_approval_reminder_max = fields.Integer(
        string="Maximum Reminders",
        default=3,
        help="How many reminders a client receives at most for one letter.",
    )
    client_approval_auto_warning_days = fields.Integer(
        string="Warn Before Automatic Approval",
        default=2,
        help="On projects with automatic approval, the client is warned so many "
        "days before the letter is approved automatically.",
    )
    client_approval_digest = fields.Boolean(
        string="Daily Digest",
        help="Send each client approver one e-mail a day listing all the letters "
        "waiting for them, instead of one e-mail per letter.",
    )
    client_approval_manager_digest = fields.Boolean(
        string="Daily Summary to Managers",
        help="Send the client approval managers one e-mail a day: the letters "
        "awaiting clients, the overdue ones, and the three clients with the "
        "most revenue waiting.",
    )
    client_approval_inbox_days = fields.Integer(
        string="Inbox Links Valid For (Days)",
        default=60,
        help="The link to an approver's inbox, in every e-mail to them, works "
        "for so many days; an expired link's page offers to e-mail a new one.",
    )
    client_approval_embed_letters = fields.Boolean(
        string="Letters in E-Invoices",
        default=True,
        help="A Peppol (UBL) e-invoice that bills approved hours carries each "
        "approved timesheet letter as a PDF supporting document, so that the "
        "client's accounts payable receives the signed approval with the "
        "invoice.",
    )
    client_approval_manager_digest_date = fields.Date(
        string="Last Summary to Managers", readonly=True, copy=False
    )

    @api.constrains(
        "client_approval_reminder_interval",
        "client_approval_reminder_max",
        "client_approval_auto_warning_days",
        "client_approval_inbox_days",
    )
    def _check_client_approval_reminders(self):
        for company in self:
            if company.client_approval_inbox_days <= 0:
                raise ValidationError(
                    self.env._("Inbox links must be valid for at least 1 day.")
                )
            if company.client_approval_reminder_interval <= 0:
                raise ValidationError(
                    self.env._("The days between reminders must be at least 1.")
                )
            if (
                company.client_approval_reminder_max < 0
                or company.client_approval_auto_warning_days < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The number of reminders and the days of warning cannot "
                        "be negative."
                    )
                )

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .rules import MANAGER_GROUP, is_manager

DEPUTY_FIELDS = {
    "client_approval_deputy_id",
    "client_approval_deputy_from",
    "client_approval_deputy_to",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    client_approval_deputy_id = fields.Many2one(
        comodel_name="res.partner",
        string="Deputy Approver",
        groups=MANAGER_GROUP,
        help="While the approver is away (from, until), their new requests and "
        "reminders go to this colleague too, who may answer them; letters that "
        "go overdue meanwhile are escalated to them.",
    )
    client_approval_deputy_from = fields.Date(
        string="Deputy From", groups=MANAGER_GROUP
    )
    client_approval_deputy_to = fields.Date(string="Deputy Until", groups=MANAGER_GROUP)
    client_approval_inbox_link_sent_on = fields.Datetime(
        string="Inbox Link Sent On",
        groups=MANAGER_GROUP,
        copy=False,
        readonly=True,
        help="When this approver last asked for a new link to their inbox: one "
        "is sent at most every hour.",
    )
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

    @api.constrains(*DEPUTY_FIELDS)
    def _check_client_approval_deputy(self):
        for partner in self:
            deputy = partner.client_approval_deputy_id
            start = partner.client_approval_deputy_from
            end = partner.client_approval_deputy_to
            if not deputy:
                continue
            if deputy == partner:
                raise ValidationError(
                    self.env._("An approver cannot be their own deputy.")
                )
            if not (start and end) or start > end:
                raise ValidationError(
                    self.env._(
                        "Give the deputy's period: from a day until a later one "
                        "(or the same)."
                    )
                )
            if not deputy.email:
                raise ValidationError(
                    self.env._(
                        "The deputy %(deputy)s has no e-mail address.",
                        deputy=deputy.display_name,
                    )
                )
            if deputy.with_context(active_test=False).user_ids.filtered(
                lambda user: not user.share
            ):
                raise ValidationError(
                    self.env._(
                        "%(deputy)s is one of our own users: only the client "
                        "approves, so a deputy is a contact of the client.",
                        deputy=deputy.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if any(DEPUTY_FIELDS & set(vals) for vals in vals_list):
            self._check_client_approval_deputy_access()
        return super().create(vals_list)

    def write(self, vals):
        deputy_vals = {name: vals[name] for name in DEPUTY_FIELDS & set(vals)}
        if not deputy_vals or self.env.su:
            return super().write(vals)
        # a client approval manager sets deputies without needing the right
        # to edit contacts: the check here, then the deputy fields in sudo
        self._check_client_approval_deputy_access()
        rest = {name: value for name, value in vals.items() if name not in deputy_vals}
        result = super().write(rest) if rest else True
        self.sudo().write(deputy_vals)
        return result

    @api.model
    def _check_client_approval_deputy_access(self):
        """Client approval managers set an approver's deputy."""
        if not self.env.su and not is_manager(self.env):
            raise AccessError(
                self.env._(
                    "Only client approval managers can set an approver's deputy."
                )
            )

    @api.model
    def _get_client_approval_deputy_domain(self, day, path=""):
        """The approvers (at ``path``, such as "partner_id." from a letter)
        whose deputy stands in for them on ``day``: the one rule of "today's
        deputy", for the partner, the inbox and the escalations."""
        return [
            (f"{path}client_approval_deputy_id", "!=", False),
            (f"{path}client_approval_deputy_from", "<=", day),
            (f"{path}client_approval_deputy_to", ">=", day),
        ]

    def _get_client_approval_deputy(self, day=None):
        """This approver's deputy on ``day`` (today by default), or an empty
        recordset (``_get_client_approval_deputy_domain``)."""
        self.ensure_one()
        partner = self.sudo()
        day = day or fields.Date.context_today(self)
        if partner.filtered_domain(self._get_client_approval_deputy_domain(day)):
            return partner.client_approval_deputy_id
        return self.browse()

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

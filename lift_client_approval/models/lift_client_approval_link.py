import hashlib

from odoo import api, fields, models

LINK_REASONS = [
    ("renewed", "Link Renewed"),
    ("approver_changed", "Approver Changed"),
]


def token_hash(token):
    """What is kept of a link's token once it stops working: its SHA-256,
    never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


class LiftClientApprovalLink(models.Model):
    """A link to a letter that no longer opens it: renewed by a manager, or
    the letter handed to another approver (forwarded by the client, or
    changed by a manager). The old link's page says so, and decides
    nothing. Only the token's hash is kept."""

    _name = "lift.client.approval.link"
    _description = "Former Link to a Timesheet Letter"
    _order = "id desc"

    letter_id = fields.Many2one(
        comodel_name="lift.client.approval",
        string="Timesheet Letter",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="letter_id.company_id", store=True)
    token_hash = fields.Char(required=True, readonly=True, index=True)
    reason = fields.Selection(LINK_REASONS, required=True, readonly=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="New Approver",
        readonly=True,
        help="Who the letter was handed to, when its approver changed.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="By",
        readonly=True,
        help="The manager who renewed the link or changed the approver; empty "
        "when the client forwarded the letter.",
    )
    date = fields.Datetime(required=True, readonly=True)

    @api.model
    def _find(self, letter_id, token):
        """The former link of letter ``letter_id`` that ``token`` was, or an
        empty recordset."""
        if not isinstance(token, str) or not token:
            return self.browse()
        return self.sudo().search(
            [("letter_id", "=", letter_id), ("token_hash", "=", token_hash(token))],
            limit=1,
        )

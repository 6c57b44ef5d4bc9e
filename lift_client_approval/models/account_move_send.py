from odoo import api, models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _get_invoice_extra_attachments(self, move):
        """The approved timesheet letters go with the invoice e-mail."""
        return (
            super()._get_invoice_extra_attachments(move)
            | move._get_client_approval_attachments()
        )

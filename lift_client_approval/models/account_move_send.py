from odoo import api, models

from .account_edi_xml_ubl_bis3 import place_project_reference


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _get_invoice_extra_attachments(self, move):
        """The approved timesheet letters go with the invoice e-mail."""
        return (
            super()._get_invoice_extra_attachments(move)
            | move._get_client_approval_attachments()
        )

    @api.model
    def _postprocess_invoice_ubl_xml(self, invoice, invoice_data):
        # the invoice's own PDF joins the e-invoice's supporting documents
        # here, before the supplier: on the 18.0 of early 2025, after the
        # project reference, which UBL wants after them
        result = super()._postprocess_invoice_ubl_xml(invoice, invoice_data)
        values = invoice_data.get("ubl_cii_xml_attachment_values")
        if values and values.get("raw"):
            values["raw"] = place_project_reference(values["raw"])
        return result

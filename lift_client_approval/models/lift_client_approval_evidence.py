import base64

from odoo import models

LETTER_REPORT = "lift_client_approval.action_report_timesheet_letter"


class LiftClientApproval(models.Model):
    """The letter as evidence: the PDF the client approved, which travels
    with the invoice (its e-mail and its e-invoice)."""

    _inherit = "lift.client.approval"

    def _get_approved_pdfs(self):
        """{letter: attachment} for the approved letters among these: the
        letter's PDF, printed once when it is approved and kept on the letter
        (the report's own attachment), printed now when it is missing. Every
        copy that leaves the firm is this file."""
        Report = self.env["ir.actions.report"].sudo()
        report = Report._get_report(LETTER_REPORT)
        pdfs = {}
        for letter in self.sudo().filtered(lambda x: x.state == "approved"):
            attachment = report.retrieve_attachment(letter)
            if not attachment:
                # outside tests, Odoo prints a PDF whatever the context; the
                # key makes tests print one too, as this file must exist
                Report.with_context(force_report_rendering=True)._render_qweb_pdf(
                    LETTER_REPORT, letter.ids
                )
                attachment = report.retrieve_attachment(letter)
            if attachment:
                pdfs[letter] = attachment
        return pdfs

    def _get_ubl_document_node(self, pdf):
        """The letter as a supporting document of a UBL e-invoice, in the
        shape of Odoo's UBL builder: its reference, what it is (in the
        client's language) and its PDF (``pdf``, an attachment)."""
        self.ensure_one()
        letter = self.with_context(lang=self._get_approver_lang())
        return {
            "cbc:ID": {"_text": self.name},
            "cbc:DocumentDescription": {
                "_text": letter.env._(
                    "Timesheet letter approved by the client: %(employee)s, "
                    "%(period)s",
                    employee=self.employee_id.name,
                    period=letter.period_label,
                )
            },
            "cac:Attachment": {
                "cbc:EmbeddedDocumentBinaryObject": {
                    "_text": base64.b64encode(pdf.raw).decode(),
                    "mimeCode": "application/pdf",
                    "filename": pdf.name,
                }
            },
        }

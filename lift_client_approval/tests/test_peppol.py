import base64
from datetime import date, timedelta

from lxml import etree
from peppol import validate_xsd

from odoo.tests import tagged

from .common import ClientApprovalCase

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
# 18.0's switch between its two UBL builders (since 2025); no other tree
# reads it
OLD_BUILDER = "account_edi_ubl_cii.use_new_dict_to_xml_helpers"


@tagged("post_install", "-at_install")
class TestPeppolInvoice(ClientApprovalCase):
    """A Peppol BIS Billing 3.0 invoice of approved hours carries each
    approved letter's PDF as a supporting document, the project and the
    client's reference; the UBL stays valid against the OASIS UBL 2.1
    schema (the official XSDs), on every tree's builder."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        belgium = cls.env.ref("base.be")
        cls.company.partner_id.write(
            {
                "country_id": belgium.id,
                "vat": "BE0202239951",
                "street": "Rue de la Loi 1",
                "zip": "1000",
                "city": "Brussels",
            }
        )
        cls.client.write(
            {
                "country_id": belgium.id,
                "vat": "BE0477472701",
                "street": "Havenlaan 2",
                "zip": "1080",
                "city": "Brussels",
                "invoice_edi_format": "ubl_bis3",
            }
        )

    def approved_invoice(self, weeks=1, reference="PO-777"):
        """The client approves ``weeks`` letters of the employee's hours
        (2.5 and 1.25 hours a week); the invoice of them, posted."""
        letters = self.Letter
        for week in range(weeks):
            monday = date(2026, 3, 2) + timedelta(weeks=week)
            first = self.log(monday, hours=2.5, name="Workshop", user=self.user)
            self.log(
                monday + timedelta(days=1),
                hours=1.25,
                name="Follow-up",
                user=self.user,
            )
            letter = self.Letter.browse(first.client_approval_id.id)
            letter.with_user(self.user).action_submit()
            letter.client_decide(
                letter._get_pending_decisions("approved"),
                signer_name="Jo Signer",
                client_reference=reference,
            )
            letters |= letter
        self.assertEqual(set(letters.mapped("state")), {"approved"})
        invoice = self.invoice()
        invoice.action_post()
        return invoice, letters

    def export(self, invoice, builder="account.edi.xml.ubl_bis3"):
        """The invoice's UBL as Odoo's builder makes it; checked against the
        UBL 2.1 schema."""
        xml, errors = self.env[builder]._export_invoice(invoice)
        self.assertFalse(errors)
        return self.assert_valid(xml)

    def assert_valid(self, xml):
        valid, problems = validate_xsd(xml)
        self.assertTrue(valid, "\n".join(problems))
        return etree.fromstring(xml)

    def documents(self, root):
        """{ID: AdditionalDocumentReference element}, in the document's
        order."""
        return {
            element.findtext("cbc:ID", namespaces=NS): element
            for element in root.findall("cac:AdditionalDocumentReference", NS)
        }

    def assert_letter_embedded(self, root, letter):
        document = self.documents(root)[letter.name]
        self.assertIn(
            "Timesheet letter approved by the client: Employee, Week",
            document.findtext("cbc:DocumentDescription", namespaces=NS),
        )
        binary = document.find("cac:Attachment/cbc:EmbeddedDocumentBinaryObject", NS)
        self.assertEqual(binary.get("mimeCode"), "application/pdf")
        self.assertEqual(
            binary.get("filename"),
            f"Timesheet letter {letter.name.replace('/', '-')}.pdf",
        )
        pdf = base64.b64decode(binary.text)
        text = self.pdf_tool(pdf, "pdftotext", "-layout")
        for expected in (
            letter.name,
            "Workshop",
            "02:30",
            "01:15",
            "03:45",
            "Jo Signer",
        ):
            self.assertIn(expected, text)
        return pdf

    def test_letter_travels_in_the_peppol_invoice(self):
        invoice, letter = self.approved_invoice()
        root = self.export(invoice)
        pdf = self.assert_letter_embedded(root, letter)
        self.assertEqual(
            root.findtext("cac:ProjectReference/cbc:ID", namespaces=NS), "Website"
        )
        self.assertEqual(
            root.findtext("cac:OrderReference/cbc:ID", namespaces=NS), "PO-777"
        )
        # the file that went with the invoice e-mail, the same bytes
        self.assertEqual(invoice._get_client_approval_attachments().raw, pdf)
        # NLCIUS and XRechnung are built on Peppol BIS 3: the same letter
        for builder in ("account.edi.xml.ubl_nl", "account.edi.xml.ubl_de"):
            xml = self.env[builder]._export_invoice(invoice)[0]
            self.assertIn(letter.name, self.documents(self.assert_valid(xml)))

    def test_letters_kept_out_when_the_company_says_so(self):
        self.company.client_approval_embed_letters = False
        invoice, letter = self.approved_invoice()
        root = self.export(invoice)
        self.assertNotIn(letter.name, self.documents(root))
        self.assertEqual(
            root.findtext("cac:ProjectReference/cbc:ID", namespaces=NS), "Website"
        )

    def test_send_and_print_keeps_odoos_own_pdf(self):
        """Sending the invoice as a user does: Odoo embeds the invoice's own
        PDF after the letters, and the UBL stays valid (the project after
        every supporting document, as UBL orders them)."""
        invoice, letter = self.approved_invoice()
        invoice._generate_and_send(sending_methods=["manual"])
        root = self.assert_valid(invoice.ubl_cii_xml_id.raw)
        documents = list(self.documents(root))
        self.assertEqual(len(documents), 2, documents)
        self.assertEqual(documents[0], letter.name)
        self.assert_letter_embedded(root, letter)

    def test_former_builder(self):
        """18.0 keeps its former builder (a template without attachments)
        behind a switch, and the 18.0 of early 2025 has only that one: the
        letter is embedded by either."""
        self.env["ir.config_parameter"].sudo().set_param(OLD_BUILDER, "False")
        invoice, letter = self.approved_invoice()
        root = self.export(invoice)
        self.assert_letter_embedded(root, letter)
        self.assertEqual(
            root.findtext("cac:ProjectReference/cbc:ID", namespaces=NS), "Website"
        )

    def test_credit_note_has_no_project_reference(self):
        invoice, letter = self.approved_invoice()
        refund = invoice._reverse_moves()
        refund.action_post()
        root = self.export(refund)
        self.assertEqual(etree.QName(root).localname, "CreditNote")
        self.assertIsNone(root.find("cac:ProjectReference", NS))

    def test_client_reference_when_the_invoice_has_none(self):
        invoice, letter = self.approved_invoice()
        invoice.button_draft()
        invoice.ref = False
        invoice.action_post()
        root = self.export(invoice)
        self.assertEqual(
            root.findtext("cac:OrderReference/cbc:ID", namespaces=NS), "PO-777"
        )

    def test_ten_letters_stay_small(self):
        """An invoice of ten weeks' letters: ten PDFs inside the UBL, each a
        few tens of kilobytes, far under the size Peppol access points take."""
        invoice, letters = self.approved_invoice(weeks=10)
        root = self.export(invoice)
        for letter in letters:
            self.assertIn(letter.name, self.documents(root))
        sizes = [len(pdf.raw) for pdf in invoice._get_client_approval_attachments()]
        self.assertEqual(len(sizes), 10)
        self.assertLess(max(sizes), 100_000, sizes)
        self.assertLess(len(etree.tostring(root)), 2_000_000)

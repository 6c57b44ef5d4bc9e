import base64
import io

from PIL import Image, ImageDraw

from odoo.tests import tagged
from odoo.tools import format_date

from .common import ClientApprovalCase


def signature_png():
    """A small drawn-looking signature, as the portal's pad sends it."""
    image = Image.new("RGB", (120, 40), "white")
    ImageDraw.Draw(image).line([(5, 30), (40, 5), (80, 35), (115, 10)], "black", 3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


@tagged("post_install", "-at_install")
class TestTimesheetLetterPdf(ClientApprovalCase):
    """The letter is a real PDF (wkhtmltopdf) that shows what the client
    answered by the letter's link: each line's decision and comment, the
    totals, who signed, when, their reference and the drawn signature."""

    def pdf_run(self, letter, *command):
        """Run a poppler tool (``command``, the file's name last) on the
        letter's PDF, as wkhtmltopdf made it; return what it prints."""
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "lift_client_approval.action_report_timesheet_letter", letter.ids
            )
        )
        self.assertEqual(kind, "pdf")
        return self.pdf_tool(pdf, *command)

    def pdf_text(self, letter):
        return self.pdf_run(letter, "pdftotext", "-layout")

    def pdf_images(self, letter):
        """How many images the letter's PDF holds (two lines of headings
        first)."""
        return len(self.pdf_run(letter, "pdfimages", "-list").splitlines()) - 2

    def answer_by_link(self, letter, decisions, **answer):
        """The client answers ``letter`` by the e-mail's link, as its page
        does (the employee's e-mail then comes from the company's address)."""
        self.company.email = "office@firm.example.org"
        token = letter.sudo()._portal_ensure_token()
        letter.with_user(self.env.ref("base.public_user")).client_decide(
            decisions, access_token=token, **answer
        )
        self.env.invalidate_all()

    def test_approved_letter_pdf(self):
        self.log("2026-03-02", hours=2.5, name="Workshop preparation", user=self.user)
        self.log(
            "2026-03-03", hours=1.25, name="Workshop with the client", user=self.user
        )
        self.expense("2026-03-04", amount=42.5)
        letter = self.Letter.search([("employee_id", "=", self.employee.id)])
        letter.with_user(self.user).action_submit()
        # before the answer: pending, unsigned
        unsigned_images = self.pdf_images(letter)
        text = self.pdf_text(letter)
        self.assertIn("Pending", text)
        self.assertNotIn("Approved by", text)
        self.answer_by_link(
            letter,
            letter.sudo()._get_pending_decisions("approved"),
            signer_name="Jo Signer",
            signature=signature_png(),
            client_reference="PO-4711",
        )
        self.assertEqual(letter.state, "approved")
        self.assertEqual(letter.decided_by, "client")
        text = self.pdf_text(letter)
        # the drawn signature is printed: one image more than before
        self.assertEqual(self.pdf_images(letter), unsigned_images + 1)
        for expected in (
            letter.name,
            "Employee",
            "Website",
            "Week 10, 2026",
            "Workshop preparation",
            "Workshop with the client",
            "02:30",
            "01:15",
            "03:45",  # total hours
            "Train ticket 2026-03-04",
            "42.50",
            "Client Approver",
            "Approved by",
            "Jo Signer",
            format_date(self.env, letter.signed_on),
            "Your reference",
            "PO-4711",
            "by the link in the e-mail",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("Pending", text)

    def test_rejection_comment_in_pdf(self):
        line = self.log("2026-03-02", name="Long meeting", user=self.user)
        letter = line.client_approval_id
        letter.with_user(self.user).action_submit()
        self.answer_by_link(
            letter,
            [
                dict(pending, comment="Meeting was cancelled <b>really</b>")
                for pending in letter.sudo()._get_pending_decisions("rejected")
            ],
            signer_name="Jo Signer",
        )
        self.assertEqual(letter.state, "rejected")
        text = self.pdf_text(letter)
        self.assertIn("Meeting was cancelled <b>really</b>", text)
        self.assertIn("Rejected", text)
        # the page's signer answered, but approved nothing
        self.assertNotIn("Approved by", text)

import base64
import io
import shutil
import subprocess
import tempfile

from PIL import Image, ImageDraw

from odoo.tests import tagged

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
    """The approved letter is a real PDF (wkhtmltopdf) that lists the
    lines, the totals, the approver, the date and the signature.
    """

    def pdf_text(self, letter):
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "lift_client_approval.action_report_timesheet_letter", letter.ids
            )
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertTrue(shutil.which("pdftotext"), "poppler-utils is installed")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            return subprocess.run(
                ["pdftotext", "-layout", file.name, "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout

    def test_approved_letter_pdf(self):
        self.log("2026-03-02", hours=2.5, name="Workshop preparation")
        self.log("2026-03-03", hours=1.25, name="Workshop with the client")
        self.expense("2026-03-04", amount=42.5)
        letter = self.Letter.search([("employee_id", "=", self.employee.id)])
        letter.action_submit()
        self.decide_all(letter)
        letter.write({"signed_by": "Client Approver", "signature": signature_png()})
        text = self.pdf_text(letter)
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
        ):
            self.assertIn(expected, text)

    def test_rejection_comment_in_pdf(self):
        line = self.log("2026-03-02", name="Long meeting")
        letter = line.client_approval_id
        letter.action_submit()
        self.decide_all(letter, "rejected", "Meeting was cancelled <b>really</b>")
        text = self.pdf_text(letter)
        self.assertIn("Meeting was cancelled <b>really</b>", text)

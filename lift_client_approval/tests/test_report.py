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
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertTrue(shutil.which(command[0]), "poppler-utils is installed")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            return subprocess.run(
                [*command, file.name, *(["-"] if command[0] == "pdftotext" else [])],
                check=True,
                capture_output=True,
                text=True,
            ).stdout

    def pdf_text(self, letter):
        return self.pdf_run(letter, "pdftotext", "-layout")

    def pdf_images(self, letter):
        """How many images the letter's PDF holds (two lines of headings
        first)."""
        return len(self.pdf_run(letter, "pdfimages", "-list").splitlines()) - 2

    def test_approved_letter_pdf(self):
        self.log("2026-03-02", hours=2.5, name="Workshop preparation")
        self.log("2026-03-03", hours=1.25, name="Workshop with the client")
        self.expense("2026-03-04", amount=42.5)
        letter = self.Letter.search([("employee_id", "=", self.employee.id)])
        letter.with_user(self.user).action_submit()
        # the client signs and approves by the e-mail's link, as on the page
        self.company.email = "office@firm.example.org"
        token = letter.sudo()._portal_ensure_token()
        letter.with_user(self.env.ref("base.public_user")).client_decide(
            letter.sudo()._get_pending_decisions("approved"),
            signer_name="Client Approver",
            signature=signature_png(),
            access_token=token,
        )
        self.assertEqual(letter.state, "approved")
        self.assertEqual(letter.signed_by, "Client Approver")
        text = self.pdf_text(letter)
        # the drawn signature is printed: one image more than the same
        # letter shows unsigned
        signed_images = self.pdf_images(letter)
        letter.sudo().signature = False
        self.assertEqual(self.pdf_images(letter), signed_images - 1)
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

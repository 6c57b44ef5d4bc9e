import base64
import struct
import zlib

from odoo.tests import tagged

from .common import ClientApprovalHttpCase


def png_header(width, height):
    """The start of a PNG that claims ``width`` x ``height`` pixels."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@tagged("post_install", "-at_install")
class TestBadInput(ClientApprovalHttpCase):
    """Input no browser would send gets a clear page (HTTP 400), never a
    server error, and changes nothing."""

    def setUp(self):
        super().setUp()
        self.letter = self.sent_letter()
        self.letter._portal_ensure_token()
        self.line = self.letter.timesheet_ids.sorted("date")[0]
        self.authenticate(None, None)

    def post(self, data):
        page = self.url_open(self.letter.get_portal_url()).text
        return self.url_open(
            f"/my/client-approvals/{self.letter.id}/decide",
            data=dict(
                {
                    "csrf_token": self.csrf(page),
                    "access_token": self.letter.access_token,
                    "round": str(self.letter.submission_count),
                },
                **data,
            ),
        )

    def assertRefused(self, response, text):
        self.assertEqual(response.status_code, 400)
        self.assertIn(text, response.text)
        self.env.invalidate_all()
        self.assertEqual(self.letter.state, "sent")
        self.assertFalse(self.letter.signed_by)
        self.assertFalse(self.letter.decision_ids)
        self.assertEqual(
            set(self.letter.timesheet_ids.mapped("client_approval_state")),
            {"pending"},
        )

    def test_non_ascii_digit_in_a_line_id(self):
        response = self.post({"decision-t-²": "approved"})
        self.assertRefused(response, "unknown line")
        response = self.post({f"decision-t-{self.line.id}٣": "approved"})
        self.assertRefused(response, "unknown line")
        response = self.post({"decision-t-99999999999999999999": "approved"})
        self.assertRefused(response, "unknown line")

    def test_signature_claiming_a_huge_image(self):
        for (width, height), message in (
            ((20000, 20000), "Please sign again"),
            ((5000, 3000), "at most 2000 x 2000 pixels"),
        ):
            signature = base64.b64encode(png_header(width, height)).decode()
            response = self.post(
                {
                    "approve_all": "1",
                    "signature": f"data:image/png;base64,{signature}",
                }
            )
            self.assertRefused(response, message)
        response = self.post(
            {
                "approve_all": "1",
                "signature": "data:image/png;base64,"
                + base64.b64encode(b"GIF89a not a png").decode(),
            }
        )
        self.assertRefused(response, "signature could not be read")

    def test_nul_bytes(self):
        for field in ("signer_name", "client_reference"):
            response = self.post({"approve_all": "1", field: "Client\x00Approver"})
            self.assertRefused(response, "cannot be stored")
        response = self.post(
            {
                f"decision-t-{self.line.id}": "rejected",
                f"comment-t-{self.line.id}": "too\x00much",
            }
        )
        self.assertRefused(response, "cannot be stored")

    def test_too_long_texts(self):
        response = self.post({"approve_all": "1", "signer_name": "x" * 129})
        self.assertRefused(response, "at most 128 characters")
        response = self.post({"approve_all": "1", "client_reference": "x" * 65})
        self.assertRefused(response, "at most 64 characters")
        response = self.post(
            {
                f"decision-t-{self.line.id}": "rejected",
                f"comment-t-{self.line.id}": "x" * 2001,
            }
        )
        self.assertRefused(response, "at most 2000 characters")

    def test_ids_beyond_postgresql_integers(self):
        base = f"/my/client-approvals/{self.letter.id}"
        token = f"?access_token={self.letter.access_token}"
        for url in (
            f"{base}/receipt/99999999999999999999{token}",
            f"/my/client-approvals/99999999999999999999{token}",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 400, url)
            self.assertIn("could not be handled", response.text)
        page = self.url_open(self.letter.get_portal_url()).text
        response = self.url_open(
            "/my/client-approvals/99999999999999999999/decide",
            data={"csrf_token": self.csrf(page), "approve_all": "1"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.letter.state, "sent")

    def test_bulk_route_with_hostile_ids(self):
        self.authenticate("lca_portal", "lca_portal")
        response = self.bulk_approve(["²", "99999999999999999999", "-1", "x"])
        self.assertEqual(response.status_code, 200)
        self.assertIn("4 letter(s) could not be approved", response.text)
        self.assertEqual(self.letter.state, "sent")

    def test_receipts_are_the_expense_s_own_files_only(self):
        expense = self.letter.expense_ids
        receipt = self.env["ir.attachment"].create(
            {
                "name": "receipt.pdf",
                "datas": base64.b64encode(b"%PDF-1.4 receipt"),
                "res_model": "hr.expense",
                "res_id": expense.id,
            }
        )
        note_file = self.env["ir.attachment"].create(
            {
                "name": "internal-margin.xlsx",
                "datas": base64.b64encode(b"margins"),
                "res_model": "hr.expense",
                "res_id": expense.id,
            }
        )
        expense.message_post(
            body="Our margin on this one", attachment_ids=note_file.ids
        )
        page = self.url_open(self.letter.get_portal_url()).text
        self.assertIn("receipt.pdf", page)
        self.assertNotIn("internal-margin.xlsx", page)
        token = f"?access_token={self.letter.access_token}"
        base = f"/my/client-approvals/{self.letter.id}/receipt"
        self.assertEqual(self.url_open(f"{base}/{receipt.id}{token}").status_code, 200)
        self.assertEqual(
            self.url_open(f"{base}/{note_file.id}{token}").status_code, 404
        )

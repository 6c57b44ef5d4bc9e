import re

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ClientApprovalHttpCase


@tagged("post_install", "-at_install")
class TestPortalDecide(ClientApprovalHttpCase):
    """The decision form: plain HTML POSTs with the CSRF token, every rule of
    client_decide behind it, a clear page for every refusal."""

    def setUp(self):
        super().setUp()
        self.letter = self.sent_letter()
        self.letter._portal_ensure_token()
        self.line1, self.line2 = self.letter.timesheet_ids.sorted("date")
        self.expense_line = self.letter.expense_ids
        self.url = self.letter.get_portal_url()
        self.authenticate(None, None)

    def post(self, data, letter=None):
        letter = letter or self.letter
        page = self.url_open(letter.get_portal_url()).text
        data = dict(
            {
                "csrf_token": self.csrf(page),
                "access_token": letter.access_token,
                "round": str(letter.submission_count),
            },
            **data,
        )
        return self.url_open(f"/my/client-approvals/{letter.id}/decide", data=data)

    def test_approve_all_signs_and_confirms(self):
        response = self.post(
            {
                "approve_all": "1",
                "signer_name": "Client Approver",
                "client_reference": "PO-123",
            }
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("your answer has been recorded", response.text)
        self.assertEqual(self.letter.state, "approved")
        self.assertEqual(self.letter.signed_by, "Client Approver")
        self.assertEqual(self.letter.client_reference, "PO-123")
        self.send_confirmations()
        confirmation = self.mails(self.letter, "approved (Ref")
        self.assertEqual(len(confirmation), 1)
        self.assertEqual(confirmation.partner_ids, self.approver)
        self.assertEqual(len(confirmation.attachment_ids), 1)
        self.assertIn(self.letter.name, confirmation.attachment_ids.name)
        self.assertEqual(len(self.mails(self.letter, "are approved")), 1)
        # the decided letter stays readable, without a form
        page = self.url_open(self.url).text
        self.assertNotIn("Approve all", page)
        self.assertIn("Approved by", page)

    def test_line_by_line_with_rejection(self):
        response = self.post(
            {
                f"decision-t-{self.line1.id}": "rejected",
                f"comment-t-{self.line1.id}": "Only one hour was agreed",
                f"decision-t-{self.line2.id}": "approved",
                f"decision-e-{self.expense_line.id}": "approved",
            }
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.letter.state, "rejected")
        self.assertEqual(self.line1.client_approval_state, "rejected")
        self.assertEqual(self.line1.client_approval_comment, "Only one hour was agreed")
        rejected = self.mails(self.letter, "were rejected")
        self.assertEqual(len(rejected), 1)
        self.assertEqual(rejected.partner_ids, self.employee.work_contact_id)
        self.assertIn("Only one hour was agreed", rejected.body)
        self.send_confirmations()
        self.assertFalse(self.mails(self.letter, "approved (Ref"))

    def test_rejection_without_comment_saves_nothing(self):
        response = self.post(
            {
                f"decision-t-{self.line1.id}": "rejected",
                f"comment-t-{self.line1.id}": "  ",
                f"decision-t-{self.line2.id}": "approved",
                "client_reference": "PO-9",
            }
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("a rejection needs a comment", response.text)
        # what the client typed is still in the form
        self.assertIn('value="PO-9"', response.text)
        self.assertEqual(self.line2.client_approval_state, "pending")
        self.assertFalse(self.letter.client_reference)

    def test_missing_comment_is_told_at_its_field(self):
        """Without JavaScript, the server's page ties the error to the
        comment that lacks it, for assistive technology."""
        response = self.post(
            {
                f"decision-t-{self.line1.id}": "rejected",
                f"decision-t-{self.line2.id}": "rejected",
                f"comment-t-{self.line2.id}": "Not this week",
            }
        )
        self.assertEqual(response.status_code, 400)
        first, second = (f"t-{self.line1.id}", f"t-{self.line2.id}")
        field = re.search(rf'<textarea[^>]*id="comment-{first}"[^>]*>', response.text)
        self.assertIn('aria-invalid="true"', field.group(0))
        self.assertIn(f'aria-describedby="comment-error-{first}"', field.group(0))
        self.assertRegex(
            response.text,
            rf'id="comment-error-{first}"[^>]*>\s*Say why you reject this line',
        )
        self.assertIn(f'href="#comment-{first}"', response.text)
        other = re.search(rf'<textarea[^>]*id="comment-{second}"[^>]*>', response.text)
        self.assertNotIn("aria-invalid", other.group(0))
        self.assertIn("Not this week", response.text)  # kept in the form
        self.assertEqual(self.line2.client_approval_state, "pending")

    def test_double_post_decides_once(self):
        data = {"approve_all": "1"}
        self.post(data)
        self.assertEqual(self.letter.state, "approved")
        self.send_confirmations()
        mails = self.mails(self.letter, "approved (Ref")
        response = self.url_open(
            f"/my/client-approvals/{self.letter.id}/decide",
            data={
                "csrf_token": self.csrf(self.url_open(self.url).text),
                "access_token": self.letter.access_token,
                "round": "1",
                "approve_all": "1",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("not awaiting your answer", response.text)
        self.send_confirmations()
        self.assertEqual(self.mails(self.letter, "approved (Ref"), mails)

    def test_stale_page(self):
        page = self.url_open(self.url).text
        csrf = self.csrf(page)
        # meanwhile the letter is taken back and sent again
        self.letter.action_reset_to_draft()
        self.letter.action_submit()
        response = self.url_open(
            f"/my/client-approvals/{self.letter.id}/decide",
            data={
                "csrf_token": csrf,
                "access_token": self.letter.access_token,
                "round": "1",
                "approve_all": "1",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("changed since you opened the page", response.text)
        self.assertEqual(self.letter.state, "sent")
        self.assertEqual(self.letter.pending_count, 3)

    @mute_logger("odoo.http")
    def test_post_without_csrf_token(self):
        response = self.url_open(
            f"/my/client-approvals/{self.letter.id}/decide",
            data={"access_token": self.letter.access_token, "approve_all": "1"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.letter.state, "sent")

    def test_post_with_wrong_token(self):
        page = self.url_open(self.url).text
        response = self.url_open(
            f"/my/client-approvals/{self.letter.id}/decide",
            data={
                "csrf_token": self.csrf(page),
                "access_token": "wrong",
                "round": "1",
                "approve_all": "1",
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.letter.state, "sent")

    def test_smuggled_line_of_another_letter(self):
        other = self.sent_letter(days=("2026-03-09",), with_expense=False)
        stranger = other.timesheet_ids
        response = self.post(
            {
                f"decision-t-{self.line1.id}": "approved",
                f"decision-t-{stranger.id}": "approved",
            }
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("does not belong", response.text)
        self.assertEqual(stranger.client_approval_state, "pending")
        self.assertEqual(self.line1.client_approval_state, "pending")
        response = self.post({"decision-x-1": "approved"})
        self.assertIn("unknown line", response.text)

    def test_huge_and_hostile_comment_is_stored_and_escaped(self):
        comment = "<script>alert('x')</script><b>bold</b>" + "x" * 1_900
        self.post(
            {
                f"decision-t-{self.line1.id}": "rejected",
                f"comment-t-{self.line1.id}": comment,
                f"decision-t-{self.line2.id}": "approved",
                f"decision-e-{self.expense_line.id}": "approved",
            }
        )
        self.assertEqual(self.line1.client_approval_comment, comment)
        page = self.url_open(self.url).text
        self.assertNotIn("<script>alert('x')</script>", page)
        self.assertIn("&lt;script&gt;", page)
        mail = self.mails(self.letter, "were rejected")
        self.assertNotIn("<script>", mail.body)
        self.assertIn("&lt;script&gt;", mail.body)
        html = self.letter_html(self.letter)
        self.assertNotIn("<script>alert", html)
        self.assertIn("&lt;script&gt;", html)

    def test_bad_signature(self):
        response = self.post(
            {"approve_all": "1", "signature": "data:image/png;base64,@@@"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("signature could not be read", response.text)
        self.assertEqual(self.letter.state, "sent")

    def test_bulk_approve(self):
        other = self.sent_letter(days=("2026-03-09",), with_expense=False)
        foreign = self.sent_letter(days=("2026-03-16",), with_expense=False)
        foreign.partner_id = self.other_portal_user.partner_id
        self.authenticate("lca_portal", "lca_portal")
        response = self.bulk_approve([self.letter.id, other.id, foreign.id])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.letter.state, "approved")
        self.assertEqual(other.state, "approved")
        self.assertEqual(foreign.state, "sent")
        self.assertIn("2 timesheet letter(s) approved", response.text)
        self.assertIn("1 letter(s) could not be approved", response.text)

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ClientApprovalHttpCase


@tagged("post_install", "-at_install")
class TestPortalAccess(ClientApprovalHttpCase):
    """Who may open a letter: the token's holder, or the client's portal
    users; nobody else sees anything of it."""

    def setUp(self):
        super().setUp()
        self.letter = self.sent_letter()
        self.letter._portal_ensure_token()
        self.other = self.sent_letter(days=("2026-03-09",), with_expense=False)
        self.other._portal_ensure_token()

    def assert_refused(self, url):
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 303, url)
        self.assertNotIn("/client-approvals", response.headers["Location"])
        self.assertNotIn(self.letter.name, response.text)

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_public_needs_the_right_token(self):
        self.authenticate(None, None)
        base = f"/my/client-approvals/{self.letter.id}"
        self.assert_refused(base)
        self.assert_refused(f"{base}?access_token=wrong")
        self.assert_refused(f"{base}?access_token={self.other.access_token}")
        self.assert_refused(
            f"/my/client-approvals/{self.other.id}?access_token={self.letter.access_token}"
        )
        self.assert_refused(f"{base}?access_token={self.letter.access_token}x")
        self.assert_refused(f"{base}?access_token=&report_type=pdf")
        response = self.url_open(f"{base}?access_token={self.letter.access_token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.letter.name, response.text)
        self.assertIn("Employee", response.text)
        self.assertIn("Work on 2026-03-02", response.text)
        self.assertIn("Train ticket 2026-03-02", response.text)
        self.assertIn("04:00", response.text)  # total hours, as Odoo shows hours

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_portal_user_of_another_customer(self):
        self.authenticate("lca_portal_other", "lca_portal_other")
        self.assert_refused(f"/my/client-approvals/{self.letter.id}")
        response = self.url_open("/my/client-approvals")
        self.assertNotIn(self.letter.name, response.text)
        result, error = self.call_kw(
            "lift.client.approval", "read", [self.letter.ids, ["name"]]
        )
        self.assertIsNone(result)
        self.assertTrue(error)

    def test_portal_user_of_the_customer(self):
        self.authenticate("lca_portal", "lca_portal")
        response = self.url_open("/my/client-approvals")
        self.assertIn(self.letter.name, response.text)
        self.assertIn(self.other.name, response.text)
        response = self.url_open(f"/my/client-approvals/{self.letter.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Approve all", response.text)
        for code, lines in (
            ("t", self.letter.timesheet_ids),
            ("e", self.letter.expense_ids),
        ):
            for line in lines:
                self.assertIn(line.name, response.text)
                self.assertIn(f'name="decision-{code}-{line.id}"', response.text)
        self.assertIn("04:00", response.text)
        self.assertNotIn("Work on 2026-03-09", response.text)  # the other letter's
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["client_approval_count"]}
        )
        self.assertEqual(counters["client_approval_count"], 2)

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_portal_users_answer_on_the_page(self):
        """The line-by-line answer the page posts: recorded as the client's
        portal user; the same form from another client's portal user
        changes nothing and shows nothing."""
        line1, line2 = self.letter.timesheet_ids.sorted("date")
        form = {
            "round": str(self.letter.submission_count),
            f"decision-t-{line1.id}": "rejected",
            f"comment-t-{line1.id}": "Not agreed",
            f"decision-t-{line2.id}": "approved",
            f"decision-e-{self.letter.expense_ids.id}": "approved",
            "signer_name": "Client Approver",
        }
        url = f"/my/client-approvals/{self.letter.id}/decide"
        self.authenticate("lca_portal_other", "lca_portal_other")
        page = self.url_open("/my").text
        response = self.url_open(
            url, data=dict(form, csrf_token=self.csrf(page)), allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        self.assertNotIn("/client-approvals", response.headers["Location"])
        self.assertNotIn(self.letter.name, response.text)
        self.env.invalidate_all()
        self.assertEqual(self.letter.state, "sent")
        self.assertEqual(self.letter.pending_count, 3)
        self.assertFalse(self.letter.decision_ids)

        self.authenticate("lca_portal", "lca_portal")
        page = self.url_open(f"/my/client-approvals/{self.letter.id}").text
        response = self.url_open(url, data=dict(form, csrf_token=self.csrf(page)))
        self.assertEqual(response.status_code, 200)
        self.assertIn("your answer has been recorded", response.text)
        self.env.invalidate_all()
        self.assertEqual(self.letter.state, "rejected")
        self.assertEqual(self.letter.decided_by, "portal_user")
        self.assertEqual(self.letter.decision_ids.decided_by, "portal_user")
        self.assertEqual(self.letter.decision_ids.user_id, self.portal_user)
        self.assertEqual(line1.client_approval_comment, "Not agreed")
        self.assertEqual(
            (line1 | line2).mapped("client_approval_state"), ["rejected", "approved"]
        )
        self.assertEqual(self.letter.expense_ids.client_approval_state, "approved")
        self.assertEqual(self.other.state, "sent")

    def test_draft_letters_are_not_shown_to_clients(self):
        draft = self.log("2026-03-16").client_approval_id
        self.authenticate("lca_portal", "lca_portal")
        response = self.url_open("/my/client-approvals")
        self.assertNotIn(f"/my/client-approvals/{draft.id}", response.text)
        self.assert_refused(f"/my/client-approvals/{draft.id}")
        result, error = self.call_kw(
            "lift.client.approval", "search_read", [[("id", "=", draft.id)], ["name"]]
        )
        self.assertIsNone(error)
        self.assertEqual(result, [])

    def test_withdrawn_and_cancelled_letters(self):
        url = self.letter.get_portal_url()
        self.letter.action_reset_to_draft()
        response = self.url_open(url)
        self.assertIn("taken back to be corrected", response.text)
        self.assertNotIn("Approve all", response.text)
        self.letter.action_cancel()
        response = self.url_open(url)
        self.assertIn("has been cancelled", response.text)

    def test_pdf_download(self):
        response = self.url_open(
            self.letter.get_portal_url(report_type="pdf", download=True)
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Timesheet_letter_TL", response.headers["Content-Disposition"])

    def test_receipt_download(self):
        expense = self.letter.expense_ids
        receipt = self.env["ir.attachment"].create(
            {
                "name": "ticket.txt",
                "raw": b"train ticket",
                "res_model": "hr.expense",
                "res_id": expense.id,
            }
        )
        page = self.url_open(self.letter.get_portal_url()).text
        self.assertIn("ticket.txt", page)
        url = self.letter.get_portal_url(suffix=f"/receipt/{receipt.id}")
        self.assertEqual(self.url_open(url).content, b"train ticket")
        # a receipt of another expense is not served through this letter
        stranger = self.env["ir.attachment"].create(
            {"name": "secret.txt", "raw": b"secret", "res_model": "res.partner"}
        )
        url = self.letter.get_portal_url(suffix=f"/receipt/{stranger.id}")
        self.assertEqual(self.url_open(url).status_code, 404)

    def test_page_in_the_approver_language(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(
            ["lift_client_approval"], ["nl_NL"], overwrite=True
        )
        self.approver.lang = "nl_NL"
        self.authenticate(None, None)
        page = self.url_open(self.letter.get_portal_url()).text
        self.assertIn("Alles goedkeuren", page)
        self.assertIn("Urenbrief", page)
        self.approver.lang = "en_US"
        page = self.url_open(self.letter.get_portal_url()).text
        self.assertIn("Approve all", page)

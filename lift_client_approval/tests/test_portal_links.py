from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ClientApprovalHttpCase


@tagged("post_install", "-at_install")
class TestPortalLinks(ClientApprovalHttpCase):
    """Links that stay safe: a manager renews a letter's link, the client
    forwards the letter to a colleague; a former link opens nothing and
    decides nothing, and says what happened."""

    def setUp(self):
        super().setUp()
        self.letter = self.sent_letter(days=("2026-03-02",), with_expense=False)
        self.letter._portal_ensure_token()
        self.token = self.letter.access_token

    def snapshot(self):
        self.env.invalidate_all()
        return (
            self.letter.state,
            self.letter.partner_id,
            self.letter.access_token,
            self.letter.timesheet_ids.mapped("client_approval_state"),
            self.env["lift.client.approval.decision"].search_count([]),
        )

    def open(self, token):
        return self.url_open(
            f"/my/client-approvals/{self.letter.id}?access_token={token}"
        )

    def answer(self, token, page_token=None):
        """Approve every line with ``token``, the CSRF token taken from the
        page of ``page_token``."""
        page = self.open(page_token or self.letter.access_token).text
        return self.url_open(
            f"/my/client-approvals/{self.letter.id}/decide",
            data={
                "csrf_token": self.csrf(page),
                "access_token": token,
                "round": str(self.letter.submission_count),
                "approve_all": "1",
            },
        )

    def forward(self, name, email, token=None):
        token = token or self.letter.access_token
        page = self.open(token).text
        return self.url_open(
            f"/my/client-approvals/{self.letter.id}/forward",
            data={
                "csrf_token": self.csrf(page),
                "access_token": token,
                "forward_name": name,
                "forward_email": email,
            },
        )

    def test_opening_a_page_decides_nothing(self):
        self.authenticate(None, None)
        before = self.snapshot()
        for _attempt in range(3):
            self.assertEqual(self.open(self.token).status_code, 200)
            self.url_open(
                f"/my/client-approvals/{self.letter.id}/decide"
                f"?access_token={self.token}&approve_all=1"
            )
            self.url_open(
                f"/my/client-approvals/{self.letter.id}/forward"
                f"?access_token={self.token}&forward_name=X&forward_email=x@example.org"
            )
        self.assertEqual(self.snapshot(), before)

    def test_manager_renews_the_link(self):
        self.letter.with_user(self.manager_user).action_renew_access_token()
        new = self.letter.access_token
        self.assertNotEqual(new, self.token)
        self.authenticate(None, None)
        old_page = self.open(self.token)
        self.assertEqual(old_page.status_code, 410)
        self.assertRegex(old_page.text, r"was\s+renewed on")
        self.assertNotIn("Work on", old_page.text)  # nothing of the letter
        self.assertEqual(self.open(new).status_code, 200)
        mail = self.mails(self.letter, "your new link")
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.partner_ids, self.approver)
        # the token is in the e-mail only, never in the history
        history = self.letter.message_ids.mapped("body")
        self.assertFalse([body for body in history if new in (body or "")])
        self.assertFalse([body for body in history if self.token in (body or "")])
        # the former link decides nothing
        before = self.snapshot()
        response = self.answer(self.token, page_token=new)
        self.assertEqual(response.status_code, 410)
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(self.answer(new).status_code, 200)
        self.assertEqual(self.letter.state, "approved")

    def test_only_managers_renew_the_link(self):
        before = self.snapshot()
        for login in ("lca_employee", "lca_other", "lca_portal"):
            self.authenticate(login, login)
            _result, error = self.call_kw(
                "lift.client.approval", "action_renew_access_token", [self.letter.ids]
            )
            self.assertTrue(error, login)
            self.assertEqual(self.snapshot(), before)
        with self.assertRaises(AccessError):
            self.letter.with_user(self.user).action_renew_access_token()
        self.assertEqual(self.snapshot(), before)

    def test_client_forwards_to_a_colleague(self):
        self.authenticate(None, None)
        response = self.forward("Robin Colleague", "Robin@Client.example.com")
        self.assertEqual(response.status_code, 200)
        self.assertIn("the letter is forwarded", response.text)
        colleague = self.letter.partner_id
        self.assertEqual(colleague.name, "Robin Colleague")
        self.assertEqual(colleague.email, "robin@client.example.com")
        self.assertEqual(colleague.commercial_partner_id, self.client)
        self.assertNotEqual(self.letter.access_token, self.token)
        request = self.mails(self.letter, "to approve").filtered(
            lambda m: colleague in m.partner_ids
        )
        self.assertEqual(len(request), 1)
        note = self.letter.message_ids.filtered(
            lambda m: "forwarded the letter to Robin Colleague" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertNotIn(self.client, self.letter.message_partner_ids)
        self.assertNotIn(self.approver, self.letter.message_partner_ids)
        # the old link says so, and decides nothing
        old_page = self.open(self.token)
        self.assertEqual(old_page.status_code, 410)
        self.assertIn("was handed to", old_page.text)
        self.assertIn("Robin Colleague", old_page.text)
        before = self.snapshot()
        self.assertEqual(
            self.answer(self.token, page_token=self.letter.access_token).status_code,
            410,
        )
        self.assertEqual(self.snapshot(), before)
        # the colleague answers with their own link
        self.assertEqual(self.answer(self.letter.access_token).status_code, 200)
        self.assertEqual(self.letter.state, "approved")
        # an existing contact of the client is found, not made again
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("email_normalized", "=", "robin@client.example.com")]
            ),
            1,
        )

    def test_forwarding_refused(self):
        self.authenticate(None, None)
        before = self.snapshot()
        for name, email, message in (
            ("Manager", "manager@example.com", "belongs to us"),
            ("Employee", self.user.email, "belongs to us"),
            ("Me", "approver@example.com", "approver already"),
            ("", "robin@client.example.com", "Give the name"),
            ("Robin", "not an address", "is not an e-mail address"),
        ):
            with self.subTest(email=email):
                response = self.forward(name, email, token=self.token)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
                self.assertEqual(self.snapshot(), before)
        # the employee over JSON-RPC, to herself; another client's portal user
        for login, email in (
            ("lca_employee", self.user.email),
            ("lca_portal_other", "other.approver@example.com"),
        ):
            self.authenticate(login, login)
            _result, error = self.call_kw(
                "lift.client.approval",
                "client_approval_forward",
                [self.letter.ids, "Someone", email],
                {"access_token": None},
            )
            self.assertTrue(error, login)
            self.assertEqual(self.snapshot(), before)
        # a decided letter is not forwarded
        self.authenticate("lca_portal", "lca_portal")
        self.decide_all(self.letter)
        with self.assertRaisesRegex(UserError, "not awaiting your answer"):
            self.letter.with_user(self.portal_user).client_approval_forward(
                "Robin", "robin@client.example.com"
            )

from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import ClientApprovalHttpCase


@tagged("post_install", "-at_install")
class TestClientQuestions(ClientApprovalHttpCase):
    """The client asks about a line or the letter in the page's chatter
    (Odoo's portal chatter, as on a quotation) instead of rejecting it. The
    question reaches the employee and the project manager; their answer
    reaches the client by e-mail, with the letter's link. A question changes
    no decision. Every message is posted over HTTP, as the chatter posts it."""

    def setUp(self):
        super().setUp()
        self.letter = self.sent_letter()
        self.letter._portal_ensure_token()
        self.employee_partner = self.user.partner_id
        self.manager_partner = self.manager_user.partner_id

    def post_question(self, body, token=None):
        """What the portal chatter sends when the client presses Send."""
        params = {
            "thread_model": self.letter._name,
            "thread_id": self.letter.id,
            "post_data": {
                "body": body,
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_comment",
            },
            # keep the e-mails in the queue, to read them
            "context": {"mail_notify_force_send": False},
        }
        if token:
            params["token"] = token
        return self.make_jsonrpc_request("/mail/message/post", params)

    def decisions(self):
        self.env.invalidate_all()
        return (
            self.letter.state,
            [
                (line.id, line.client_approval_state)
                for lines in (self.letter.timesheet_ids, self.letter.expense_ids)
                for line in lines
            ],
            len(self.letter.decision_ids),
        )

    def question(self, body):
        self.env.invalidate_all()
        return self.env["mail.message"].search(
            [
                ("model", "=", self.letter._name),
                ("res_id", "=", self.letter.id),
                ("body", "ilike", body),
            ]
        )

    def test_followers_once_the_letter_is_sent(self):
        followers = self.letter.message_follower_ids
        self.assertEqual(
            followers.partner_id,
            self.approver | self.employee_partner | self.manager_partner,
        )
        discussion = self.env.ref("mail.mt_comment")
        for follower in followers:
            self.assertEqual(follower.subtype_ids, discussion)
        # the letter's own e-mails are not copied to its followers
        request = self.mails(self.letter, "to approve")
        self.assertEqual(request.partner_ids, self.approver)
        notified = request.notification_ids.res_partner_id
        self.assertEqual(notified, self.approver)

    def test_question_by_the_link_reaches_employee_and_manager(self):
        before = self.decisions()
        self.authenticate(None, None)
        self.post_question("Why four hours on Tuesday?", token=self.letter.access_token)
        message = self.question("Why four hours on Tuesday?")
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.approver)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertEqual(
            message.notification_ids.res_partner_id,
            self.employee_partner | self.manager_partner,
        )
        self.assertEqual(self.decisions(), before)
        # the page shows the question in its chatter, to the client
        messages = self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {
                "thread_model": self.letter._name,
                "thread_id": self.letter.id,
                "token": self.letter.access_token,
            },
        )
        self.assertIn(message.id, messages["messages"])

    def test_question_of_a_logged_in_portal_user(self):
        before = self.decisions()
        self.authenticate("lca_portal", "lca_portal")
        self.post_question("Is the workshop on the estimate?")
        message = self.question("Is the workshop on the estimate?")
        # the portal user is the approver here
        self.assertEqual(message.author_id, self.portal_user.partner_id)
        self.assertEqual(
            message.notification_ids.res_partner_id,
            self.employee_partner | self.manager_partner,
        )
        self.assertEqual(self.decisions(), before)

    @mute_logger("odoo.http")
    def test_strangers_cannot_post(self):
        before = self.decisions()
        self.authenticate(None, None)
        for token in (None, "wrong", self.letter.access_token + "x"):
            with self.assertRaises(JsonRpcException):
                self.post_question("Spam", token=token)
        for login in ("lca_portal_other", "lca_other"):
            # another client's portal user; an employee of another letter
            self.authenticate(login, login)
            with self.assertRaises(JsonRpcException):
                self.post_question("Spam")
        self.assertFalse(self.question("Spam"))
        self.assertEqual(self.decisions(), before)

    def test_the_answer_reaches_the_client_with_the_link(self):
        self.authenticate(None, None)
        self.post_question("Why four hours?", token=self.letter.access_token)
        # the employee answers in the letter's chatter, in the backend
        self.authenticate("lca_employee", "lca_employee")
        self.post_question("The workshop ran long; see the task.")
        answer = self.question("The workshop ran long")
        self.assertEqual(answer.author_id, self.employee_partner)
        outgoing = self.env["mail.mail"].search(
            [
                ("mail_message_id", "=", answer.id),
                ("recipient_ids", "in", self.approver.ids),
            ]
        )
        self.assertEqual(len(outgoing), 1)
        self.assertIn("The workshop ran long", outgoing.body_html)
        self.assertIn(f"access_token={self.letter.access_token}", outgoing.body_html)
        # the link is in the e-mail only, never in the letter's history
        self.assertNotIn(self.letter.access_token, answer.body)
        self.assertEqual(self.letter.state, "sent")

    def test_an_internal_refusal_stays_internal(self):
        """A follower since the letter went out, the client does not hear
        of an internal refusal of its corrected version."""
        self.company.client_approval_trigger = "internal_approval"
        self.decide_all(self.letter, "rejected", "Wrong task")
        self.letter.timesheet_ids[0].with_user(self.user).name = "Fixed"
        self.letter.with_user(self.user).action_submit()
        self.assertEqual(self.letter.state, "submitted")
        self.env["lift.client.approval.refuse.wizard"].with_user(
            self.manager_user
        ).create({"letter_ids": self.letter.ids, "reason": "Check it"}).action_refuse()
        refusal = self.question("Refused internally")
        self.assertEqual(len(refusal), 1)
        self.assertTrue(refusal.subtype_id.internal)
        self.assertEqual(refusal.notification_ids.res_partner_id, self.employee_partner)

    def test_a_new_approver_follows_instead_of_the_former(self):
        self.letter.action_reset_to_draft()
        other = self.env["res.partner"].create(
            {"name": "New Approver", "parent_id": self.client.id, "email": "n@x.com"}
        )
        self.letter.with_user(self.manager_user).partner_id = other
        self.assertNotIn(self.approver, self.letter.message_partner_ids)
        self.letter.action_submit()
        self.assertIn(other, self.letter.message_partner_ids)

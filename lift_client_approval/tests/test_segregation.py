from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ClientApprovalHttpCase


@tagged("post_install", "-at_install")
class TestOnlyTheClientDecides(ClientApprovalHttpCase):
    """An employee cannot approve her own hours, nor make them invoiceable,
    by any door: the portal's routes with her login, JSON-RPC, a context key.
    Each attempt is made as she would make it, over HTTP, and the database is
    checked unchanged after it."""

    def setUp(self):
        super().setUp()
        self.letter = self.sent_letter()
        self.letter._portal_ensure_token()
        self.token = self.letter.access_token
        self.lines = [*self.letter.timesheet_ids, *self.letter.expense_ids]
        self.line = self.letter.timesheet_ids.sorted("date")[0]

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def login_employee(self):
        self.authenticate("lca_employee", "lca_employee")

    def write_over_rpc(self, letters, vals):
        """A plain write of the letters over JSON-RPC; its error, if any."""
        _result, error = self.call_kw(
            "lift.client.approval", "write", [letters.ids, vals]
        )
        return error

    def snapshot(self):
        self.env.invalidate_all()
        return (
            self.letter.read(
                ["state", "signed_by", "partner_id", "deadline", "decided_by"]
            ),
            [
                (line._name, line.id, line.client_approval_state, line.unit_amount)
                if line._name == "account.analytic.line"
                else (line._name, line.id, line.client_approval_state)
                for line in self.lines
            ],
            self.line_tm.qty_delivered,
            len(self.letter.decision_ids),
        )

    def assertUnchanged(self, before):
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(self.letter.state, "sent")
        self.assertEqual(self.line_tm.qty_delivered, 0)

    def csrf_from(self, url):
        return self.csrf(self.url_open(url).text)

    # ------------------------------------------------------------------
    # the portal, logged in as the employee
    # ------------------------------------------------------------------

    def test_employee_bulk_approve_on_the_portal(self):
        before = self.snapshot()
        self.login_employee()
        response = self.bulk_approve(
            [self.letter.id], page_url=f"/my/client-approvals/{self.letter.id}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertUnchanged(before)

    def test_employee_sees_her_letter_read_only(self):
        before = self.snapshot()
        self.login_employee()
        page = self.url_open(f"/my/client-approvals/{self.letter.id}").text
        self.assertIn("Only the client answers this letter", page)
        self.assertNotIn("Approve all", page)
        self.assertNotIn("Send my answer", page)
        response = self.url_open(
            f"/my/client-approvals/{self.letter.id}/decide",
            data={
                "csrf_token": self.csrf(page),
                "round": str(self.letter.submission_count),
                "approve_all": "1",
                "signer_name": "The Client",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Only the client answers", response.text)
        self.assertUnchanged(before)

    def approve_all_with_the_link(self, **kw):
        """Open the letter's link, then answer Approve all with its token."""
        page = self.url_open(self.letter.get_portal_url()).text
        response = self.url_open(
            f"/my/client-approvals/{self.letter.id}/decide",
            data={
                "csrf_token": self.csrf(page),
                "access_token": self.token,
                "round": str(self.letter.submission_count),
                "approve_all": "1",
            },
            **kw,
        )
        return page, response

    def test_employee_with_the_token_still_cannot_answer(self):
        before = self.snapshot()
        self.login_employee()
        _page, response = self.approve_all_with_the_link()
        self.assertEqual(response.status_code, 400)
        self.assertUnchanged(before)

    def test_other_internal_user_cannot_answer_on_the_portal(self):
        before = self.snapshot()
        self.authenticate("lca_manager", "lca_manager")
        page, response = self.approve_all_with_the_link()
        self.assertIn("Only the client answers this letter", page)
        self.assertEqual(response.status_code, 400)
        self.assertUnchanged(before)

    # ------------------------------------------------------------------
    # JSON-RPC as the employee
    # ------------------------------------------------------------------

    def test_employee_client_decide_over_rpc(self):
        before = self.snapshot()
        self.login_employee()
        for kwargs in ({}, {"on_behalf_note": "the client said yes"}):
            _result, error = self.call_kw(
                "lift.client.approval",
                "client_decide",
                [self.letter.ids, self.letter._get_pending_decisions("approved")],
                dict(kwargs, signer_name="The Client"),
            )
            self.assertIn("only the client approves your hours", error)
            self.assertUnchanged(before)

    def test_employee_writes_the_decision_of_her_line(self):
        before = self.snapshot()
        self.login_employee()
        for vals in (
            {"client_approval_state": "approved"},
            {"client_approval_state": "waived", "client_approval_waive_reason": "x"},
            {"client_approval_id": False},
            {"client_approval_comment": "fine"},
        ):
            _result, error = self.call_kw(
                "account.analytic.line", "write", [self.line.ids, vals]
            )
            self.assertIn("cannot be written directly", error)
            self.assertUnchanged(before)

    def test_employee_creates_an_approved_line(self):
        self.login_employee()
        count = self.env["account.analytic.line"].search_count([])
        _result, error = self.call_kw(
            "account.analytic.line",
            "create",
            [
                {
                    "name": "Approved by myself",
                    "project_id": self.project.id,
                    "employee_id": self.employee.id,
                    "date": "2026-03-20",
                    "unit_amount": 8,
                    "client_approval_state": "approved",
                }
            ],
        )
        self.assertIn("cannot be written directly", error)
        self.assertEqual(self.env["account.analytic.line"].search_count([]), count)
        self.assertEqual(self.line_tm.qty_delivered, 0)

    def test_employee_writes_her_letter(self):
        before = self.snapshot()
        self.login_employee()
        for vals in (
            {"state": "approved", "signed_by": "The Client"},
            {"deadline": "2020-01-01"},
            {"digest_pending": False},
            {"decided_by": "client"},
        ):
            error = self.write_over_rpc(self.letter, vals)
            self.assertIn("cannot be written directly", error)
            self.assertUnchanged(before)
        mailbox = self.env["res.partner"].create(
            {"name": "Mine", "email": "employee-own@example.com"}
        )
        error = self.write_over_rpc(self.letter, {"partner_id": mailbox.id})
        self.assertIn("Only client approval managers", error)
        self.assertUnchanged(before)

    def test_manager_changes_the_approver_before_sending_only(self):
        self.authenticate("lca_manager", "lca_manager")
        other = self.env["res.partner"].create(
            {"name": "Other Approver", "email": "o@example.com"}
        )
        error = self.write_over_rpc(self.letter, {"partner_id": other.id})
        self.assertIn("already went to its approver", error)
        self.assertEqual(self.letter.partner_id, self.approver)
        draft = self.log("2026-03-23").client_approval_id
        error = self.write_over_rpc(draft, {"partner_id": other.id})
        self.assertIsNone(error)
        self.assertEqual(draft.partner_id, other)

    def test_employee_cannot_read_the_token(self):
        # a letter whose request e-mail waits in the outgoing queue
        queued = self.log("2026-03-23").client_approval_id
        queued.with_context(mail_notify_force_send=False).action_submit()
        queued._portal_ensure_token()
        # and a reminder of the first letter, sent by the daily run
        self.letter.write({"deadline": "2026-01-01"})
        self.Letter._run_reminders(self.letter.deadline + timedelta(days=30), None)
        self.assertEqual(self.letter.reminder_count, 1)
        self.login_employee()
        _result, error = self.call_kw(
            "lift.client.approval", "read", [self.letter.ids, ["access_token"]]
        )
        self.assertTrue(error)
        _result, error = self.call_kw(
            "lift.client.approval",
            "search",
            [[("access_token", "=", self.token)]],
        )
        self.assertTrue(error)
        _result, error = self.call_kw(
            "lift.client.approval",
            "export_data",
            [self.letter.ids, ["access_token"]],
        )
        self.assertTrue(error)
        # the letter's history, as she reads it, holds no token
        for letter in (self.letter, queued):
            messages, error = self.call_kw(
                "mail.message",
                "search_read",
                [
                    [
                        ("model", "=", "lift.client.approval"),
                        ("res_id", "=", letter.id),
                    ],
                    ["body"],
                ],
            )
            self.assertIsNone(error)
            self.assertTrue(messages)
            for message in messages:
                self.assertNotIn(letter.access_token, message["body"] or "")
        # ...while the client's e-mail has the link with the token
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "lift.client.approval"),
                ("res_id", "=", queued.id),
                ("recipient_ids", "in", self.approver.ids),
            ]
        )
        self.assertTrue(mail)
        self.assertIn(f"access_token={queued.access_token}", mail[0].body_html)
        self.assertIn("Review the hours", mail[0].body_html)

    def test_unlock_context_key_does_nothing(self):
        before = self.snapshot()
        self.login_employee()
        _result, error = self.call_kw(
            "account.analytic.line",
            "write",
            [self.line.ids, {"unit_amount": 9}],
            {"context": {"lift_client_approval_unlock": True}},
        )
        self.assertIn("is locked", error)
        self.assertUnchanged(before)

    def test_no_mail_context_key_does_nothing_over_rpc(self):
        draft = self.log("2026-03-23").client_approval_id
        self.login_employee()
        _result, error = self.call_kw(
            "lift.client.approval",
            "action_submit",
            [draft.ids],
            {"context": {"lift_client_approval_no_mail": True}},
        )
        self.assertIsNone(error)
        self.assertEqual(draft.state, "sent")
        self.assertEqual(len(self.mails(draft, "to approve")), 1)

    # ------------------------------------------------------------------
    # managers and the system
    # ------------------------------------------------------------------

    def test_manager_on_behalf_needs_a_note_and_is_recorded(self):
        letter = self.letter.with_user(self.manager_user)
        with self.assertRaisesRegex(UserError, "Say how the client") as caught:
            letter.client_decide(letter._get_pending_decisions("approved"))
        self.assertIs(type(caught.exception), UserError)  # not an AccessError
        self.assertEqual(self.letter.state, "sent")
        letter.client_decide(
            letter._get_pending_decisions("approved"),
            signer_name="Client Approver",
            on_behalf_note="approved by phone on Monday",
        )
        self.assertEqual(self.letter.state, "approved")
        decision = self.letter.decision_ids
        self.assertEqual(decision.decided_by, "on_behalf")
        self.assertEqual(decision.user_id, self.manager_user)
        self.assertEqual(decision.note, "approved by phone on Monday")
        self.assertEqual(self.letter.decided_by, "on_behalf")
        self.assertEqual(self.line.client_approval_decision_id, decision)
        self.assertEqual(self.line.client_approval_decided_by, "on_behalf")
        self.assertIn(
            "approved by phone on Monday",
            " ".join(self.letter.message_ids[:3].mapped("body")),
        )

    def test_manager_never_decides_or_waives_own_hours(self):
        own = self.log("2026-03-23", employee=self.manager_employee).client_approval_id
        own.action_submit()
        with self.assertRaisesRegex(AccessError, "only the client approves your hours"):
            own.with_user(self.manager_user).client_decide(
                own._get_pending_decisions("approved"), on_behalf_note="said yes"
            )
        with self.assertRaisesRegex(AccessError, "your own hours"):
            own.timesheet_ids.with_user(self.manager_user).client_approval_waive(
                "urgent"
            )
        self.assertEqual(own.state, "sent")
        self.assertEqual(own.timesheet_ids.client_approval_state, "pending")

    def test_client_by_link_and_automatic_approval_are_recorded(self):
        self.authenticate(None, None)
        url = self.letter.get_portal_url()
        self.url_open(
            f"/my/client-approvals/{self.letter.id}/decide",
            data={
                "csrf_token": self.csrf_from(url),
                "access_token": self.token,
                "round": str(self.letter.submission_count),
                "approve_all": "1",
                "signer_name": "Client Approver",
            },
        )
        decision = self.letter.decision_ids
        self.assertEqual(decision.decided_by, "client")
        self.assertFalse(decision.user_id)
        self.assertEqual(decision.signer_name, "Client Approver")
        page = self.url_open(url).text
        self.assertIn("Answers recorded", page)
        self.assertIn("by the link in the e-mail", page)
        html = self.letter_html(self.letter)
        self.assertIn("by the link in the e-mail", html)
        # automatic approval of another letter
        other = self.sent_letter(days=("2026-03-09",), with_expense=False)
        other._client_decide(other._get_pending_decisions("approved"), "automatic")
        self.assertEqual(other.decided_by, "automatic")
        self.assertFalse(other.decision_ids.user_id)

    def test_portal_user_answer_is_recorded_with_the_user(self):
        self.authenticate("lca_portal", "lca_portal")
        page = self.url_open(f"/my/client-approvals/{self.letter.id}").text
        self.url_open(
            f"/my/client-approvals/{self.letter.id}/decide",
            data={
                "csrf_token": self.csrf(page),
                "round": str(self.letter.submission_count),
                "approve_all": "1",
            },
        )
        self.assertEqual(self.letter.state, "approved")
        self.assertEqual(self.letter.decision_ids.decided_by, "portal_user")
        self.assertEqual(self.letter.decision_ids.user_id, self.portal_user)

    def test_portal_user_of_another_client(self):
        before = self.snapshot()
        self.authenticate("lca_portal_other", "lca_portal_other")
        page = self.url_open("/my").text
        response = self.url_open(
            f"/my/client-approvals/{self.letter.id}/decide",
            data={
                "csrf_token": self.csrf(page),
                "round": str(self.letter.submission_count),
                "approve_all": "1",
            },
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))
        self.bulk_approve([self.letter.id], page_url="/my")
        _result, error = self.call_kw(
            "lift.client.approval",
            "client_decide",
            [self.letter.ids, self.letter._get_pending_decisions("approved")],
        )
        self.assertTrue(error)
        self.assertUnchanged(before)

    def test_anonymous_with_wrong_foreign_or_no_token(self):
        before = self.snapshot()
        other = self.sent_letter(days=("2026-03-09",), with_expense=False)
        other._portal_ensure_token()
        self.authenticate(None, None)
        csrf = self.csrf_from(other.get_portal_url())
        for token in ("", "wrong", other.access_token):
            response = self.url_open(
                f"/my/client-approvals/{self.letter.id}/decide",
                data={
                    "csrf_token": csrf,
                    "access_token": token,
                    "round": str(self.letter.submission_count),
                    "approve_all": "1",
                },
                allow_redirects=False,
            )
            self.assertIn(response.status_code, (302, 303), token)
        self.assertUnchanged(before)

"""Facts with one source that no user can write, each tried as the user who
tried to get around it: whose letter it is (the employee's user, not the
letter's copy), whether a letter went to the client (its first sending), and
who holds a key to a letter (a deputy holds the inbox's link only, for their
period). And the portal's rules in the model: ``client_decide`` over
JSON-RPC refuses what the page refuses."""

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import ClientApprovalHttpCase


@tagged("post_install", "-at_install")
class TestWhoseLetter(ClientApprovalHttpCase):
    """A manager who logs hours herself approves none of them, whatever she
    writes on her letter."""

    def own_letter(self):
        line = self.log("2026-03-02", hours=6, employee=self.manager_employee)
        letter = line.client_approval_id
        letter.with_user(self.manager_user).action_submit()
        self.assertEqual(letter.state, "sent")
        return letter

    def snapshot(self, letter):
        self.env.invalidate_all()
        return (
            letter.state,
            letter.user_id,
            letter.timesheet_ids.mapped("client_approval_state"),
            len(letter.decision_ids),
            self.line_tm.qty_delivered,
        )

    def test_she_cannot_rewrite_whose_letter_it_is(self):
        letter = self.own_letter()
        before = self.snapshot(letter)
        self.authenticate("lca_manager", "lca_manager")
        result, error = self.call_kw(
            "lift.client.approval", "write", [letter.ids, {"user_id": self.user.id}]
        )
        self.assertIsNone(result)
        self.assertIn("cannot be written directly", error)
        result, error = self.call_kw(
            "lift.client.approval",
            "client_decide",
            [letter.ids, letter._get_pending_decisions("approved")],
            {"on_behalf_note": "the client said yes by phone"},
        )
        self.assertIsNone(result)
        self.assertIn("your own timesheet letter", error)
        self.assertEqual(self.snapshot(letter), before)
        self.assertEqual(letter.user_id, self.manager_user)
        self.assertEqual(self.line_tm.qty_delivered, 0)

    def test_the_guards_read_the_employee_not_the_copy(self):
        """Even with the letter's copy of the employee's user pointing at
        someone else, every guard knows it is her letter."""
        letter = self.own_letter()
        self.env.cr.execute(
            "UPDATE lift_client_approval SET user_id = %s WHERE id = %s",
            (self.user.id, letter.id),
        )
        self.env.invalidate_all()
        self.assertEqual(letter.user_id, self.user)
        before = self.snapshot(letter)
        as_her = letter.with_user(self.manager_user)
        with self.assertRaisesRegex(AccessError, "your own timesheet letter"):
            as_her.client_decide(
                letter._get_pending_decisions("approved"),
                on_behalf_note="the client said yes by phone",
            )
        with self.assertRaisesRegex(AccessError, "your own hours"):
            letter.timesheet_ids.with_user(self.manager_user).client_approval_waive(
                "urgent"
            )
        self.assertFalse(as_her.can_record_on_behalf)
        self.assertEqual(self.snapshot(letter), before)


@tagged("post_install", "-at_install")
class TestWentToTheClient(ClientApprovalHttpCase):
    """A letter that never went to the client is invisible to them in every
    state; one that went stays theirs to read."""

    def assertInvisibleToTheClient(self, letter):
        self.authenticate("lca_portal", "lca_portal")
        result, error = self.call_kw(
            "lift.client.approval", "search", [[("id", "=", letter.id)]]
        )
        self.assertIsNone(error)
        self.assertEqual(result, [])
        result, error = self.call_kw(
            "lift.client.approval", "read", [letter.ids, ["state", "total_hours"]]
        )
        self.assertIsNone(result)
        self.assertTrue(error)
        page = self.url_open(f"/my/client-approvals/{letter.id}")
        self.assertNotIn("o_client_approval_line", page.text)
        self.assertNotIn(
            f"/my/client-approvals/{letter.id}",
            self.url_open("/my/client-approvals").text,
        )

    def test_a_draft_cancelled_by_a_manager(self):
        letter = self.log("2026-03-02", hours=3).client_approval_id
        letter.with_user(self.manager_user).action_cancel()
        self.assertEqual(letter.state, "cancel")
        self.assertInvisibleToTheClient(letter)

    def test_a_draft_cancelled_by_switching_approval_off(self):
        letter = self.log("2026-03-02", hours=3).client_approval_id
        self.project.with_user(self.manager_user).client_approval_required = False
        self.assertEqual(letter.state, "cancel")
        self.assertInvisibleToTheClient(letter)

    def test_a_letter_awaiting_internal_approval(self):
        self.company.client_approval_trigger = "internal_approval"
        letter = self.log("2026-03-02", hours=3).client_approval_id
        letter.with_user(self.user).action_submit()
        self.assertEqual(letter.state, "submitted")
        self.assertInvisibleToTheClient(letter)
        self.assertFalse(
            self.env["lift.client.approval.analysis"].search(
                [("letter_id", "=", letter.id)]
            )
        )

    def test_a_letter_that_went_stays_visible_once_cancelled(self):
        letter = self.sent_letter()
        letter.with_user(self.manager_user).action_cancel()
        self.authenticate("lca_portal", "lca_portal")
        result, error = self.call_kw(
            "lift.client.approval", "read", [letter.ids, ["state"]]
        )
        self.assertIsNone(error)
        self.assertEqual(result[0]["state"], "cancel")


@tagged("post_install", "-at_install")
class TestDeputyKeys(ClientApprovalHttpCase):
    """A deputy answers with their own inbox's link, for their period only:
    they are never handed the approver's link to a letter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.deputy = cls.create_deputy()

    def receipt(self, letter):
        return self.env["ir.attachment"].create(
            {
                "name": "ticket.txt",
                "raw": b"train ticket",
                "res_model": "hr.expense",
                "res_id": letter.expense_ids.id,
            }
        )

    def state(self, letter):
        self.env.invalidate_all()
        return (
            letter.state,
            letter.timesheet_ids.mapped("client_approval_state"),
            len(letter.decision_ids),
        )

    def test_the_inbox_of_the_deputy_holds_no_key_of_the_approver(self):
        self.set_deputy()
        with freeze_time("2026-03-09"):
            letter = self.sent_letter()
            receipt = self.receipt(letter)
            token = self.Letter._get_inbox_token(self.deputy)
            self.authenticate(None, None)
            page = self.url_open(f"/my/client-approvals/inbox?access_token={token}")
            self.assertEqual(page.status_code, 200)
            self.assertIn(f'name="letter_ids" value="{letter.id}"', page.text)
            self.assertIn("ticket.txt", page.text)
            self.assertNotIn(letter.sudo().access_token, page.text)
            url = (
                f"/my/client-approvals/inbox/receipt/{receipt.id}?access_token={token}"
            )
            self.assertIn(url.replace("&", "&amp;"), page.text)
            self.assertEqual(self.url_open(url).content, b"train ticket")
            # the approver's own inbox links the letter with its link
            own = self.Letter._get_inbox_token(self.approver)
            page = self.url_open(f"/my/client-approvals/inbox?access_token={own}")
            self.assertIn(letter.sudo().access_token, page.text)
        with freeze_time("2026-04-01"):
            before = self.state(letter)
            # the period is over: the deputy's link opens nothing, answers
            # nothing and serves no receipt
            page = self.url_open(f"/my/client-approvals/inbox?access_token={token}")
            self.assertEqual(page.status_code, 410)
            self.assertNotIn("ticket.txt", page.text)
            self.assertNotEqual(self.url_open(url).content, b"train ticket")
            response = self.url_open(
                f"/my/client-approvals/{letter.id}/decide",
                data={
                    "csrf_token": self.csrf(page.text),
                    "access_token": token,
                    "round": str(letter.submission_count),
                    "approve_all": "1",
                },
                allow_redirects=False,
            )
            self.assertNotEqual(response.status_code, 200)
            with self.assertRaises(AccessError):
                letter.with_user(self.env.ref("base.public_user")).client_decide(
                    letter._get_pending_decisions("approved"), inbox_token=token
                )
            self.assertEqual(self.state(letter), before)

    def test_a_deputy_with_a_portal_login_answers_as_the_deputy(self):
        """A deputy from another company (the client's accountant) answers
        logged in, over JSON-RPC, during the period only; the model accepts
        them without a link."""
        accountant = self.env["res.partner"].create(
            {"name": "Accountants Ltd", "is_company": True}
        )
        self.deputy.parent_id = accountant
        new_test_user(
            self.env,
            "lca_deputy",
            groups="base.group_portal",
            partner_id=self.deputy.id,
        )
        self.set_deputy()
        with freeze_time("2026-04-01"):
            letter = self.sent_letter(days=("2026-03-30",), with_expense=False)
            self.authenticate("lca_deputy", "lca_deputy")
            before = self.state(letter)
            result, error = self.call_kw(
                "lift.client.approval",
                "client_decide",
                [letter.ids, letter._get_pending_decisions("approved")],
            )
            self.assertIsNone(result)
            self.assertIn("Only the client answers", error)
            self.assertEqual(self.state(letter), before)
        with freeze_time("2026-03-31"):
            result, error = self.call_kw(
                "lift.client.approval",
                "client_decide",
                [letter.ids, letter._get_pending_decisions("approved")],
                {"signer_name": "Deputy Approver"},
            )
            self.assertIsNone(error)
        self.env.invalidate_all()
        self.assertEqual(letter.state, "approved")
        self.assertEqual(letter.decision_ids.deputy_id, self.deputy)
        self.assertEqual(letter.decision_ids.decided_by, "portal_user")


@tagged("post_install", "-at_install")
class TestThePortalsRulesInTheModel(ClientApprovalHttpCase):
    """What the page refuses, ``client_decide`` refuses over JSON-RPC."""

    def test_an_answer_to_an_earlier_round(self):
        letter = self.sent_letter(with_expense=False)
        seen = letter.submission_count
        self.decide_all(letter, "rejected", comment="wrong week")
        letter.with_user(self.user).action_submit()
        self.assertEqual(letter.submission_count, seen + 1)
        self.authenticate("lca_portal", "lca_portal")
        result, error = self.call_kw(
            "lift.client.approval",
            "client_decide",
            [letter.ids, letter._get_pending_decisions("approved")],
            {"submission_count": seen},
        )
        self.assertIsNone(result)
        self.assertIn("changed since you opened the page", error)
        self.env.invalidate_all()
        self.assertEqual(letter.state, "sent")
        self.assertEqual(len(letter.decision_ids), 1)
        result, error = self.call_kw(
            "lift.client.approval",
            "client_decide",
            [letter.ids, letter._get_pending_decisions("approved")],
            {"submission_count": seen + 1},
        )
        self.assertIsNone(error)
        self.env.invalidate_all()
        self.assertEqual(letter.state, "approved")

    def test_receipts_the_client_sees(self):
        """The page and the model agree on the receipts: an internal note's
        attachment is not the client's."""
        letter = self.sent_letter()
        expense = letter.expense_ids
        receipt = self.env["ir.attachment"].create(
            {
                "name": "ticket.txt",
                "raw": b"train ticket",
                "res_model": "hr.expense",
                "res_id": expense.id,
            }
        )
        internal = self.env["ir.attachment"].create(
            {
                "name": "margin.txt",
                "raw": b"our margin",
                "res_model": "hr.expense",
                "res_id": expense.id,
            }
        )
        expense.message_post(
            body="internal", attachment_ids=internal.ids, subtype_xmlid="mail.mt_note"
        )
        self.assertEqual(letter._get_client_receipts(), receipt)
        self.authenticate("lca_portal", "lca_portal")
        page = self.url_open(letter.get_portal_url()).text
        self.assertIn("ticket.txt", page)
        self.assertNotIn("margin.txt", page)
        url = letter.get_portal_url(suffix=f"/receipt/{internal.id}")
        self.assertEqual(self.url_open(url).status_code, 404)

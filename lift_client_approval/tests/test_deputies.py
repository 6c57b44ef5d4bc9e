from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import ClientApprovalHttpCase


@tagged("post_install", "-at_install")
class TestDeputies(ClientApprovalHttpCase):
    """An approver away, a deputy in their place for a period: told of new
    requests and reminders, escalated what goes overdue, answering from
    their own inbox, and the answer says so."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.deputy = cls.create_deputy()
        cls.Letter = cls.env["lift.client.approval"]

    def deputy_mails(self, subject):
        return self.env["mail.mail"].search(
            [
                ("recipient_ids", "in", self.deputy.ids),
                ("subject", "ilike", subject),
            ]
        )

    def test_who_sets_a_deputy_and_which(self):
        for user in (self.user, self.portal_user):
            with self.assertRaises(AccessError):
                self.set_deputy(user=user)
        self.assertFalse(self.approver.sudo().client_approval_deputy_id)
        for vals, message in (
            ({"client_approval_deputy_id": self.approver.id}, "own deputy"),
            ({"client_approval_deputy_to": False}, "period"),
            (
                {
                    "client_approval_deputy_from": "2026-03-10",
                    "client_approval_deputy_to": "2026-03-01",
                },
                "period",
            ),
            (
                {"client_approval_deputy_id": self.manager_user.partner_id.id},
                "our own users",
            ),
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(ValidationError, message),
            ):
                self.approver.with_user(self.manager_user).write(
                    dict(
                        {
                            "client_approval_deputy_id": self.deputy.id,
                            "client_approval_deputy_from": "2026-03-01",
                            "client_approval_deputy_to": "2026-03-31",
                        },
                        **vals,
                    )
                )
        self.set_deputy()
        self.assertEqual(
            self.approver._get_client_approval_deputy(date(2026, 3, 15)), self.deputy
        )
        self.assertFalse(self.approver._get_client_approval_deputy(date(2026, 4, 1)))

    def test_the_deputy_is_told_and_answers_from_their_inbox(self):
        self.set_deputy()
        with freeze_time("2026-03-09"):
            letter = self.log("2026-03-02").client_approval_id
            letter.action_submit()
            # the approver gets the request; the deputy is told too
            self.assertEqual(len(self.mails(letter, "to approve")), 1)
            told = self.deputy_mails("As deputy")
            self.assertEqual(len(told), 1)
            self.assertIn(letter.name, told.body_html)
            self.assertIn("/my/client-approvals/inbox?access_token=", told.body_html)
            token = self.Letter._get_inbox_token(self.deputy)
            self.assertEqual(self.Letter._get_inbox_letters(self.deputy), letter)
            self.authenticate(None, None)
            page = self.url_open(f"/my/client-approvals/inbox?access_token={token}")
            self.assertEqual(page.status_code, 200)
            self.assertIn(f'name="letter_ids" value="{letter.id}"', page.text)
            response = self.url_open(
                "/my/client-approvals/inbox/decide",
                data={
                    "csrf_token": self.csrf(page.text),
                    "access_token": token,
                    "letter_ids": [str(letter.id)],
                    f"round-{letter.id}": str(letter.submission_count),
                    "approve_all": "1",
                    "signer_name": "Deputy Approver",
                },
            )
            self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(letter.state, "approved")
        decision = letter.decision_ids
        self.assertEqual(decision.deputy_id, self.deputy)
        self.assertEqual(decision.partner_id, self.approver)
        self.assertIn("deputy of Client Approver", decision.summary)
        self.assertEqual(letter.deputy_id, self.deputy)
        self.assertIn("deputy of", self.letter_html(letter))
        self.assertIn("deputy of Client Approver", letter._get_invoice_note())

    def test_outside_the_period_the_deputy_answers_nothing(self):
        self.set_deputy(start="2026-04-01", end="2026-04-30")
        with freeze_time("2026-03-09"):
            letter = self.log("2026-03-02").client_approval_id
            letter.action_submit()
            self.assertFalse(self.deputy_mails("As deputy"))
            token = self.Letter._get_inbox_token(self.deputy)
            self.assertFalse(self.Letter._get_inbox_letters(self.deputy))
            with self.assertRaises(AccessError):
                letter.with_user(self.env.ref("base.public_user")).client_decide(
                    letter._get_pending_decisions("approved"), inbox_token=token
                )
        self.assertEqual(letter.state, "sent")
        self.assertFalse(letter.decision_ids)

    def test_overdue_letters_escalated_once(self):
        self.set_deputy()
        with freeze_time("2026-03-02"):
            letter = self.log("2026-03-02").client_approval_id
            letter.action_submit()
        self.assertEqual(letter.deadline, date(2026, 3, 7))
        for day in ("2026-03-09", "2026-03-10", "2026-03-16"):
            with freeze_time(day):
                self.Letter._cron_client_approval_daily()
        self.assertEqual(letter.deputy_escalated_on, date(2026, 3, 9))
        self.assertEqual(len(self.deputy_mails("overdue")), 1)
        # the reminder of the day it was escalated does not tell them twice
        self.assertEqual(len(self.mails(letter, "Reminder")), 2)
        self.assertEqual(len(self.deputy_mails("reminder")), 1)

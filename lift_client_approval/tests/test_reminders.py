from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common import ClientApprovalCase


@tagged("post_install", "-at_install")
class TestReminders(ClientApprovalCase):
    """Deadlines, reminders, automatic approval, digests; the daily run
    sends nothing twice."""

    def setUp(self):
        super().setUp()
        self.company.write(
            {
                "client_approval_reminder_interval": 3,
                "client_approval_reminder_max": 2,
                "client_approval_auto_warning_days": 2,
            }
        )

    def sent_on(self, day, employee=None, work_day="2026-03-02"):
        with freeze_time(day):
            letter = self.log(work_day, employee=employee).client_approval_id
            letter.action_submit()
        return letter

    def run_daily(self, day):
        with freeze_time(day):
            self.Letter._cron_client_approval_daily()

    def test_deadline_and_overdue(self):
        letter = self.sent_on("2026-03-09")
        self.assertEqual(letter.deadline, date(2026, 3, 14))
        with freeze_time("2026-03-14"):
            letter.invalidate_recordset(["days_overdue"])
            self.assertEqual(letter.days_overdue, 0)
        with freeze_time("2026-03-17"):
            letter.invalidate_recordset(["days_overdue"])
            self.assertEqual(letter.days_overdue, 3)
            self.assertIn(letter, self.Letter.search([("days_overdue", ">", 0)]))
            self.assertNotIn(letter, self.Letter.search([("days_overdue", ">", 3)]))

    def test_reminders_interval_and_maximum(self):
        letter = self.sent_on("2026-03-09")
        self.run_daily("2026-03-14")  # the deadline itself: not late yet
        self.assertFalse(self.mails(letter, "Reminder"))
        self.run_daily("2026-03-15")
        self.assertEqual(len(self.mails(letter, "Reminder")), 1)
        # the reminder links to the approver's inbox too, in the e-mail only
        reminder = self.mails(letter, "Reminder")
        outgoing = self.env["mail.mail"].search([("mail_message_id", "=", reminder.id)])
        self.assertIn("/my/client-approvals/inbox?access_token=", outgoing.body_html)
        self.assertNotIn("/my/client-approvals/inbox", reminder.body)
        self.assertEqual(letter.reminder_count, 1)
        self.assertEqual(letter.last_reminder_date, date(2026, 3, 15))
        self.run_daily("2026-03-15")  # twice the same day: nothing more
        self.run_daily("2026-03-17")  # within the interval
        self.assertEqual(len(self.mails(letter, "Reminder")), 1)
        self.run_daily("2026-03-18")
        self.assertEqual(len(self.mails(letter, "Reminder")), 2)
        self.run_daily("2026-03-30")  # the maximum is reached
        self.assertEqual(len(self.mails(letter, "Reminder")), 2)
        self.assertEqual(letter.reminder_count, 2)
        self.assertTrue(
            any("Reminder" in (m.subject or "") for m in letter.message_ids)
        )

    def test_approver_without_email_does_not_stop_the_others(self):
        letter = self.sent_on("2026-03-09")
        other = self.sent_on("2026-03-09", employee=self.other_employee)
        other.partner_id = self.env["res.partner"].create({"name": "No Mail"})
        self.run_daily("2026-03-15")
        self.assertEqual(len(self.mails(letter, "Reminder")), 1)
        self.assertFalse(self.mails(other, "Reminder"))
        self.assertIn("no e-mail address", other.reminder_error)
        with self.assertRaisesRegex(UserError, "no e-mail address"):
            other.action_send_reminder()

    def test_manual_reminder_with_the_composer(self):
        letter = self.sent_on("2026-03-09")
        draft = self.log("2026-03-16").client_approval_id
        with self.assertRaisesRegex(UserError, "Only letters awaiting the client"):
            (letter | draft).action_send_reminder()
        action = letter.action_send_reminder()
        composer = Form(self.env[action["res_model"]].with_context(**action["context"]))
        self.assertIn("Reminder", composer.subject)
        composer.body = "<p>Could you have a look today, please?</p>"
        composer.save().action_send_mail()
        self.assertEqual(letter.reminder_count, 1)
        message = letter.message_ids[0]
        self.assertIn("Could you have a look today", message.body)
        self.assertEqual(message.partner_ids, self.approver)

    def test_bad_settings(self):
        with self.assertRaises(ValidationError):
            self.company.client_approval_reminder_interval = 0
        with self.assertRaises(ValidationError):
            self.company.client_approval_reminder_max = -1
        with self.assertRaises(ValidationError):
            self.project.client_approval_auto_days = -2

    def test_automatic_approval_with_warning(self):
        self.project.client_approval_auto_days = 3
        letter = self.sent_on("2026-03-09")  # deadline 14 March
        self.assertEqual(letter.auto_approval_date, date(2026, 3, 17))
        self.run_daily("2026-03-14")
        self.assertFalse(self.mails(letter, "approved automatically"))
        self.run_daily("2026-03-15")  # two days before
        self.assertEqual(len(self.mails(letter, "will be approved automatically")), 1)
        self.run_daily("2026-03-16")  # warned once only
        self.assertEqual(len(self.mails(letter, "will be approved automatically")), 1)
        self.assertEqual(letter.state, "sent")
        self.run_daily("2026-03-17")
        self.assertEqual(letter.state, "approved")
        self.assertEqual(letter.timesheet_ids.client_approval_state, "approved")
        self.assertTrue(
            letter.message_ids.filtered(lambda m: "Approved automatically" in m.body)
        )
        self.send_confirmations()
        self.assertEqual(len(self.mails(letter, "approved (Ref")), 1)
        self.run_daily("2026-03-18")
        self.send_confirmations()
        self.assertEqual(len(self.mails(letter, "approved (Ref")), 1)

    def test_digest_one_mail_per_approver(self):
        self.company.client_approval_digest = True
        second_approver = self.env["res.partner"].create(
            {"name": "Second Approver", "email": "second@example.com"}
        )
        mine = self.sent_on("2026-03-09") | self.sent_on(
            "2026-03-09", work_day="2026-03-10"
        )
        mine |= self.sent_on(
            "2026-03-09", work_day="2026-03-03", employee=self.other_employee
        )
        theirs = self.Letter
        for day in ("2026-02-02", "2026-02-09"):
            letter = self.sent_on("2026-03-09", work_day=day)
            letter.partner_id = second_approver
            theirs |= letter
        self.assertFalse(self.mails(mine[0], "to approve"))
        self.assertTrue(all(mine.mapped("digest_pending")))
        self.run_daily("2026-03-10")
        digests = self.env["mail.mail"].search(
            [("subject", "ilike", "waiting for your approval")]
        )
        self.assertEqual(len(digests), 2)
        for approver, letters in ((self.approver, mine), (second_approver, theirs)):
            digest = digests.filtered(lambda m, a=approver: m.recipient_ids == a)
            self.assertEqual(len(digest), 1)
            for letter in letters:
                self.assertIn(letter.name, digest.body_html)
                self.assertIn(letter.access_token, digest.body_html)
            self.assertIn("/my/client-approvals/inbox?access_token=", digest.body_html)
        self.assertFalse(any((mine | theirs).mapped("digest_pending")))
        self.run_daily("2026-03-10")
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [("subject", "ilike", "waiting for your approval")]
            ),
            2,
        )

    def test_record_on_behalf(self):
        letter = self.sent_on("2026-03-09")
        action = letter.with_user(self.manager_user).action_record_on_behalf()
        Wizard = self.env[action["res_model"]].with_user(self.manager_user)
        wizard = Wizard.with_context(**action["context"]).create({"note": "  "})
        self.assertEqual(len(wizard.line_ids), 1)
        with self.assertRaisesRegex(UserError, "how the client gave"):
            wizard.action_confirm()
        self.assertEqual(letter.state, "sent")
        wizard.note = "Approved by phone this morning"
        wizard.action_confirm()
        self.assertEqual(letter.state, "approved")
        self.assertEqual(letter.signed_by, "Client Approver")
        note = letter.message_ids.filtered(
            lambda m: "Approved by phone this morning" in m.body
        )
        self.assertIn("Manager", note.body)
        self.send_confirmations()
        self.assertEqual(len(self.mails(letter, "approved (Ref")), 1)
        with self.assertRaisesRegex(UserError, "not awaiting"):
            letter.with_user(self.manager_user).action_record_on_behalf()

    def overdue_letters(self, count):
        """``count`` letters of consecutive weeks, all sent on 1 April."""
        return self.Letter.concat(
            *(
                self.sent_on("2026-04-01", work_day=f"2026-03-{2 + 7 * week:02d}")
                for week in range(count)
            )
        )

    def test_scheduled_daily_run_goes_in_batches(self):
        """Run by the scheduler, each call handles one batch and tells Odoo
        what is left, so that Odoo commits and calls again."""
        letters = self.overdue_letters(5)
        cron = self.env.ref("lift_client_approval.ir_cron_client_approval_daily")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        # as the scheduler calls it (19.0 checks the progress is the cron's)
        scheduled = self.Letter.with_context(
            ir_cron_progress_id=progress.id, cron_id=cron.id
        )
        # left: the letters still due, plus one for each step not reached yet
        # (the approvers' digests, the managers' summary)
        for reminded, left in ((2, 5), (4, 3), (5, 0), (5, 0)):
            with freeze_time("2026-04-08"):
                scheduled._cron_client_approval_daily(batch_size=2)
            self.assertEqual(sum(letters.mapped("reminder_count")), reminded)
            self.assertEqual(progress.remaining, left)
        self.assertEqual(progress.done, 0)  # the last call had nothing to do
        for letter in letters:
            self.assertEqual(len(self.mails(letter, "Reminder")), 1)

    def test_daily_run_called_directly_does_everything(self):
        self.company.client_approval_digest = True
        second_approver = self.env["res.partner"].create(
            {"name": "Second Approver", "email": "second@example.com"}
        )
        letters = self.overdue_letters(5)
        letters[3:].partner_id = second_approver
        with freeze_time("2026-04-08"):
            self.Letter._cron_client_approval_daily(batch_size=2)
        self.assertEqual(letters.mapped("reminder_count"), [1] * 5)
        self.assertFalse(any(letters.mapped("digest_pending")))
        digests = self.env["mail.mail"].search(
            [("subject", "ilike", "waiting for your approval")]
        )
        # one digest each approver, listing all its letters
        self.assertEqual(len(digests), 2)
        for approver, mine in (
            (self.approver, letters[:3]),
            (second_approver, letters[3:]),
        ):
            digest = digests.filtered(lambda m, a=approver: m.recipient_ids == a)
            self.assertEqual(len(digest), 1)
            for letter in mine:
                self.assertIn(letter.name, digest.body_html)

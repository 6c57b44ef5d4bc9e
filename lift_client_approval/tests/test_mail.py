from odoo.tests import tagged

from .common import ClientApprovalCase


@tagged("post_install", "-at_install")
class TestMails(ClientApprovalCase):
    """Who is told what, once, in their own language."""

    def test_request_mail_to_approver_with_link(self):
        letter = self.log("2026-03-02").client_approval_id
        letter.with_context(mail_notify_force_send=False).action_submit()
        mail = self.mails(letter, "to approve")
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.partner_ids, self.approver)
        self.assertIn("to approve", mail.subject)
        self.assertNotIn("again", mail.body)
        # the link with the token is the e-mail's button, not kept in the
        # letter's history
        self.assertTrue(letter.access_token)
        self.assertNotIn(letter.access_token, mail.body)
        outgoing = self.env["mail.mail"].search([("mail_message_id", "=", mail.id)])
        self.assertEqual(len(outgoing), 1)
        self.assertIn(f"access_token={letter.access_token}", outgoing.body_html)
        self.assertIn("Review the hours", outgoing.body_html)
        # and the link to the approver's inbox, in the e-mail only
        self.assertIn("/my/client-approvals/inbox?access_token=", outgoing.body_html)
        self.assertIn("open your inbox", outgoing.body_html)
        self.assertNotIn("/my/client-approvals/inbox", mail.body)

    def test_no_mail_before_internal_approval(self):
        self.company.client_approval_trigger = "internal_approval"
        letter = self.log("2026-03-02").client_approval_id
        letter.action_submit()
        self.assertFalse(self.mails(letter, "to approve"))
        letter.with_user(self.manager_user).action_approve_internal()
        self.assertEqual(len(self.mails(letter, "to approve")), 1)

    def test_resubmission_mail_says_so(self):
        line = self.log("2026-03-02")
        letter = line.client_approval_id
        letter.action_submit()
        self.decide_all(letter, "rejected", "Wrong task")
        line.with_user(self.user).name = "Fixed"
        letter.with_user(self.user).action_submit()
        requests = self.mails(letter, "to approve")
        self.assertEqual(len(requests), 2)
        self.assertIn("again", requests[-1].body)
        self.assertIn("Only the lines you rejected", requests[-1].body)

    def test_mail_in_approver_language(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(
            ["lift_client_approval"], ["nl_NL"], overwrite=True
        )
        self.approver.lang = "nl_NL"
        letter = self.log("2026-03-02").client_approval_id
        letter.action_submit()
        mail = self.mails(letter, "goed te keuren")
        self.assertEqual(len(mail), 1)
        self.assertIn("Gebruik de knop in deze e-mail", mail.body)

    def test_confirmation_sent_by_background_job(self):
        """The confirmation with the PDF letter leaves through a job
        started at approval, not inside the client's request; once."""
        cron = self.env.ref(
            "lift_client_approval.ir_cron_client_approval_confirmations"
        )
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        letters = self.Letter
        for day in ("2026-03-02", "2026-03-09"):
            letter = self.log(day).client_approval_id
            letter.action_submit()
            self.decide_all(letter, "approved")
            letters |= letter
        self.assertEqual(letters.mapped("state"), ["approved", "approved"])
        self.assertEqual(letters.mapped("confirmation_pending"), [True, True])
        self.assertFalse(self.mails(letters[0], "approved (Ref"))
        self.assertEqual(len(self.mails(letters[0], "are approved")), 1)
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            len(triggers),
        )
        # one letter a run: the job starts itself again while some are left
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.Letter._cron_send_confirmations(limit=1)
        self.assertEqual(letters.mapped("confirmation_pending"), [False, True])
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            len(triggers) + 1,
        )
        self.send_confirmations()
        self.send_confirmations()
        for letter in letters:
            confirmation = self.mails(letter, "approved (Ref")
            self.assertEqual(len(confirmation), 1)
            self.assertEqual(confirmation.partner_ids, self.approver)
            self.assertEqual(len(confirmation.attachment_ids), 1)
        self.assertFalse(any(letters.mapped("confirmation_pending")))

    def test_no_confirmation_queued_without_mail(self):
        letter = self.log("2026-03-02").client_approval_id
        letter.action_submit()
        self.decide_all(
            letter.with_context(lift_client_approval_no_mail=True), "approved"
        )
        self.assertEqual(letter.state, "approved")
        self.assertFalse(letter.confirmation_pending)

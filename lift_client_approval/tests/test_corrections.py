import math

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ClientApprovalCase


@tagged("post_install", "-at_install")
class TestCorrections(ClientApprovalCase):
    """The client corrects hours instead of rejecting them ("I approve 4 of
    these 6 hours"); the firm accepts in one click (the agreed hours are
    billed, the rest stays in the timesheet, written off) or declines (the
    line goes back to the client with our answer)."""

    def setUp(self):
        super().setUp()
        self.workshop = self.log("2026-03-02", hours=6, name="Workshop")
        self.other = self.log("2026-03-03", hours=2, name="Report")
        self.letter = self.workshop.client_approval_id
        self.letter.action_submit()

    def correct(self, line=None, quantity=4.0, comment="We agreed on 4 hours"):
        line = line or self.workshop
        return {
            "res_model": line._name,
            "res_id": line.id,
            "decision": "corrected",
            "quantity": quantity,
            "comment": comment,
        }

    def approve(self, line):
        return {"res_model": line._name, "res_id": line.id, "decision": "approved"}

    def employee_hours(self, day="2026-03-02"):
        return sum(
            self.env["account.analytic.line"]
            .search([("employee_id", "=", self.employee.id), ("date", "=", day)])
            .mapped("unit_amount")
        )

    def snapshot(self):
        self.env.invalidate_all()
        lines = self.letter.timesheet_ids
        return (
            self.letter.state,
            lines.mapped("client_approval_state"),
            lines.mapped("unit_amount"),
            self.env["lift.client.approval.correction"].search_count([]),
            self.env["lift.client.approval.decision"].search_count([]),
            self.env["account.analytic.line"].search_count([]),
        )

    def test_accept_bills_agreed_hours_and_keeps_the_work(self):
        self.letter.client_decide(
            [self.correct(), self.approve(self.other)], signer_name="Client Approver"
        )
        self.assertEqual(self.letter.state, "corrected")
        self.assertEqual(self.workshop.client_approval_state, "corrected")
        self.assertEqual(self.letter.corrected_count, 1)
        correction = self.workshop.client_approval_correction_id
        self.assertEqual(
            (correction.hours_logged, correction.hours_agreed, correction.state),
            (6.0, 4.0, "proposed"),
        )
        self.assertEqual(correction.decision_id.corrected_count, 1)
        self.assertEqual(correction.decision_id.signer_name, "Client Approver")
        self.assertIn(self.letter, self.Letter.search([("corrected_count", ">", 0)]))
        # the employee and the managers are asked; the employee by e-mail
        activities = self.letter.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("lift_client_approval.mail_activity_answer_correction")
        )
        self.assertIn(self.user, activities.user_id)
        self.assertIn(self.manager_user, activities.user_id)
        self.assertEqual(len(self.mails(self.letter, "corrected your hours")), 1)
        # nothing is delivered while the firm has not answered
        self.assertEqual(self.line_tm.qty_delivered, 2)
        requests = len(self.mails(self.letter, "to approve"))

        self.workshop.with_user(self.user).client_approval_accept_correction()

        self.assertEqual(self.workshop.unit_amount, 4)
        self.assertEqual(self.workshop.client_approval_state, "approved")
        self.assertEqual(correction.state, "accepted")
        self.assertEqual(correction.answered_by_id, self.user)
        written_off = correction.write_off_line_id
        self.assertEqual(written_off.unit_amount, 2)
        self.assertEqual(written_off.client_approval_state, "written_off")
        self.assertFalse(written_off.so_line)
        self.assertFalse(written_off.client_approval_id)
        self.assertEqual(written_off.client_approval_written_off_from_id, self.workshop)
        self.assertEqual(written_off.timesheet_invoice_type, "non_billable")
        # the employee's day still shows 6 hours of work, and costs them
        self.assertEqual(self.employee_hours(), 6)
        self.assertEqual(self.letter.state, "approved")
        self.assertEqual(self.letter.total_hours, 6)  # 4 + the other line's 2
        self.assertEqual(self.letter.written_off_hours, 2)
        self.assertEqual(self.letter.written_off_amount, 200)  # 2 h at 100
        self.assertFalse(self.letter.activity_ids)
        # no new round with the client: the approved letter is confirmed
        self.assertTrue(self.letter.confirmation_pending)
        self.assertEqual(len(self.mails(self.letter, "to approve")), requests)
        self.assertEqual(self.line_tm.qty_delivered, 6)
        invoice = self.invoice()
        self.assertEqual(self.workshop.timesheet_invoice_id, invoice)
        self.assertFalse(written_off.timesheet_invoice_id)
        billed = invoice.invoice_line_ids.filtered(
            lambda line: self.line_tm in line.sale_line_ids
        )
        self.assertEqual(billed.quantity, 6)

    def test_written_off_hours_never_billed(self):
        """Not after the invoice is cancelled, not by a date range, not once
        the project stops requiring approval."""
        self.letter.client_decide([self.correct(), self.approve(self.other)])
        self.letter.with_user(self.manager_user).action_accept_corrections()
        written_off = self.workshop.client_approval_correction_id.write_off_line_id
        invoice = self.invoice(
            date_start_invoice_timesheet="2026-03-01",
            date_end_invoice_timesheet="2026-03-31",
        )
        self.assertBilled(invoice, 6)
        self.assertEqual(self.workshop.timesheet_invoice_id, invoice)
        self.assertFalse(written_off.timesheet_invoice_id)
        invoice.action_post()
        invoice.button_draft()
        invoice.button_cancel()
        again = self.invoice()
        self.assertBilled(again, 6)
        self.assertEqual(self.workshop.timesheet_invoice_id, again)
        self.assertFalse(written_off.timesheet_invoice_id)
        again.button_cancel()
        self.project.with_user(self.manager_user).client_approval_required = False
        self.assertEqual(written_off.client_approval_state, "written_off")
        self.assertFalse(written_off.client_approval_id)
        self.assertEqual(self.line_tm.qty_delivered, 6)
        self.assertBilled(self.invoice(), 6)
        self.assertFalse(written_off.timesheet_invoice_id)

    def assertBilled(self, invoice, hours):
        billed = invoice.invoice_line_ids.filtered(
            lambda line: self.line_tm in line.sale_line_ids
        )
        self.assertEqual(sum(billed.mapped("quantity")), hours)

    def test_written_off_line_cannot_change(self):
        self.letter.client_decide([self.correct(), self.approve(self.other)])
        self.workshop.with_user(self.user).client_approval_accept_correction()
        written_off = self.workshop.client_approval_correction_id.write_off_line_id
        for user in (self.user, self.manager_user):
            with self.assertRaisesRegex(UserError, "never invoiced"):
                written_off.with_user(user).unit_amount = 0
            with self.assertRaisesRegex(UserError, "never invoiced"):
                written_off.with_user(user).unlink()
        with self.assertRaises(UserError):
            written_off.with_user(self.manager_user).client_approval_state = "approved"
        self.assertEqual(
            (written_off.unit_amount, written_off.client_approval_state),
            (2, "written_off"),
        )

    def test_decline_goes_back_then_approved_bills_all(self):
        self.letter.client_decide([self.correct(), self.approve(self.other)])
        with self.assertRaisesRegex(UserError, "Say why you decline"):
            self.workshop.with_user(
                self.manager_user
            ).client_approval_decline_correction("  ")
        self.assertEqual(self.letter.state, "corrected")
        wizard_action = self.workshop.with_user(
            self.manager_user
        ).action_client_approval_decline_correction()
        wizard = (
            self.env[wizard_action["res_model"]]
            .with_user(self.manager_user)
            .with_context(**wizard_action["context"])
            .create({"comment": "The workshop took 6 hours, see the agenda"})
        )
        wizard.action_decline()
        correction = self.workshop.client_approval_correction_id
        self.assertEqual(correction.state, "declined")
        self.assertEqual(correction.answered_by_id, self.manager_user)
        self.assertEqual(correction.reply, "The workshop took 6 hours, see the agenda")
        self.assertEqual(self.workshop.client_approval_state, "pending")
        self.assertEqual(self.workshop.unit_amount, 6)
        self.assertEqual(self.other.client_approval_state, "approved")
        self.assertEqual(self.letter.state, "sent")
        answer = self.mails(self.letter, "our answer to your correction")
        self.assertEqual(len(answer), 1)
        self.assertEqual(answer.partner_ids, self.approver)
        self.assertIn("see the agenda", answer.body)
        self.assertFalse(self.letter.activity_ids)
        # the client approves the 6 hours after all: 6 + 2 billed
        self.letter.client_decide([self.approve(self.workshop)])
        self.assertEqual(self.letter.state, "approved")
        self.assertEqual(self.line_tm.qty_delivered, 8)
        self.assertEqual(self.letter.written_off_hours, 0)

    def test_correction_with_a_rejection_goes_to_the_employee(self):
        self.letter.client_decide(
            [
                self.correct(),
                {
                    "res_model": self.other._name,
                    "res_id": self.other.id,
                    "decision": "rejected",
                    "comment": "not ours",
                },
            ]
        )
        self.assertEqual(self.letter.state, "rejected")
        # the correction may be answered meanwhile; the letter stays rejected
        self.workshop.with_user(self.user).client_approval_accept_correction()
        self.assertEqual(self.workshop.client_approval_state, "approved")
        self.assertEqual(self.letter.state, "rejected")
        self.assertEqual(self.line_tm.qty_delivered, 4)

    def test_submitted_again_withdraws_the_correction(self):
        self.letter.client_decide([self.correct(), self.approve(self.other)])
        self.letter.with_user(self.manager_user).action_reset_to_draft()
        self.workshop.with_user(self.manager_user).unit_amount = 5
        self.letter.with_user(self.user).action_submit()
        correction = self.workshop.client_approval_correction_id
        self.assertEqual(correction.state, "withdrawn")
        self.assertEqual(self.workshop.client_approval_state, "pending")
        with self.assertRaisesRegex(UserError, "no correction"):
            self.workshop.with_user(self.user).client_approval_accept_correction()

    def test_bad_corrections_change_nothing(self):
        expense = self.expense("2026-03-02")
        self.letter.action_reset_to_draft()
        self.letter.action_submit()
        before = self.snapshot()
        cases = [
            (self.correct(quantity=None), "as a number"),
            (self.correct(quantity="4:00"), "as a number"),
            (self.correct(quantity=True), "as a number"),
            (self.correct(quantity=math.nan), "as a number"),
            (self.correct(quantity=math.inf), "as a number"),
            (self.correct(quantity=-1), "fewer than 0"),
            (self.correct(quantity=6), "must be fewer than the 06:00"),
            (self.correct(quantity=7.5), "must be fewer than the 06:00"),
            (self.correct(comment=" "), "a correction needs a comment"),
            (self.correct(line=expense), "Only hours can be corrected"),
        ]
        for decision, message in cases:
            with (
                self.subTest(decision=decision),
                self.assertRaisesRegex(UserError, message),
            ):
                # all or nothing: the other line's approval is not recorded
                self.letter.client_decide([self.approve(self.other), decision])
            self.assertEqual(self.snapshot(), before)

    def test_who_answers_a_correction(self):
        self.letter.client_decide([self.correct(), self.approve(self.other)])
        before = self.snapshot()
        for user in (self.other_user,):
            for call in (
                lambda lines: lines.client_approval_accept_correction(),
                lambda lines: lines.client_approval_decline_correction("no"),
                lambda lines: lines.action_client_approval_decline_correction(),
            ):
                with self.assertRaises(AccessError), mute_logger("odoo.models"):
                    call(self.workshop.with_user(user))
            with self.assertRaises(AccessError):
                self.letter.with_user(user).action_accept_corrections()
        self.assertEqual(self.snapshot(), before)
        # the client's figure is the client's: nobody writes it
        correction = self.workshop.client_approval_correction_id
        with self.assertRaises(AccessError):
            correction.with_user(self.manager_user).hours_agreed = 5
        with self.assertRaises(UserError):
            self.workshop.with_user(
                self.manager_user
            ).client_approval_correction_id = False
        self.assertEqual(self.snapshot(), before)
        # a line without a correction to answer
        with self.assertRaisesRegex(UserError, "no correction"):
            self.other.with_user(self.manager_user).client_approval_accept_correction()
        self.assertEqual(self.snapshot(), before)

    def test_reports_show_corrections(self):
        self.letter.client_decide([self.correct(), self.approve(self.other)])
        self.env.flush_all()
        Report = self.env["lift.client.approval.invoicing.report"]
        reasons = {
            row.reason: row.hours
            for row in Report.search([("letter_id", "=", self.letter.id)])
        }
        self.assertEqual(reasons, {"correction": 6, "to_invoice": 2})
        digest = self.Letter._get_manager_digest_values(self.company)
        self.assertEqual(digest["corrections"], 1)
        body = self.env["ir.qweb"]._render(
            "lift_client_approval.mail_manager_digest_body", digest
        )
        self.assertIn("hold corrections of", body)
        html = self.letter_html(self.letter)
        self.assertIn("We agreed on 4 hours", html)
        self.assertRegex(html, r"agreed\s*<span[^>]*>04:00")
        self.workshop.with_user(self.user).client_approval_accept_correction()
        self.env.flush_all()
        html = self.letter_html(self.letter)
        self.assertRegex(html, r"logged\s*<span[^>]*>06:00")
        self.assertIn("(corrected)", html)
        Analysis = self.env["lift.client.approval.analysis"]
        ((hours, amount, rate),) = Analysis._read_group(
            [("letter_id", "=", self.letter.id)],
            [],
            ["written_off_hours:sum", "written_off_amount:sum", "correction_rate:avg"],
        )
        self.assertEqual((hours, amount), (2, 200))
        self.assertAlmostEqual(rate, 50)
        note = self.letter.message_ids.filtered(
            lambda m: "accepted the client's correction" in (m.body or "")
        )
        self.assertEqual(len(note), 1)

    def test_correction_recorded_on_the_clients_behalf(self):
        """The client corrects by phone; a manager records it."""
        action = self.letter.with_user(self.manager_user).action_record_on_behalf()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.manager_user)
            .with_context(**action["context"])
            .create({"note": "By phone with the project lead"})
        )
        line = wizard.line_ids.filtered(lambda x: x.res_id == self.workshop.id)
        line.write({"decision": "corrected", "comment": "4 hours agreed"})
        before = self.snapshot()
        with self.assertRaisesRegex(UserError, "must be fewer than the 06:00"):
            line.hours = 6
            wizard.action_confirm()
        self.assertEqual(self.snapshot(), before)
        line.hours = 4
        wizard.action_confirm()
        correction = self.workshop.client_approval_correction_id
        self.assertEqual(correction.hours_agreed, 4)
        self.assertEqual(correction.decision_id.decided_by, "on_behalf")
        self.assertEqual(correction.decision_id.user_id, self.manager_user)
        self.assertEqual(self.letter.state, "corrected")

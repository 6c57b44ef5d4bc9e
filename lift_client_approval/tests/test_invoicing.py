from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .. import compat
from .common import ClientApprovalCase


@tagged("post_install", "-at_install")
class TestInvoicingGate(ClientApprovalCase):
    """Only hours the client approved (or that were waived) are delivered and
    invoiced, on every path that invoices timesheets."""

    def setUp(self):
        super().setUp()
        self.line_a = self.log("2026-03-02", hours=2)
        self.line_b = self.log("2026-03-03", hours=3)
        self.letter = self.line_a.client_approval_id
        self.sol = self.line_tm

    def decide(self, decisions):
        self.letter.client_decide(
            [
                {
                    "res_model": line._name,
                    "res_id": line.id,
                    "decision": decision,
                    "comment": "no" if decision == "rejected" else "",
                }
                for line, decision in decisions
            ]
        )

    def invoiced_qty(self, invoice):
        return sum(
            invoice.invoice_line_ids.filtered(
                lambda line: self.sol in line.sale_line_ids
            ).mapped("quantity")
        )

    def assertBillsApprovedHours(self, invoice, hours):
        """The invariant of every invoicing path: an invoice bills for the
        time-and-materials line exactly the hours of the approved and waived
        timesheets linked to it."""
        linked = self.env["account.analytic.line"].search(
            [("timesheet_invoice_id", "=", invoice.id), ("so_line", "=", self.sol.id)]
        )
        self.assertEqual(
            set(linked.mapped("client_approval_state")) - {"approved", "waived"},
            set(),
            "only approved or waived timesheets are linked to an invoice",
        )
        self.assertAlmostEqual(self.invoiced_qty(invoice), hours, 2)
        self.assertAlmostEqual(sum(linked.mapped("unit_amount")), hours, 2)

    def credit_note(self, invoice):
        """A full credit note made with the *Credit Note* button's wizard,
        then posted as an accountant does (upstream 18.0 since 2025 unlinks
        the invoice's timesheets at that moment)."""
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "wrong hours"})
        )
        action = reversal.refund_moves()
        refund = self.env["account.move"].browse(action["res_id"])
        refund.action_post()
        return refund

    def test_only_approved_hours_are_delivered(self):
        self.assertEqual(self.line_a.so_line, self.sol)
        self.assertEqual(self.sol.qty_delivered, 0)
        self.letter.action_submit()
        self.assertEqual(self.sol.qty_delivered, 0)
        self.decide([(self.line_a, "approved")])
        self.assertEqual(self.sol.qty_delivered, 2)
        self.decide([(self.line_b, "approved")])
        self.assertEqual(self.sol.qty_delivered, 5)

    def test_invoice_links_only_approved_lines(self):
        self.letter.action_submit()
        self.decide([(self.line_a, "approved"), (self.line_b, "rejected")])
        invoice = self.invoice()
        self.assertBillsApprovedHours(invoice, 2)
        self.assertEqual(self.line_a.timesheet_invoice_id, invoice)
        self.assertFalse(self.line_b.timesheet_invoice_id)
        invoice.action_post()
        # corrected and approved on the second round: a second invoice
        self.line_b.with_user(self.user).unit_amount = 2.5
        self.letter.action_submit()
        self.decide([(self.line_b, "approved")])
        second = self.invoice()
        self.assertNotEqual(second, invoice)
        self.assertBillsApprovedHours(second, 2.5)
        self.assertEqual(self.line_b.timesheet_invoice_id, second)
        self.assertEqual(self.line_a.timesheet_invoice_id, invoice)

    def test_nothing_to_invoice_while_waiting(self):
        self.letter.action_submit()
        invoice = self.invoice()  # the fixed-price line is invoiceable
        self.assertEqual(self.invoiced_qty(invoice), 0)
        self.assertFalse(self.line_a.timesheet_invoice_id)

    def test_date_range_invoicing(self):
        self.letter.action_submit()
        self.decide([(self.line_a, "approved"), (self.line_b, "approved")])
        later = self.log("2026-03-10", hours=4)
        later.client_approval_id.action_submit()  # still awaiting the client
        waived = self.log("2026-03-11", hours=0.5)
        waived.client_approval_id.action_submit()
        waived.client_approval_waive("agreed by phone")
        invoice = self.invoice(
            date_start_invoice_timesheet="2026-03-03",
            date_end_invoice_timesheet="2026-03-31",
        )
        self.assertBillsApprovedHours(invoice, 3.5)
        self.assertEqual(self.line_b.timesheet_invoice_id, invoice)
        self.assertEqual(waived.timesheet_invoice_id, invoice)
        self.assertFalse(self.line_a.timesheet_invoice_id)
        self.assertFalse(later.timesheet_invoice_id)
        # the rest of the month once the client approved it
        invoice.action_post()
        later.client_approval_id.client_decide(
            later.client_approval_id._get_pending_decisions("approved")
        )
        rest = self.invoice(
            date_start_invoice_timesheet="2026-03-01",
            date_end_invoice_timesheet="2026-03-31",
        )
        self.assertBillsApprovedHours(rest, 6)

    def test_date_range_with_nothing_approved_in_it(self):
        self.letter.action_submit()
        self.decide([(self.line_a, "approved")])
        invoice = self.invoice(
            date_start_invoice_timesheet="2026-03-03",
            date_end_invoice_timesheet="2026-03-31",
        )
        self.assertEqual(self.invoiced_qty(invoice), 0)
        self.assertFalse(self.line_b.timesheet_invoice_id)

    def test_down_payment_then_final_invoice(self):
        down = self.invoice(advance_payment_method="fixed", fixed_amount=100)
        down.action_post()
        self.letter.action_submit()
        self.decide([(self.line_a, "approved"), (self.line_b, "rejected")])
        final = self.invoice(deduct_down_payments=True)
        self.assertBillsApprovedHours(final, 2)
        self.assertEqual(self.line_a.timesheet_invoice_id, final)
        self.assertFalse(self.line_b.timesheet_invoice_id)

    def test_credit_note_and_reinvoicing(self):
        self.letter.action_submit()
        self.decide([(self.line_a, "approved"), (self.line_b, "rejected")])
        invoice = self.invoice()
        invoice.action_post()
        invoice._reverse_moves(cancel=True)
        self.assertEqual(invoice.payment_state, "reversed")
        again = self.invoice()
        self.assertBillsApprovedHours(again, 2)
        self.assertEqual(self.line_a.timesheet_invoice_id, again)
        self.assertFalse(self.line_b.timesheet_invoice_id)

    def test_credit_note_posted_then_invoicing_again(self):
        self.letter.action_submit()
        self.decide([(self.line_a, "approved"), (self.line_b, "rejected")])
        invoice = self.invoice()
        invoice.action_post()
        self.credit_note(invoice)
        self.assertEqual(self.sol.qty_invoiced, 0)
        # the rejected line, corrected, awaits the client again
        self.line_b.with_user(self.user).unit_amount = 2.5
        self.letter.action_submit()
        again = self.invoice()
        self.assertBillsApprovedHours(again, 2)
        self.assertEqual(self.line_a.timesheet_invoice_id, again)
        self.assertFalse(self.line_b.timesheet_invoice_id)
        # still not invoiceable after a second credit note
        again.action_post()
        self.credit_note(again)
        third = self.invoice(
            date_start_invoice_timesheet="2026-03-01",
            date_end_invoice_timesheet="2026-03-31",
        )
        self.assertBillsApprovedHours(third, 2)
        self.assertFalse(self.line_b.timesheet_invoice_id)

    def test_project_without_approval_is_standard(self):
        self.project.client_approval_required = False
        self.assertEqual(self.sol.qty_delivered, 5)
        invoice = self.invoice()
        self.assertEqual(self.invoiced_qty(invoice), 5)

    def test_invoice_anyway(self):
        self.letter.action_submit()
        self.decide([(self.line_b, "rejected")])
        with self.assertRaisesRegex(UserError, "Say why"):
            self.line_b.client_approval_waive(" ")
        with self.assertRaises(AccessError):
            self.line_b.with_user(self.user).client_approval_waive("urgent")
        self.line_b.with_user(self.manager_user).client_approval_waive(
            "Agreed by phone"
        )
        self.assertEqual(self.line_b.client_approval_state, "waived")
        self.assertEqual(self.line_b.client_approval_waived_by_id, self.manager_user)
        self.assertEqual(self.line_b.client_approval_waive_reason, "Agreed by phone")
        self.assertIn("Agreed by phone", self.letter.message_ids[0].body)
        self.assertEqual(self.sol.qty_delivered, 3)
        with self.assertRaisesRegex(UserError, "Nothing to waive"):
            self.line_b.client_approval_waive("again")
        # undone before invoicing
        self.line_b.with_user(self.manager_user).client_approval_unwaive()
        self.assertEqual(self.line_b.client_approval_state, "pending")
        self.assertEqual(self.sol.qty_delivered, 0)
        # waived again and invoiced: no undo any more
        self.line_b.client_approval_waive("Agreed by phone")
        self.invoice()
        with self.assertRaisesRegex(UserError, "invoiced already"):
            self.line_b.client_approval_unwaive()

    def test_invoice_anyway_wizard_on_a_letter(self):
        self.letter.action_submit()
        wizard = (
            self.env["lift.client.approval.waive.wizard"]
            .with_user(self.manager_user)
            .with_context(active_model=self.letter._name, active_ids=self.letter.ids)
            .create({"reason": "Client on holiday"})
        )
        self.assertEqual(wizard.line_count, 2)
        wizard.action_waive()
        self.assertEqual(self.letter.state, "approved")
        self.assertEqual(self.sol.qty_delivered, 5)

    def test_change_after_approval_goes_back_to_the_client(self):
        self.letter.action_submit()
        self.decide([(self.line_a, "approved"), (self.line_b, "approved")])
        self.assertEqual(self.sol.qty_delivered, 5)
        with self.assertRaisesRegex(UserError, "is locked"):
            self.line_a.with_user(self.user).unit_amount = 1
        self.line_a.with_user(self.manager_user).unit_amount = 1
        self.assertEqual(self.line_a.client_approval_state, "pending")
        new_letter = self.line_a.client_approval_id
        self.assertNotEqual(new_letter, self.letter)
        self.assertEqual(new_letter.state, "draft")
        self.assertEqual(self.letter.state, "approved")
        self.assertEqual(self.sol.qty_delivered, 3)
        # invoiced lines never change, not even for a manager
        invoice = self.invoice()
        self.assertEqual(self.line_b.timesheet_invoice_id, invoice)
        with self.assertRaisesRegex(UserError, "is locked"):
            self.line_b.with_user(self.manager_user).unit_amount = 1

    def test_client_reference_and_approver_on_invoice(self):
        self.letter.action_submit()
        # a real PDF is attached to the confirmation, as outside tests
        self.letter.client_decide(
            self.letter._get_pending_decisions("approved"),
            signer_name="Client Approver",
            client_reference="PO-777",
        )
        self.Letter.with_context(force_report_rendering=True)._cron_send_confirmations()
        invoice = self.invoice()
        self.assertEqual(invoice.ref, "PO-777")
        self.assertIn("approved by Client Approver", invoice.client_approval_note)
        self.assertIn("PO-777", invoice.client_approval_note)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        self.assertIn("approved by Client Approver", html)
        pdfs = invoice._get_client_approval_attachments()
        self.assertEqual(len(pdfs), 1)
        self.assertIn(
            pdfs, self.env["account.move.send"]._get_invoice_extra_attachments(invoice)
        )

    def test_reinvoiced_expense_waits_for_the_client(self):
        product = self.env["product.product"].create(
            {
                "name": "Travel at cost",
                "type": "service",
                "can_be_expensed": True,
                "expense_policy": "cost",
                "invoice_policy": "delivery",
                "standard_price": 1,
            }
        )
        expense = self.env["hr.expense"].create(
            {
                "name": "Train",
                "employee_id": self.employee.id,
                "product_id": product.id,
                "quantity": 80,
                "date": "2026-03-04",
                "sale_order_id": self.order.id,
                "analytic_distribution": {str(self.project.account_id.id): 100},
            }
        )
        self.assertEqual(expense.client_approval_id, self.letter)
        posted = compat.approve_and_post_expenses(expense, "March")
        # the employee is reimbursed as usual...
        self.assertEqual(posted.state, compat.POSTED_EXPENSE_STATE)
        expense_sol = self.order.order_line.filtered("is_expense")
        self.assertTrue(expense_sol)
        # ...but the client is not invoiced before approving
        self.assertEqual(expense_sol.qty_delivered, 0)
        self.letter.action_submit()
        self.letter.client_decide(self.letter._get_pending_decisions("approved"))
        self.assertEqual(expense_sol.qty_delivered, 80)
        invoice = self.invoice()
        self.assertEqual(
            sum(
                invoice.invoice_line_ids.filtered(
                    lambda line: expense_sol in line.sale_line_ids
                ).mapped("quantity")
            ),
            80,
        )
        self.assertBillsApprovedHours(invoice, 5)

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ClientApprovalCase

STEPS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "log",
                "submit",
                "approve",
                "reject",
                "fix",
                "waive",
                "invoice",
                "period",
                "credit",
                "refund",
                "correct",
                "accept",
                "decline",
                "switch",
            ]
        ),
        st.integers(min_value=0, max_value=40),
    ),
    min_size=1,
    max_size=10,
)


@tagged("post_install", "-at_install")
class TestInvoicingRandom(ClientApprovalCase):
    """Random sequences of what users do, among them invoicing a period,
    credit notes of both kinds, the client's corrections (accepted or
    declined) and the project's switch; after every step, what is invoiced
    is exactly what was approved or waived (or needs no approval), never a
    written-off hour, and every invoice bills the hours of the timesheets
    linked to it."""

    def pick(self, records, index):
        return records[index % len(records)] if records else None

    def lines(self):
        return self.env["account.analytic.line"].search(
            [("project_id", "=", self.project.id)], order="id"
        )

    def live_invoices(self):
        """Invoices that still bill: not cancelled, not credited."""
        credited = self.order.invoice_ids.filtered(
            lambda m: m.move_type == "out_refund" and m.state == "posted"
        ).reversed_entry_id
        return self.order.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice"
            and m.state != "cancel"
            and m.payment_state != "reversed"
            and m not in credited
        )

    def invoice_period(self, n):
        """The *Create Invoice* wizard for a period of a week or more."""
        start = date(2026, 3, 2) + timedelta(days=n % 14)
        end = start + timedelta(days=7 + n % 10)
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=self.order.ids)
            .create(
                {
                    "advance_payment_method": "delivered",
                    "date_start_invoice_timesheet": start,
                    "date_end_invoice_timesheet": end,
                }
            )
        )
        try:
            with self.env.cr.savepoint():
                wizard.create_invoices()
        except UserError:
            return  # nothing to invoice in the period: said so, nothing made
        invoice = self.order.invoice_ids.sorted("id")[-1]
        if invoice.state == "draft":
            invoice.action_post()

    def step(self, action, n):
        lines = self.lines()
        letters = lines.client_approval_id
        if action == "log":
            self.log(date(2026, 3, 2) + timedelta(days=n % 21), hours=1 + n % 3)
        elif action == "submit":
            letter = self.pick(
                letters.filtered(lambda x: x.state in ("draft", "rejected")), n
            )
            if letter:
                letter.action_submit()
        elif action in ("approve", "reject"):
            line = self.pick(
                lines.filtered(
                    lambda x: x.client_approval_state == "pending"
                    and x.client_approval_id.state == "sent"
                ),
                n,
            )
            if line:
                line.client_approval_id.client_decide(
                    [
                        {
                            "res_model": line._name,
                            "res_id": line.id,
                            "decision": "approved"
                            if action == "approve"
                            else "rejected",
                            "comment": "too much",
                        }
                    ]
                )
        elif action == "fix":
            line = self.pick(
                lines.filtered(lambda x: x.client_approval_state == "rejected"), n
            )
            if line:
                line.unit_amount = max(0.5, line.unit_amount - 0.5)
        elif action == "waive":
            line = self.pick(lines._client_approval_filter_undecided(), n)
            if line:
                line.client_approval_waive("agreed by phone")
        elif action == "invoice":
            if self.line_tm.qty_to_invoice > 0:
                invoice = self.order._create_invoices()
                invoice.action_post()
        elif action == "period":
            self.invoice_period(n)
        elif action in ("credit", "refund"):
            self.credit_note(n, cancel=action == "credit")
        elif action in ("correct", "accept", "decline", "switch"):
            self.correction_step(action, n, lines)

    def correction_step(self, action, n, lines):
        """The client corrects a pending line to fewer hours (logging and
        submitting one when none awaits the client); the firm accepts or
        declines a correction (the client's first, when none awaits us);
        the project stops (or starts again) requiring approval."""
        if action == "correct":
            candidates = lines.filtered(
                lambda x: x.client_approval_state == "pending"
                and x.client_approval_id.state == "sent"
                and x.unit_amount > 0.5
            )
            if not candidates and self.project.client_approval_required:
                candidates = self.log(
                    date(2026, 3, 2) + timedelta(days=n % 21), hours=1 + n % 3
                )
                if candidates.client_approval_id.state in ("draft", "rejected"):
                    candidates.client_approval_id.action_submit()
                candidates = candidates.filtered(
                    lambda x: x.client_approval_id.state == "sent"
                    and x.client_approval_state == "pending"
                )
            line = self.pick(candidates, n)
            if line:
                line.client_approval_id.client_decide(
                    [
                        {
                            "res_model": line._name,
                            "res_id": line.id,
                            "decision": "corrected",
                            "quantity": line.unit_amount - 0.5 * (1 + n % 2),
                            "comment": "we agreed on less",
                        }
                    ]
                )
            return
        if action == "switch":
            self.project.client_approval_required = (
                not self.project.client_approval_required
            )
            return
        corrected = lines.filtered(lambda x: x.client_approval_state == "corrected")
        if not corrected:
            self.correction_step("correct", n, lines)
            corrected = self.lines().filtered(
                lambda x: x.client_approval_state == "corrected"
            )
        line = self.pick(corrected, n)
        if not line:
            return
        if action == "accept":
            line.client_approval_accept_correction()
        else:
            line.client_approval_decline_correction("the hours stand")

    def credit_note(self, n, cancel):
        """Reverse a posted invoice and reconcile (``cancel``), or make a
        credit note with the Credit Note button and post it."""
        invoice = self.pick(
            self.live_invoices().filtered(lambda m: m.state == "posted"), n
        )
        if not invoice:
            return
        if cancel:
            invoice._reverse_moves(cancel=True)
            return
        action = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "wrong"})
            .refund_moves()
        )
        self.env["account.move"].browse(action["res_id"]).action_post()

    def check(self, history):
        self.env.invalidate_all()
        lines = self.lines()
        live = self.live_invoices()
        approved = lines.filtered(
            lambda x: x.client_approval_state in (False, "approved", "waived")
        )
        written_off = lines.filtered(lambda x: x.client_approval_state == "written_off")
        self.assertFalse(written_off.timesheet_invoice_id, history)
        self.assertFalse(written_off.so_line, history)
        self.assertAlmostEqual(
            self.line_tm.qty_delivered, sum(approved.mapped("unit_amount")), 2, history
        )
        for line in lines.filtered("timesheet_invoice_id"):
            self.assertIn(
                line.client_approval_state, (False, "approved", "waived"), history
            )
        # the hours worked stay whole: each accepted correction's line and
        # its written-off remainder add up to the hours logged
        for correction in written_off.client_approval_correction_id:
            self.assertAlmostEqual(
                correction.line_id.unit_amount
                + correction.write_off_line_id.unit_amount,
                correction.hours_logged,
                2,
                history,
            )
        for invoice in live:
            invoiced = sum(
                invoice.invoice_line_ids.filtered(
                    lambda x: self.line_tm in x.sale_line_ids
                ).mapped("quantity")
            )
            linked = lines.filtered(
                lambda x, inv=invoice: x.timesheet_invoice_id == inv
            )
            self.assertAlmostEqual(
                invoiced, sum(linked.mapped("unit_amount")), 2, history
            )
        self.assertAlmostEqual(
            self.line_tm.qty_invoiced,
            sum(
                lines.filtered(lambda x: x.timesheet_invoice_id in live).mapped(
                    "unit_amount"
                )
            ),
            2,
            history,
        )

    @settings(
        max_examples=20,
        database=None,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
        ],
        derandomize=True,
    )
    @given(steps=STEPS)
    def test_invoiced_is_approved(self, steps):
        with self.env.cr.savepoint(flush=False) as savepoint:
            history = []
            for action, n in steps:
                history.append((action, n))
                self.step(action, n)
                self.check(history)
            savepoint.rollback()
        self.env.invalidate_all()

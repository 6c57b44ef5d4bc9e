from odoo.tests import tagged

from .common import ClientApprovalCase


@tagged("post_install", "-at_install")
class TestInvoicingReport(ClientApprovalCase):
    """For each project, employee and period, what is not invoiced yet
    and why."""

    def rows(self):
        self.env.invalidate_all()  # report rows are recomputed by every search
        Report = self.env["lift.client.approval.invoicing.report"]
        return {
            (row.employee_id, row.date_start.isoformat(), row.reason): row
            for row in Report.search([("project_id", "=", self.project.id)])
        }

    def test_every_reason(self):
        self.company.client_approval_trigger = "internal_approval"
        draft = self.log("2026-03-30", hours=1)
        submitted = self.log("2026-03-23", hours=2)
        submitted.client_approval_id.action_submit()
        sent = self.log("2026-03-16", hours=3)
        sent.client_approval_id.action_submit()
        sent.client_approval_id.with_user(self.manager_user).action_approve_internal()
        rejected = self.log("2026-03-09", hours=4)
        approved = self.log("2026-03-10", hours=5)
        letter = rejected.client_approval_id
        letter.action_submit()
        letter.with_user(self.manager_user).action_approve_internal()
        letter.client_decide(
            [
                {
                    "res_model": rejected._name,
                    "res_id": rejected.id,
                    "decision": "rejected",
                    "comment": "no",
                },
                {
                    "res_model": approved._name,
                    "res_id": approved.id,
                    "decision": "approved",
                },
            ]
        )
        rows = self.rows()
        expected = {
            (self.employee, "2026-03-30", "not_submitted"): 1,
            (self.employee, "2026-03-23", "internal"): 2,
            (self.employee, "2026-03-16", "client"): 3,
            (self.employee, "2026-03-09", "rejected"): 4,
            (self.employee, "2026-03-09", "to_invoice"): 5,
        }
        self.assertEqual({key: row.hours for key, row in rows.items()}, expected)
        self.assertEqual(rows[(self.employee, "2026-03-09", "to_invoice")].amount, 500)
        action = rows[
            (self.employee, "2026-03-09", "rejected")
        ].action_open_timesheets()
        self.assertEqual(
            self.env["account.analytic.line"].search(action["domain"]), rejected
        )
        # invoiced hours leave the report
        self.order._create_invoices()
        self.assertNotIn((self.employee, "2026-03-09", "to_invoice"), self.rows())
        self.assertIn((self.employee, "2026-03-30", "not_submitted"), self.rows())
        self.assertEqual(draft.client_approval_state, "pending")

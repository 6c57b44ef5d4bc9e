from odoo.tests import tagged

from .common import ClientApprovalCase


@tagged("post_install", "-at_install")
class TestDeliveredQueries(ClientApprovalCase):
    """Computing delivered quantities costs the same queries for 10 or 2,000
    timesheet lines."""

    def approved_lines(self, count):
        lines = self.env["account.analytic.line"].create(
            [
                {
                    "name": f"Line {index}",
                    "project_id": self.project.id,
                    "employee_id": self.employee.id,
                    "date": f"2026-0{1 + index % 6}-{1 + index % 28:02d}",
                    "unit_amount": 0.25,
                }
                for index in range(count)
            ]
        )
        for letter in lines.client_approval_id:
            letter.action_submit()
            letter.client_decide(letter._get_pending_decisions("approved"))
        return lines

    def queries_for_delivered(self):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        self.line_tm._compute_qty_delivered()
        self.env.flush_all()
        return self.cr.sql_log_count - before, self.line_tm.qty_delivered

    def test_same_queries_for_10_and_2000_lines(self):
        self.approved_lines(10)
        small, delivered = self.queries_for_delivered()
        self.assertEqual(delivered, 2.5)
        self.approved_lines(1990)
        large, delivered = self.queries_for_delivered()
        self.assertEqual(delivered, 500)
        self.assertEqual(large, small)
        self.env.invalidate_all()
        with self.assertQueryCount(small):
            self.line_tm._compute_qty_delivered()

from odoo.tests import tagged

from .common import ClientApprovalHttpCase


@tagged("post_install", "-at_install")
class TestPortalQueries(ClientApprovalHttpCase):
    """The client's page costs the same number of queries whatever the
    number of lines."""

    def letter_with_lines(self, count, week):
        lines = self.env["account.analytic.line"].create(
            [
                {
                    "name": f"Line {index}",
                    "project_id": self.project.id,
                    "task_id": self.task.id,
                    "employee_id": self.employee.id,
                    "date": f"2026-03-{week + index % 7:02d}",
                    "unit_amount": 0.5,
                }
                for index in range(count)
            ]
        )
        letter = lines.client_approval_id
        self.assertEqual(len(letter), 1)
        for index in range(min(count, 5)):
            self.expense(f"2026-03-{week + index:02d}", amount=10 + index)
        letter.action_submit()
        letter._portal_ensure_token()
        return letter

    def page_queries(self, letter):
        url = letter.get_portal_url()
        self.url_open(url)  # warm the caches (views, assets, translations)
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertRegex(response.text, rf"Line {len(letter.timesheet_ids) - 1}\s*<")
        return self.cr.sql_log_count - before

    def test_query_count_flat(self):
        self.authenticate(None, None)
        small = self.page_queries(self.letter_with_lines(10, 2))
        large = self.page_queries(self.letter_with_lines(300, 9))
        self.assertEqual(large, small)
        self.assertLess(small, 80)

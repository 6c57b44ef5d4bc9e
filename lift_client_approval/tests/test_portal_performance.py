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

    def test_query_count_flat_with_corrections(self):
        """Lines whose correction we declined show the client's proposal
        and our answer: the page still reads them in a fixed number of
        queries, however many there are."""
        self.authenticate(None, None)
        counts = []
        for count, week in ((10, 2), (300, 9)):
            letter = self.letter_with_lines(count, week)
            lines = letter.timesheet_ids
            letter.client_decide(
                [
                    {
                        "res_model": line._name,
                        "res_id": line.id,
                        "decision": "corrected",
                        "quantity": 0.25,
                        "comment": f"Only a quarter of an hour for {line.name}",
                    }
                    for line in lines
                ]
                + letter.sudo()._get_pending_decisions("approved")[len(lines) :]
            )
            self.assertEqual(letter.state, "corrected")
            lines.client_approval_decline_correction("The half hour stands")
            self.assertEqual(letter.state, "sent")
            counts.append(self.page_queries(letter))
        small, large = counts
        self.assertEqual(large, small)
        self.assertLess(small, 90)

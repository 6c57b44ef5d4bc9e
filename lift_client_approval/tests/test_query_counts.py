from datetime import date, timedelta

from odoo.tests import tagged

from .common import ClientApprovalCase


@tagged("post_install", "-at_install")
class TestQueryCounts(ClientApprovalCase):
    """What logging hours and the daily run cost in queries does not grow with
    the data: a batch of lines costs the same whatever its size, a reminder
    a few queries a letter."""

    def queries(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def batch(self, first_day, size, project=None):
        employees = [self.employee, self.other_employee]
        return lambda: self.env["account.analytic.line"].create(
            [
                {
                    "name": f"Work {index}",
                    "project_id": (project or self.project).id,
                    "employee_id": employees[index % 2].id,
                    "date": first_day + timedelta(days=index % 5),
                    "unit_amount": 0.5,
                }
                for index in range(size)
            ]
        )

    def test_a_batch_of_lines_costs_the_same_whatever_its_size(self):
        monday = date(2026, 3, 2)
        self.batch(monday, 2)()  # the week's letters exist
        small = self.queries(self.batch(monday, 10))
        large = self.queries(self.batch(monday, 100))
        self.assertEqual(small, large)
        # a new week: its two letters are made in the same batch, at a
        # fixed cost, without numbering them (they get their reference when
        # submitted)
        new_week = self.queries(self.batch(monday + timedelta(weeks=1), 10))
        self.assertLessEqual(new_week - small, 1)
        with self.assertQueryCount(small):
            self.batch(monday, 50)()

    def test_what_client_approval_adds_to_a_batch(self):
        """Next to the same batch on a project without client approval:
        one query finds the drafts of the batch's weeks, one reads them (or,
        in a new week, inserts them), one adds up their hours, one stores
        their totals; and the sale order item's delivered quantity is not
        written, as the lines wait for the client. Three more in all; two in
        a new week, whose letters read their employees together, which
        Odoo's timesheet code then finds read."""
        plain = self.env["project.project"].create(
            {
                "name": "Website (no approval)",
                "partner_id": self.client.id,
                "allow_timesheets": True,
                "allow_billable": True,
                "sale_line_id": self.line_tm.id,
                "user_id": self.manager_user.id,
            }
        )
        monday = date(2026, 3, 2)
        self.batch(monday, 2)()
        self.batch(monday, 2, plain)()
        with_approval = self.queries(self.batch(monday, 20))
        without = self.queries(self.batch(monday, 20, plain))
        self.assertEqual(with_approval - without, 3)
        next_week = monday + timedelta(weeks=1)
        new_letters = self.queries(self.batch(next_week, 20))
        without = self.queries(self.batch(next_week, 20, plain))
        self.assertEqual(new_letters - without, 2)

    def test_reminders_cost_a_few_queries_a_letter(self):
        def overdue_letters(count, first):
            letters = self.env["lift.client.approval"]
            for week in range(count):
                letters |= self.log(first + timedelta(weeks=week)).client_approval_id
            letters.action_submit()
            letters.write({"deadline": date(2026, 1, 1)})
            return letters

        today = date(2026, 6, 1)
        Letter = self.env["lift.client.approval"]
        overdue_letters(1, date(2026, 1, 5))
        Letter._run_reminders(today, None)  # warm the caches
        counts = {}
        for count, first in ((2, date(2026, 2, 2)), (6, date(2026, 3, 2))):
            letters = overdue_letters(count, first)
            counts[count] = self.queries(lambda: Letter._run_reminders(today, None))
            self.assertEqual(set(letters.mapped("reminder_count")), {1})
        per_letter = (counts[6] - counts[2]) / 4
        self.assertLessEqual(per_letter, 8, counts)

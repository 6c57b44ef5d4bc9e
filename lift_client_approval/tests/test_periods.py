from datetime import date

from odoo.tests import freeze_time, tagged

from .common import ClientApprovalCase


@tagged("post_install", "-at_install")
class TestPeriods(ClientApprovalCase):
    """A line's period follows the project's setting: an ISO week
    (Monday-Sunday) or a calendar month, on the employee's own date."""

    def test_iso_week_53_across_the_year_boundary(self):
        # 1 January 2026 is a Thursday: 2026 has an ISO week 53, which runs
        # from Monday 28 December 2026 to Sunday 3 January 2027.
        december = self.log("2026-12-29")
        january = self.log("2027-01-01")
        letter = december.client_approval_id
        self.assertEqual(january.client_approval_id, letter)
        self.assertEqual(letter.date_start, date(2026, 12, 28))
        self.assertEqual(letter.date_end, date(2027, 1, 3))
        self.assertEqual(letter.period_label, "Week 53, 2026")
        next_week = self.log("2027-01-04")
        self.assertNotEqual(next_week.client_approval_id, letter)
        self.assertEqual(next_week.client_approval_id.period_label, "Week 1, 2027")

    def test_week_starts_on_monday(self):
        sunday = self.log("2026-03-08")
        monday = self.log("2026-03-09")
        self.assertNotEqual(sunday.client_approval_id, monday.client_approval_id)
        self.assertEqual(sunday.client_approval_id.date_start, date(2026, 3, 2))
        self.assertEqual(monday.client_approval_id.date_end, date(2026, 3, 15))

    def test_months_of_every_length(self):
        self.project.client_approval_period = "month"
        expected = {
            "2026-02-14": (date(2026, 2, 1), date(2026, 2, 28)),
            "2028-02-29": (date(2028, 2, 1), date(2028, 2, 29)),
            "2026-04-30": (date(2026, 4, 1), date(2026, 4, 30)),
            "2026-12-31": (date(2026, 12, 1), date(2026, 12, 31)),
        }
        for day, (start, end) in expected.items():
            letter = self.log(day).client_approval_id
            self.assertEqual((letter.date_start, letter.date_end), (start, end), day)
            self.assertEqual(letter.period, "month")
        last = self.log("2026-01-31").client_approval_id
        first = self.log("2026-02-01").client_approval_id
        self.assertNotEqual(last, first)

    def log_today(self, name, user=None):
        """An hour logged by an employee without a date: Odoo's default,
        today in her time zone."""
        return (
            self.env["account.analytic.line"]
            .with_user(user or self.user)
            .create({"name": name, "project_id": self.project.id, "unit_amount": 1.0})
        )

    @freeze_time("2026-03-08 23:30:00")
    def test_employee_date_not_utc(self):
        """At 23:30 UTC on Sunday it is already Monday in Tokyo: a line the
        employee logs for "today" belongs to the new week."""
        self.user.tz = "Asia/Tokyo"
        line = self.log_today("Morning work")
        self.assertEqual(line.date, date(2026, 3, 9))
        self.assertEqual(line.client_approval_id.date_start, date(2026, 3, 9))
        # another employee: 19.0 keeps a user's time zone for the
        # transaction, as a request does
        self.other_user.tz = "America/Los_Angeles"
        line = self.log_today("Evening work", self.other_user)
        self.assertEqual(line.date, date(2026, 3, 8))
        self.assertEqual(line.client_approval_id.date_start, date(2026, 3, 2))

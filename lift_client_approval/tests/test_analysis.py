from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged

from .. import compat
from .common import ClientApprovalCase

TODAY = "2026-06-30"


@tagged("post_install", "-at_install")
class TestAnalysis(ClientApprovalCase):
    """The Client Approval Analysis against figures worked out by hand.

    On 2026-06-30, at 100 an hour:
    - Quick Co approved three letters of 2 hours, in 2, 2 and 8 days;
    - Slow Co rejected one of two lines (3 h and 5 h) after 9 days; the line
      was corrected to 4 h, sent again, and approved 20 days after the
      first sending: 2 rounds, 1 rejection in 3 answers;
    - Silent Co never answered 6 hours: approved automatically after 15 days;
    - Waiting Co has 4 hours and a 50.00 expense waiting 40 days (deadline
      35 days ago), and 1 hour sent 3 days ago.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Analysis = cls.env["lift.client.approval.analysis"]
        cls.clients = {}
        for name in ("Quick", "Slow", "Silent", "Waiting"):
            cls.clients[name] = cls.make_client(name)

    @classmethod
    def make_client(cls, name):
        client = cls.env["res.partner"].create(
            {"name": f"{name} Co", "is_company": True, "email": f"{name}@example.com"}
        )
        approver = cls.env["res.partner"].create(
            {
                "name": f"{name} Approver",
                "parent_id": client.id,
                "email": f"approver-{name}@example.com",
            }
        )
        order = cls.env["sale.order"].create(
            {
                "partner_id": client.id,
                "order_line": [
                    Command.create({"product_id": cls.product_tm.id, "price_unit": 100})
                ],
            }
        )
        order.action_confirm()
        project = cls.env["project.project"].create(
            {
                "name": f"{name} project",
                "partner_id": client.id,
                "allow_timesheets": True,
                "allow_billable": True,
                "sale_line_id": order.order_line.id,
                "client_approval_required": True,
                "client_approval_partner_id": approver.id,
                "client_approval_period": "week",
                "client_approval_deadline_days": 5,
            }
        )
        return client, project

    def letter(self, client, days, hours, sent, expense=0):
        """A letter of ``hours`` (one line a day from ``days``) and an
        ``expense``, sent on ``sent``."""
        project = self.clients[client][1]
        lines = self.env["account.analytic.line"]
        for day, amount in zip(days, hours, strict=True):
            lines |= self.log(day, hours=amount, project=project)
        if expense:
            self.expense(days[0], amount=expense, project=project)
        letter = lines.client_approval_id
        with freeze_time(sent):
            letter.action_submit()
        return letter

    def answer(self, letter, when, decisions=None, how="client"):
        with freeze_time(when):
            letter._client_decide(
                decisions or letter._get_pending_decisions("approved"), how
            )

    def setUp(self):
        super().setUp()
        quick = [
            self.letter("Quick", ["2026-06-01"], [2], "2026-06-01 09:00"),
            self.letter("Quick", ["2026-06-08"], [2], "2026-06-08 09:00"),
            self.letter("Quick", ["2026-06-15"], [2], "2026-06-15 09:00"),
        ]
        for letter, when in zip(
            quick, ["2026-06-03", "2026-06-10", "2026-06-23"], strict=True
        ):
            self.answer(letter, when)
        self.quick = quick
        slow = self.letter(
            "Slow", ["2026-04-27", "2026-04-28"], [3, 5], "2026-05-01 09:00"
        )
        first, second = slow.timesheet_ids.sorted("date")
        self.answer(
            slow,
            "2026-05-10",
            [
                {"res_model": first._name, "res_id": first.id, "decision": "approved"},
                {
                    "res_model": second._name,
                    "res_id": second.id,
                    "decision": "rejected",
                    "comment": "4 hours were agreed",
                },
            ],
        )
        second.with_user(self.user).unit_amount = 4
        with freeze_time("2026-05-12 09:00"):
            slow.with_user(self.user).action_submit()
        self.answer(slow, "2026-05-21")
        self.slow = slow
        silent = self.letter("Silent", ["2026-06-08"], [6], "2026-06-10 09:00")
        self.answer(silent, "2026-06-25", how="automatic")
        self.silent = silent
        waiting = self.letter(
            "Waiting", ["2026-05-18"], [4], "2026-05-21 09:00", expense=50
        )
        self.assertEqual(waiting.expense_ids.client_approval_state, "pending")
        self.waiting = waiting
        self.recent = self.letter("Waiting", ["2026-06-22"], [1], "2026-06-27 09:00")

    def row(self, letter):
        """The letter's row, read on TODAY."""
        with freeze_time(TODAY):
            row = self.Analysis.search([("letter_id", "=", letter.id)])
            row.fetch(list(self.Analysis._fields))
            return row

    def grouped(self, domain, groupby, aggregates):
        with freeze_time(TODAY):
            return self.Analysis._read_group(domain, groupby, aggregates)

    def test_one_row_per_letter(self):
        row = self.row(self.quick[2])
        self.assertEqual(row.commercial_partner_id, self.clients["Quick"][0])
        self.assertEqual(row.state, "approved")
        self.assertEqual(row.amount, 200)
        self.assertEqual(row.lead_time_days, 8)
        self.assertEqual(row.rounds, 1)
        self.assertEqual(row.decided_by, "client")
        self.assertEqual(row.days_waiting, 0)
        self.assertFalse(row.age_bucket)

        row = self.row(self.slow)
        self.assertEqual(row.amount, 700)
        self.assertEqual(row.lead_time_days, 20)
        self.assertEqual(row.rounds, 2)
        self.assertEqual(row.rejected_line_count, 1)
        self.assertEqual(row.decided_line_count, 3)
        self.assertAlmostEqual(row.rejection_rate, 100 / 3, 2)

        row = self.row(self.silent)
        self.assertEqual(row.decided_by, "automatic")
        self.assertEqual(row.lead_time_days, 15)

        row = self.row(self.waiting)
        self.assertEqual(row.state, "sent")
        self.assertEqual(row.amount, 450)
        self.assertEqual(row.days_waiting, 40)
        self.assertEqual(row.days_overdue, 35)
        self.assertEqual(row.age_bucket, "over_30")
        self.assertFalse(row.lead_time_days)
        self.assertEqual(self.row(self.recent).age_bucket, "0_7")

    def test_revenue_waiting_by_client_and_age(self):
        groups = self.grouped(
            [("state", "=", "sent")],
            ["commercial_partner_id", "age_bucket"],
            ["amount:sum", "__count"],
        )
        self.assertEqual(
            {
                (client.name, bucket): (amount, count)
                for client, bucket, amount, count in groups
            },
            {("Waiting Co", "over_30"): (450, 1), ("Waiting Co", "0_7"): (100, 1)},
        )

    def test_averages_and_medians_per_client(self):
        groups = {
            client.name: values
            for client, *values in self.grouped(
                [
                    (
                        "commercial_partner_id",
                        "in",
                        [c.id for c, _p in self.clients.values()],
                    )
                ],
                ["commercial_partner_id"],
                ["lead_time_days:avg", "lead_time_median:avg", "rejection_rate:avg"],
            )
        }
        self.assertAlmostEqual(groups["Quick Co"][0], 4)  # (2 + 2 + 8) / 3
        self.assertAlmostEqual(groups["Quick Co"][1], 2)  # the median
        self.assertAlmostEqual(groups["Quick Co"][2], 0)
        self.assertAlmostEqual(groups["Slow Co"][0], 20)
        self.assertAlmostEqual(groups["Slow Co"][2], 100 / 3, 2)
        self.assertFalse(groups["Waiting Co"][0])
        # all clients together: 2, 2, 8, 15, 20; 1 rejection in 7 answers
        ((avg, median, rate),) = self.grouped(
            [
                (
                    "commercial_partner_id",
                    "in",
                    [c.id for c, _p in self.clients.values()],
                )
            ],
            [],
            ["lead_time_days:avg", "lead_time_median:avg", "rejection_rate:avg"],
        )
        self.assertAlmostEqual(avg, 9.4)
        self.assertAlmostEqual(median, 8)
        self.assertAlmostEqual(rate, 100 / 7, 2)

    def test_smart_buttons(self):
        with freeze_time(TODAY):
            waiting_client = self.clients["Waiting"][0].with_user(self.manager_user)
            self.assertEqual(waiting_client.client_approval_waiting_count, 2)
            self.assertEqual(waiting_client.client_approval_waiting_amount, 550)
            quick_contact = self.quick[0].partner_id.with_user(self.manager_user)
            self.assertAlmostEqual(quick_contact.client_approval_lead_time, 4)
            project = self.clients["Waiting"][1].with_user(self.manager_user)
            self.assertEqual(project.client_approval_waiting_amount, 550)
            action = waiting_client.action_view_client_approval_analysis()
            self.assertEqual(
                self.Analysis.search(action["domain"]).letter_id,
                self.waiting | self.recent,
            )

    def test_analysis_follows_the_companies_of_the_user(self):
        other_company = self.env["res.company"].create({"name": "Other Co Ltd"})
        manager = self.manager_user
        manager.write({"company_ids": [Command.link(other_company.id)]})
        with freeze_time(TODAY):
            mine = self.Analysis.with_user(manager).with_context(
                allowed_company_ids=[self.company.id]
            )
            self.assertIn(self.waiting, mine.search([]).letter_id)
            theirs = self.Analysis.with_user(manager).with_context(
                allowed_company_ids=[other_company.id]
            )
            self.assertFalse(theirs.search([]))
            self.assertFalse(
                self.Analysis.with_user(self.user).has_access("read"),
                "employees do not see the analysis",
            )

    def test_queries_do_not_grow_with_the_data(self):
        def open_analysis():
            with freeze_time(TODAY):
                compat.web_read_group(
                    self.Analysis.with_user(self.manager_user),
                    [("state", "=", "sent")],
                    ["amount:sum", "lead_time_days:avg", "lead_time_median:avg"],
                    ["commercial_partner_id", "age_bucket"],
                )

        open_analysis()  # warm the caches
        with self.assertQueryCount(2):
            open_analysis()
        for week in range(10):
            self.letter(
                "Waiting",
                [f"2026-0{5 + week // 5}-{1 + 7 * (week % 4):02d}"],
                [1],
                TODAY,
            )
        self.env.flush_all()
        open_analysis()  # warm the caches
        with self.assertQueryCount(2):
            open_analysis()

    def test_managers_daily_summary(self):
        self.letter("Slow", ["2026-06-22"], [3], "2026-06-26 09:00")
        self.letter("Quick", ["2026-06-22"], [1], "2026-06-26 09:00")
        self.company.client_approval_manager_digest = True
        Letter = self.env["lift.client.approval"]

        def summaries():
            return self.env["mail.mail"].search(
                [("subject", "ilike", "awaiting clients")]
            )

        with freeze_time(TODAY):
            Letter._run_manager_digests(fields.Date.today(), None)
            Letter._run_manager_digests(fields.Date.today(), None)  # once a day
        mail = summaries()
        self.assertEqual(
            len(
                mail.filtered(lambda m: self.manager_user.partner_id in m.recipient_ids)
            ),
            1,
        )
        body = mail[0].body_html
        # the three clients with the most revenue waiting, most first
        self.assertLess(body.index("Waiting Co"), body.index("Slow Co"))
        self.assertLess(body.index("Slow Co"), body.index("Quick Co"))
        self.assertIn("4 timesheet letter(s)", mail[0].subject)
        self.company.client_approval_manager_digest = False
        with freeze_time("2026-07-01"):
            Letter._run_manager_digests(fields.Date.today(), None)
        self.assertEqual(summaries(), mail)

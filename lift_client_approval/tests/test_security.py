from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ClientApprovalCase


@tagged("post_install", "-at_install")
class TestSecurity(ClientApprovalCase):
    """What each user reads: employees their own letters, managers all of
    their companies'."""

    def setUp(self):
        super().setUp()
        self.mine = self.log("2026-03-02").client_approval_id
        self.theirs = self.log(
            "2026-03-02", employee=self.other_employee
        ).client_approval_id

    def test_employee_sees_own_letters_only(self):
        Letter = self.Letter.with_user(self.user)
        self.assertEqual(Letter.search([]), self.mine)
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.user).read(["name"])
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.user).action_submit()
        self.assertEqual(self.theirs.state, "draft")

    def test_employee_cannot_create_or_delete(self):
        with self.assertRaises(AccessError):
            self.Letter.with_user(self.user).create(
                {
                    "project_id": self.project.id,
                    "employee_id": self.employee.id,
                    "date_start": "2026-05-04",
                    "date_end": "2026-05-10",
                }
            )
        with self.assertRaises(AccessError):
            self.mine.with_user(self.user).unlink()

    def test_manager_sees_all(self):
        letters = self.Letter.with_user(self.manager_user).search([])
        self.assertIn(self.mine, letters)
        self.assertIn(self.theirs, letters)

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        project = (
            self.env["project.project"]
            .with_company(other_company)
            .create(
                {
                    "name": "Abroad",
                    "company_id": other_company.id,
                    "partner_id": self.client.id,
                    "allow_timesheets": True,
                    "allow_billable": True,
                    "client_approval_required": True,
                }
            )
        )
        employee = (
            self.env["hr.employee"]
            .with_company(other_company)
            .create({"name": "Abroad", "company_id": other_company.id})
        )
        letter = (
            self.env["account.analytic.line"]
            .with_company(other_company)
            .create(
                {
                    "name": "Abroad",
                    "project_id": project.id,
                    "employee_id": employee.id,
                    "date": "2026-03-02",
                    "unit_amount": 1,
                }
            )
            .client_approval_id
        )
        self.assertEqual(letter.company_id, other_company)
        self.assertNotIn(letter, self.Letter.with_user(self.manager_user).search([]))
        boss = new_test_user(
            self.env,
            "lca_boss",
            groups="hr_timesheet.group_hr_timesheet_approver",
            company_id=other_company.id,
            company_ids=[other_company.id, self.company.id],
        )
        self.assertIn(
            letter,
            self.Letter.with_user(boss)
            .with_context(allowed_company_ids=[other_company.id])
            .search([]),
        )

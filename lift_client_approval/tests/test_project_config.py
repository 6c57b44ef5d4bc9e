from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ClientApprovalCase


@tagged("post_install", "-at_install")
class TestProjectConfig(ClientApprovalCase):
    """Which projects can require client approval, and what happens to
    their lines when the switch flips."""

    def test_approver_defaults_to_customer(self):
        project = self.env["project.project"].create(
            {"name": "No approver", "partner_id": self.client.id}
        )
        self.assertEqual(project.client_approval_partner_id, self.client)

    def test_not_billable_project_refused(self):
        project = self.env["project.project"].create(
            {"name": "Internal", "allow_timesheets": True, "allow_billable": False}
        )
        with (
            self.assertRaisesRegex(ValidationError, "Billable"),
            self.env.cr.savepoint(),
        ):
            project.client_approval_required = True
        project.invalidate_recordset()
        self.assertFalse(project.client_approval_required)

    def test_fixed_price_project_refused(self):
        project = self.env["project.project"].create(
            {
                "name": "Fixed",
                "partner_id": self.client.id,
                "allow_timesheets": True,
                "allow_billable": True,
                "sale_line_id": self.line_fixed.id,
            }
        )
        with self.assertRaisesRegex(ValidationError, "fixed price"):
            project.client_approval_required = True

    def test_fixed_price_line_on_approval_project_refused(self):
        with self.assertRaisesRegex(ValidationError, "fixed price"):
            self.project.sale_line_id = self.line_fixed

    def test_employee_rate_mapping_on_fixed_price_refused(self):
        with self.assertRaisesRegex(ValidationError, "fixed price"):
            self.project.sale_line_employee_ids = [
                Command.create(
                    {
                        "employee_id": self.employee.id,
                        "sale_line_id": self.line_fixed.id,
                    }
                )
            ]

    def test_deadline_days_must_be_positive(self):
        with self.assertRaisesRegex(ValidationError, "at least one day"):
            self.project.client_approval_deadline_days = 0

    def test_switch_off_cancels_open_letters_and_keeps_decisions(self):
        approved_line = self.log("2026-03-02")
        first = approved_line.client_approval_id
        first.action_submit()
        self.decide_all(first)
        open_line = self.log("2026-03-10")
        sent_line = self.log("2026-03-17")
        sent_line.client_approval_id.action_submit()

        self.project.client_approval_required = False

        self.assertEqual(first.state, "approved")
        self.assertEqual(approved_line.client_approval_state, "approved")
        for line in open_line | sent_line:
            self.assertEqual(line.client_approval_id.state, "cancel")
            self.assertFalse(line.client_approval_state)
            self.assertFalse(line.client_approval_locked)
        self.assertIn(
            "turned off",
            sent_line.client_approval_id.message_ids[:1].body,
        )
        # a new line needs no approval any more
        self.assertFalse(self.log("2026-03-24").client_approval_id)

    def test_switch_back_on_reattaches_undecided_lines(self):
        line = self.log("2026-03-10")
        self.project.client_approval_required = False
        free_line = self.log("2026-03-11")
        self.assertFalse(free_line.client_approval_state)
        self.project.client_approval_required = True
        self.assertEqual(line.client_approval_state, "pending")
        self.assertEqual(free_line.client_approval_state, "pending")
        self.assertEqual(line.client_approval_id.state, "draft")
        self.assertEqual(line.client_approval_id, free_line.client_approval_id)

    def test_onchange_warns_about_open_letters(self):
        self.log("2026-03-10").client_approval_id.action_submit()
        project = self.project.new(origin=self.project)
        project.client_approval_required = False
        warning = project._onchange_client_approval_required()
        self.assertIn("1 open timesheet letters", warning["warning"]["message"])

    def test_onchange_warns_about_lines_to_approve(self):
        self.project.client_approval_required = False
        self.log("2026-03-10")
        project = self.project.new(origin=self.project)
        project.client_approval_required = True
        warning = project._onchange_client_approval_required()
        self.assertIn("need the client's approval", warning["warning"]["message"])

    def test_project_without_approval_lines_untouched(self):
        project = self.env["project.project"].create(
            {"name": "Plain", "allow_timesheets": True, "partner_id": self.client.id}
        )
        line = self.log("2026-03-10", project=project)
        self.assertFalse(line.client_approval_id)
        self.assertFalse(line.client_approval_state)

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ClientApprovalCase


@tagged("post_install", "-at_install")
class TestWorkflow(ClientApprovalCase):
    """Lines gather in letters, which are submitted, approved internally or
    refused."""

    def test_lines_gather_per_project_employee_period(self):
        first = self.log("2026-03-02")
        second = self.log("2026-03-04", hours=2.5)
        expense = self.expense("2026-03-05")
        letter = first.client_approval_id
        self.assertTrue(letter)
        self.assertEqual(second.client_approval_id, letter)
        self.assertEqual(expense.client_approval_id, letter)
        self.assertEqual(letter.state, "draft")
        self.assertEqual(letter.partner_id, self.approver)
        self.assertEqual(letter.employee_id, self.employee)
        self.assertEqual(letter.user_id, self.user)
        self.assertEqual(letter.total_hours, 3.5)
        self.assertEqual(letter.total_expense, 50.0)
        # a draft has no reference yet; it gets one when submitted
        self.assertEqual(letter.name, "/")
        self.assertIn("Draft - Employee", letter.display_name)
        self.assertEqual(first.client_approval_state, "pending")
        self.assertEqual(expense.client_approval_state, "pending")
        other = self.log("2026-03-02", employee=self.other_employee)
        self.assertNotEqual(other.client_approval_id, letter)

    def test_batch_create_makes_one_letter_per_key(self):
        lines = self.env["account.analytic.line"].create(
            [
                {
                    "name": f"Line {day}",
                    "project_id": self.project.id,
                    "employee_id": employee.id,
                    "date": f"2026-03-{day:02d}",
                    "unit_amount": 1,
                }
                for day in (2, 3, 9, 10)
                for employee in (self.employee, self.other_employee)
            ]
        )
        self.assertEqual(len(lines.client_approval_id), 4)

    def test_submit_sends_to_client_when_company_asks_on_submit(self):
        letter = self.log("2026-03-02").client_approval_id
        letter.with_user(self.user).action_submit()
        self.assertEqual(letter.state, "sent")
        self.assertEqual(letter.submission_count, 1)
        self.assertTrue(letter.sent_date)
        self.assertTrue(letter.deadline)

    def test_submit_waits_for_internal_approval(self):
        self.company.client_approval_trigger = "internal_approval"
        letter = self.log("2026-03-02").client_approval_id
        letter.with_user(self.user).action_submit()
        self.assertEqual(letter.state, "submitted")
        activity = letter.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.manager_user)
        letter.with_user(self.manager_user).action_approve_internal()
        self.assertEqual(letter.state, "sent")
        self.assertFalse(letter.activity_ids)

    def test_submit_empty_letter(self):
        letter = self.log("2026-03-02").client_approval_id
        # the line moves to another week: the empty draft disappears
        letter.timesheet_ids.date = "2026-03-09"
        self.assertFalse(letter.exists())
        empty = self.Letter.create(
            {
                "project_id": self.project.id,
                "employee_id": self.employee.id,
                "partner_id": self.approver.id,
                "date_start": "2026-04-06",
                "date_end": "2026-04-12",
                "period": "week",
            }
        )
        with self.assertRaisesRegex(UserError, "is empty"):
            empty.action_submit()
        self.assertEqual(empty.state, "draft")

    def test_submit_twice(self):
        letter = self.log("2026-03-02").client_approval_id
        letter.action_submit()
        messages = letter.message_ids
        with self.assertRaisesRegex(UserError, "Only draft or rejected"):
            letter.action_submit()
        self.assertEqual(letter.state, "sent")
        self.assertEqual(letter.submission_count, 1)
        self.assertEqual(letter.message_ids, messages)

    def test_employee_cannot_approve_own_letter(self):
        self.company.client_approval_trigger = "internal_approval"
        # the manager logs time on a project where they approve
        letter = self.log(
            "2026-03-02", employee=self.manager_employee
        ).client_approval_id
        letter.with_user(self.manager_user).action_submit()
        with self.assertRaisesRegex(UserError, "your own timesheet letter"):
            letter.with_user(self.manager_user).action_approve_internal()
        self.assertEqual(letter.state, "submitted")

    def test_employee_cannot_approve_internally(self):
        self.company.client_approval_trigger = "internal_approval"
        letter = self.log("2026-03-02").client_approval_id
        letter.with_user(self.user).action_submit()
        with self.assertRaisesRegex(UserError, "Only client approval managers"):
            letter.with_user(self.user).action_approve_internal()
        self.assertEqual(letter.state, "submitted")

    def test_approve_internal_twice(self):
        self.company.client_approval_trigger = "internal_approval"
        letter = self.log("2026-03-02").client_approval_id
        letter.action_submit()
        letter.with_user(self.manager_user).action_approve_internal()
        with self.assertRaisesRegex(UserError, "not awaiting internal approval"):
            letter.with_user(self.manager_user).action_approve_internal()
        self.assertEqual(letter.submission_count, 1)

    def test_refuse_internally_with_reason(self):
        self.company.client_approval_trigger = "internal_approval"
        letter = self.log("2026-03-02").client_approval_id
        letter.with_user(self.user).action_submit()
        action = letter.with_user(self.manager_user).action_refuse_internal()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.manager_user)
            .with_context(**action["context"])
            .create({"reason": "Tuesday is a public holiday"})
        )
        wizard.action_refuse()
        self.assertEqual(letter.state, "draft")
        self.assertFalse(letter.activity_ids)
        message = letter.message_ids.filtered(
            lambda m: "Tuesday is a public holiday" in m.body
        )
        self.assertEqual(message.partner_ids, self.user.partner_id)
        # the employee can fix the line again
        letter.timesheet_ids.unit_amount = 2

    def test_project_without_customer_or_approver(self):
        project = self.env["project.project"].create(
            {
                "name": "Nobody approves",
                "allow_timesheets": True,
                "allow_billable": True,
                "client_approval_required": True,
            }
        )
        letter = self.log("2026-03-02", project=project).client_approval_id
        self.assertFalse(letter.partner_id)
        with self.assertRaisesRegex(UserError, "no customer and no client approver"):
            letter.action_submit()
        self.assertEqual(letter.state, "draft")

    def test_approver_without_email(self):
        self.approver.email = False
        letter = self.log("2026-03-02").client_approval_id
        with self.assertRaisesRegex(UserError, "no e-mail address"):
            letter.action_submit()

    def test_employee_without_user(self):
        line = self.log("2026-03-02", employee=self.userless_employee)
        letter = line.client_approval_id
        self.assertFalse(letter.user_id)
        letter.with_user(self.manager_user).action_submit()
        self.assertEqual(letter.state, "sent")

    def test_analytic_line_without_project_is_ignored(self):
        line = self.env["account.analytic.line"].create(
            {
                "name": "Not a timesheet",
                "account_id": self.project.account_id.id,
                "amount": 10,
            }
        )
        self.assertFalse(line.employee_id)
        self.assertFalse(line.client_approval_state)

    def test_timesheet_on_a_missing_project_is_refused(self):
        """A project id that leads nowhere (an RPC caller's typo) gets a
        clear error, and no line nor letter is made."""
        Line = self.env["account.analytic.line"].with_user(self.user)
        lines, letters = Line.search_count([]), self.Letter.search_count([])
        with self.assertRaises(UserError), self.env.cr.savepoint():
            Line.create(
                {
                    "name": "Typo",
                    "project_id": 2**31 - 1,
                    "employee_id": self.employee.id,
                    "date": "2026-03-02",
                    "unit_amount": 1,
                }
            )
        self.assertEqual(Line.search_count([]), lines)
        self.assertEqual(self.Letter.search_count([]), letters)

    def test_timesheet_without_employee_is_refused(self):
        line = self.log("2026-03-02")
        with self.assertRaisesRegex(ValidationError, "has no employee"):
            line.write({"employee_id": False})

    def test_state_changes_are_tracked(self):
        letter = self.log("2026-03-02").client_approval_id
        self.flush_tracking()  # logged in an earlier transaction
        letter.action_submit()
        self.flush_tracking()
        tracked = letter.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "state"
        )
        self.assertEqual(tracked.old_value_char, "Draft")
        self.assertEqual(tracked.new_value_char, "Awaiting the Client")

    def test_cancel_and_reset(self):
        letter = self.log("2026-03-02").client_approval_id
        letter.action_submit()
        letter.action_cancel()
        self.assertEqual(letter.state, "cancel")
        with self.assertRaisesRegex(UserError, "already cancelled"):
            letter.action_cancel()
        # a line logged meanwhile starts a new draft; reset merges it back
        late = self.log("2026-03-03")
        self.assertNotEqual(late.client_approval_id, letter)
        draft = late.client_approval_id
        letter.action_reset_to_draft()
        self.assertEqual(letter.state, "draft")
        self.assertEqual(late.client_approval_id, letter)
        self.assertFalse(draft.exists())

    def test_send_directly_is_for_managers(self):
        letter = self.log("2026-03-02").client_approval_id
        with self.assertRaisesRegex(UserError, "Only client approval managers"):
            letter.with_user(self.user).action_send()
        letter.with_user(self.manager_user).action_send()
        self.assertEqual(letter.state, "sent")
        with self.assertRaisesRegex(UserError, "already went to the client"):
            letter.with_user(self.manager_user).action_send()

    def test_lines_join_letters_however_they_are_created(self):
        """Given project, employee and date, a line is inserted with its
        letter; without them (the project from the task, today's date) it
        joins its letter just after: the same letters either way."""
        Line = self.env["account.analytic.line"]
        given = self.log("2026-03-02")
        letter = given.client_approval_id
        from_task = Line.create(
            {
                "name": "Via the task",
                "task_id": self.task.id,
                "employee_id": self.employee.id,
                "date": "2026-03-03",
                "unit_amount": 1,
            }
        )
        self.assertEqual(from_task.project_id, self.project)
        self.assertEqual(from_task.client_approval_id, letter)
        self.assertEqual(from_task.client_approval_state, "pending")
        today = Line.create(
            {
                "name": "Today",
                "project_id": self.project.id,
                "employee_id": self.employee.id,
                "unit_amount": 1,
            }
        )
        self.assertEqual(today.client_approval_state, "pending")
        self.assertTrue(
            today.client_approval_id.date_start
            <= today.date
            <= today.client_approval_id.date_end
        )
        # one batch over two weeks: one letter a week, no empty letter left
        batch = Line.create(
            [
                {
                    "name": f"Batch {day}",
                    "project_id": self.project.id,
                    "employee_id": self.employee.id,
                    "date": f"2026-03-{day:02d}",
                    "unit_amount": 1,
                }
                for day in (4, 9, 10)
            ]
        )
        self.assertEqual(batch[0].client_approval_id, letter)
        self.assertEqual(len(batch[1:].client_approval_id), 1)
        self.assertNotEqual(batch[1].client_approval_id, letter)
        # once the week is submitted, a line logged later starts a new draft
        letter.action_submit()
        later = self.log("2026-03-05")
        self.assertNotIn(later.client_approval_id, letter)
        self.assertEqual(later.client_approval_id.state, "draft")
        self.assertEqual(later.client_approval_id.date_start, letter.date_start)
        self.assertFalse(
            self.Letter.search(
                [("project_id", "=", self.project.id), ("timesheet_ids", "=", False)]
            )
        )

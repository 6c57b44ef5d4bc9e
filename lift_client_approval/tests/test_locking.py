from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ClientApprovalCase


@tagged("post_install", "-at_install")
class TestLocking(ClientApprovalCase):
    """Item 5: submitted and approved lines cannot change or vanish; late
    lines are not lost."""

    def setUp(self):
        super().setUp()
        self.line = self.log("2026-03-02", hours=4)
        self.expense_line = self.expense("2026-03-03")
        self.letter = self.line.client_approval_id
        self.letter.action_submit()

    def test_locked_fields(self):
        other_project = self.env["project.project"].create(
            {"name": "Other", "allow_timesheets": True, "partner_id": self.client.id}
        )
        for vals in (
            {"unit_amount": 5},
            {"date": "2026-03-03"},
            {"project_id": other_project.id},
            {"employee_id": self.other_employee.id},
            {"name": "Changed"},
        ):
            with self.assertRaisesRegex(UserError, "is locked"):
                self.line.write(vals)
        self.assertEqual(self.line.unit_amount, 4)
        self.assertEqual(self.line.client_approval_id, self.letter)
        with self.assertRaisesRegex(UserError, "is locked"):
            self.expense_line.total_amount_currency = 10
        self.assertEqual(self.expense_line.total_amount_currency, 50)

    def test_locked_line_cannot_be_deleted(self):
        with self.assertRaisesRegex(UserError, "is locked"):
            self.line.unlink()
        with self.assertRaisesRegex(UserError, "is locked"):
            self.expense_line.unlink()
        self.assertTrue(self.line.exists())

    def test_employee_cannot_change_locked_line(self):
        with self.assertRaisesRegex(UserError, "is locked"):
            self.line.with_user(self.user).unit_amount = 1

    def test_unchanged_value_and_free_fields_pass(self):
        self.line.write({"unit_amount": 4})
        self.line.write({"client_approval_comment": "note"})
        self.assertTrue(self.line.client_approval_locked)

    def test_late_line_starts_new_draft(self):
        late = self.log("2026-03-04", user=self.user)
        self.assertNotEqual(late.client_approval_id, self.letter)
        self.assertEqual(late.client_approval_id.state, "draft")
        self.assertEqual(late.client_approval_id.date_start, self.letter.date_start)
        mine = self.Letter.with_user(self.user).search(
            [("date_start", "=", self.letter.date_start)]
        )
        self.assertEqual(mine, self.letter | late.client_approval_id)

    def test_approved_line_stays_locked(self):
        self.decide_all(self.letter)
        self.assertEqual(self.letter.state, "approved")
        with self.assertRaisesRegex(UserError, "is locked"):
            self.line.with_user(self.user).unit_amount = 1
        with self.assertRaisesRegex(UserError, "is locked"):
            self.line.with_user(self.user).unlink()
        with self.assertRaisesRegex(UserError, "cannot be cancelled"):
            self.letter.action_cancel()

    def test_draft_line_moves_between_letters(self):
        line = self.log("2026-03-09")
        draft = line.client_approval_id
        line.date = "2026-03-16"
        self.assertFalse(draft.exists())
        self.assertEqual(line.client_approval_id.date_start.isoformat(), "2026-03-16")
        # moved to a project without approval: released
        plain = self.env["project.project"].create(
            {"name": "Plain", "allow_timesheets": True, "partner_id": self.client.id}
        )
        line.write({"project_id": plain.id, "task_id": False})
        self.assertFalse(line.client_approval_id)
        self.assertFalse(line.client_approval_state)

    def test_reset_to_draft_unlocks(self):
        self.letter.action_reset_to_draft()
        self.line.unit_amount = 3
        self.assertEqual(self.letter.total_hours, 3)

from contextlib import contextmanager

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ClientApprovalCase


@tagged("post_install", "-at_install")
class TestLocking(ClientApprovalCase):
    """Submitted and approved lines cannot change or vanish, whoever tries
    (the employee, a manager); late lines are not lost."""

    def setUp(self):
        super().setUp()
        self.line = self.log("2026-03-02", hours=4, user=self.user)
        self.expense_line = self.expense("2026-03-03")
        self.letter = self.line.client_approval_id
        self.letter.with_user(self.user).action_submit()

    @contextmanager
    def assertRefused(self, exception, message):
        """The block raises ``exception`` itself, not one of its subclasses
        (an AccessError is a UserError), with ``message``."""
        with self.assertRaisesRegex(exception, message) as caught:
            yield caught
        self.assertIs(type(caught.exception), exception)

    def assertUnchanged(self):
        self.env.invalidate_all()
        self.assertTrue(self.line.exists() and self.expense_line.exists())
        self.assertEqual(self.line.unit_amount, 4)
        self.assertEqual(self.line.date.isoformat(), "2026-03-02")
        self.assertEqual(self.line.employee_id, self.employee)
        self.assertEqual(self.line.project_id, self.project)
        self.assertEqual(self.line.name, "Work on 2026-03-02")
        self.assertEqual(self.line.client_approval_id, self.letter)
        self.assertEqual(self.expense_line.total_amount_currency, 50)
        self.assertEqual(self.expense_line.client_approval_id, self.letter)

    def test_locked_fields(self):
        """Neither the employee nor a manager changes a line while its
        letter awaits the client."""
        other_project = self.env["project.project"].create(
            {"name": "Other", "allow_timesheets": True, "partner_id": self.client.id}
        )
        for user in (self.user, self.manager_user):
            for vals in (
                {"unit_amount": 5},
                {"date": "2026-03-03"},
                {"project_id": other_project.id},
                {"employee_id": self.other_employee.id},
                {"name": "Changed"},
            ):
                with (
                    self.subTest(user=user.login, vals=vals),
                    self.assertRefused(UserError, "is locked"),
                ):
                    self.line.with_user(user).write(vals)
            with self.assertRefused(UserError, "is locked"):
                self.expense_line.with_user(user).total_amount_currency = 10
        self.assertUnchanged()

    def test_locked_line_cannot_be_deleted(self):
        for user in (self.user, self.manager_user):
            with self.assertRefused(UserError, "is locked"):
                self.line.with_user(user).unlink()
        # expenses are deleted by their employee alone (Odoo's rights)
        with self.assertRefused(UserError, "is locked"):
            self.expense_line.with_user(self.user).unlink()
        self.assertUnchanged()

    def test_unchanged_value_and_free_fields_pass(self):
        """Writing a locked line's own value again changes nothing and is
        allowed, so is a field the lock does not protect; the client's
        comment is not the employee's to write."""
        line = self.line.with_user(self.user)
        line.write({"unit_amount": 4})
        line.write({"ref": "PO line 7"})
        with self.assertRefused(UserError, "cannot be written directly"):
            line.write({"client_approval_comment": "note"})
        self.assertUnchanged()
        self.assertEqual(self.line.ref, "PO line 7")
        self.assertFalse(self.line.client_approval_comment)
        self.assertTrue(line.client_approval_locked)

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
        # the client approves, by the link of the e-mail (the employee's
        # e-mail then comes from the company's address)
        self.company.email = "office@firm.example.org"
        token = self.letter.sudo()._portal_ensure_token()
        self.letter.with_user(self.env.ref("base.public_user")).client_decide(
            self.letter.sudo()._get_pending_decisions("approved"), access_token=token
        )
        self.assertEqual(self.letter.state, "approved")
        with self.assertRefused(UserError, "is locked"):
            self.line.with_user(self.user).unit_amount = 1
        with self.assertRefused(UserError, "is locked"):
            self.line.with_user(self.user).unlink()
        with self.assertRefused(AccessError, "Only client approval managers"):
            self.letter.with_user(self.user).action_cancel()
        with self.assertRefused(UserError, "cannot be cancelled"):
            self.letter.with_user(self.manager_user).action_cancel()
        self.assertUnchanged()
        self.assertEqual(self.letter.state, "approved")

    def test_draft_line_moves_between_letters(self):
        line = self.log("2026-03-09", user=self.user).with_user(self.user)
        draft = line.client_approval_id
        line.date = "2026-03-16"
        self.assertFalse(draft.exists())
        self.assertEqual(line.client_approval_id.date_start.isoformat(), "2026-03-16")
        # moved to a project without approval: released
        plain = self.env["project.project"].create(
            {"name": "Plain", "allow_timesheets": True, "partner_id": self.client.id}
        )
        line.write({"project_id": plain.id, "task_id": False})
        self.env.invalidate_all()
        self.assertFalse(line.client_approval_id)
        self.assertFalse(line.client_approval_state)

    def test_reset_to_draft_unlocks(self):
        self.letter.with_user(self.manager_user).action_reset_to_draft()
        self.line.with_user(self.user).unit_amount = 3
        self.env.invalidate_all()
        self.assertEqual(self.letter.state, "draft")
        self.assertEqual(self.line.unit_amount, 3)
        self.assertEqual(self.letter.total_hours, 3)

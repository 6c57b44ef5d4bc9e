"""What the series-specific parts (``compat``) give on the series the tests
run on: the database's constraints read from its catalog, the groups where
Odoo's user form shows them, the actions shown to managers only."""

import psycopg2

from odoo.tests import tagged
from odoo.tools import mute_logger

from .. import compat
from .common import ClientApprovalCase


@tagged("post_install", "-at_install")
class TestSeries(ClientApprovalCase):
    def catalog(self, query, *args):
        self.env.cr.execute(query, args)
        return self.env.cr.fetchall()

    def test_constraints_are_in_the_catalog(self):
        """18.0 reads ``_sql_constraints``, 19.0 ``models.Constraint``: the
        database has the letter's check and its partial unique index on
        either, under the same names."""
        checks = dict(
            self.catalog(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'lift_client_approval'::regclass AND contype = 'c'"
            )
        )
        self.assertEqual(
            checks.get("lift_client_approval_date_check"),
            "CHECK ((date_start <= date_end))",
        )
        (index,) = self.catalog(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'lift_client_approval' "
            "AND indexname = 'lift_client_approval_one_draft_per_period'"
        )[0]
        self.assertIn("UNIQUE INDEX", index)
        self.assertIn("(project_id, employee_id, date_start)", index)
        self.assertIn("WHERE ((state)::text = 'draft'::text)", index)

    def test_constraints_refuse(self):
        """What the catalog says holds: a period that ends before it starts,
        and a second draft letter for one employee, project and period."""
        march = self.log("2026-03-02").client_approval_id
        april = self.log("2026-04-06").client_approval_id
        self.assertNotEqual(march, april)
        self.env.flush_all()
        for change, args in (
            ("date_end = date_start - 1 WHERE id = %s", (march.id,)),
            (
                "date_start = %s, date_end = %s WHERE id = %s",
                (march.date_start, march.date_end, april.id),
            ),
        ):
            with (
                mute_logger("odoo.sql_db"),
                self.assertRaises(psycopg2.IntegrityError),
                self.env.cr.savepoint(),
            ):
                self.env.cr.execute(f"UPDATE lift_client_approval SET {change}", args)

    def test_groups_under_their_category(self):
        """The addon's groups are offered in the user form beside Odoo's:
        by their category on 18.0, by a privilege in Services on 19.0."""
        user_group = self.env.ref("lift_client_approval.group_client_approval_user")
        manager_group = self.env.ref(
            "lift_client_approval.group_client_approval_manager"
        )
        category = self.env.ref("lift_client_approval.module_category_client_approval")
        groups = user_group | manager_group
        if compat.V19:
            self.assertEqual(groups.privilege_id.category_id, category.parent_id)
            self.assertEqual(groups.privilege_id.name, "Client Approval")
            self.assertLess(user_group.sequence, manager_group.sequence)
        else:
            self.assertEqual(groups.category_id, category)
        # Odoo's administrator manages letters through the timesheet approver
        self.assertIn(
            self.env.ref("base.user_admin"), compat.group_users(manager_group)
        )
        self.assertIn(self.manager_user, compat.group_users(manager_group))
        self.assertNotIn(self.user, compat.group_users(manager_group))

    def test_manager_actions_shown_to_managers_only(self):
        manager_group = self.env.ref(
            "lift_client_approval.group_client_approval_manager"
        )
        for xmlid in (
            "lift_client_approval.action_send_reminder_multi",
            "lift_client_approval.action_lift_client_approval_waive_wizard",
            "lift_client_approval.action_waive_timesheets",
        ):
            self.assertEqual(self.env.ref(xmlid)[compat.GROUPS_FIELD], manager_group)

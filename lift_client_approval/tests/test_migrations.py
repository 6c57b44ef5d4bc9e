"""What a module update does to a database made by an earlier version: each
migration run on the data it is for."""

import importlib.util

from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import ClientApprovalCase


def load_migration(version):
    path = file_path(f"lift_client_approval/migrations/{version}/post-migrate.py")
    spec = importlib.util.spec_from_file_location(
        f"lift_client_approval_migration_{version.replace('.', '_')}", path
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMigrations(ClientApprovalCase):
    def run_migration(self, version, from_version):
        self.env.flush_all()
        load_migration(version).migrate(self.env.cr, from_version)
        self.env.invalidate_all()

    def test_template_edited_before_18_0_1_2_still_renders(self):
        """A template edited in a database before 18.0.1.2.0 called the
        letter's own formatter of hours, which is gone: the update to
        18.0.1.3.0 makes it call Odoo's, which shows the same."""
        template = self.env.ref("lift_client_approval.mail_template_client_request")
        template.body_html = (
            '<p>Hours: <t t-out="object._format_hours(object.total_hours)"/></p>'
        )
        letter = self.log("2026-03-02", hours=2.5).client_approval_id
        self.run_migration("1.3.0", "1.2.0")
        self.assertNotIn("_format_hours", template.body_html)
        body = template._render_field("body_html", letter.ids)[letter.id]
        self.assertIn("Hours: 02:30", body)

    def test_answers_before_the_audit_trail_get_their_record(self):
        """A letter answered before 18.0.1.1.0 has decided lines and no
        decision record: the update makes one from what the letter knows,
        and leaves the letters that have theirs alone."""
        old = self.log("2026-03-02", hours=2).client_approval_id
        self.log("2026-03-03", hours=3)
        old.action_submit()
        lines = old.timesheet_ids.sorted("date")
        old.client_decide(
            [
                {
                    "res_model": lines[0]._name,
                    "res_id": lines[0].id,
                    "decision": "approved",
                },
                {
                    "res_model": lines[1]._name,
                    "res_id": lines[1].id,
                    "decision": "rejected",
                    "comment": "Not that day",
                },
            ],
            signer_name="Ms Client",
            client_reference="PO-7",
        )
        recent = self.log("2026-03-09", hours=1).client_approval_id
        recent.action_submit()
        self.decide_all(recent)
        kept = recent.decision_ids
        # as an earlier version left it: no record, nothing pointing to one
        old.decision_ids.unlink()
        old.write({"decided_by": False, "decided_on": False})
        self.assertFalse(lines.client_approval_decision_id)

        self.run_migration("1.3.0", "1.0.0")

        decision = old.decision_ids
        self.assertEqual(len(decision), 1)
        self.assertRecordValues(
            decision,
            [
                {
                    "decided_by": "unknown",
                    "partner_id": self.approver.id,
                    "signer_name": "Ms Client",
                    "client_reference": "PO-7",
                    "decided_on": old.signed_on,
                    "approved_count": 1,
                    "rejected_count": 1,
                    "round": 1,
                }
            ],
        )
        self.assertEqual(lines.client_approval_decision_id, decision)
        self.assertEqual(old.decided_by, "unknown")
        self.assertEqual(recent.decision_ids, kept)
        # run again, nothing more is made
        self.run_migration("1.3.0", "1.0.0")
        self.assertEqual(old.decision_ids, decision)

    def test_letters_sent_before_their_first_sending_was_kept(self):
        """Before 18.0.1.5.0 a letter could have been sent without its first
        sending on record: the update takes its last sending, so that its
        client still sees it; a letter that never went stays unseen."""
        sent = self.log("2026-03-02", hours=2).client_approval_id
        sent.action_submit()
        draft = self.log("2026-03-09", hours=2).client_approval_id
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE lift_client_approval SET first_sent_date = NULL WHERE id IN %s",
            ((sent | draft)._ids,),
        )
        self.env.invalidate_all()
        self.assertFalse(sent._went_to_client())
        self.run_migration("1.5.0", "1.4.0")
        self.assertEqual(sent.first_sent_date, sent.sent_date)
        self.assertTrue(sent._went_to_client())
        self.assertFalse(draft._went_to_client())

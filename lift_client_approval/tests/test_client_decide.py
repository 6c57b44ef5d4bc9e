from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ClientApprovalCase


@tagged("post_install", "-at_install")
class TestClientDecide(ClientApprovalCase):
    """The contract's single entry point for the client's decisions: every
    rule enforced in one place, all decisions or none."""

    def setUp(self):
        super().setUp()
        self.line1 = self.log("2026-03-02", hours=2)
        self.line2 = self.log("2026-03-03", hours=3)
        self.expense_line = self.expense("2026-03-04")
        self.letter = self.line1.client_approval_id
        self.letter.action_submit()

    def decision(self, line, decision="approved", comment=""):
        return {
            "res_model": line._name,
            "res_id": line.id,
            "decision": decision,
            "comment": comment,
        }

    def test_approve_everything(self):
        self.letter.client_decide(
            [
                self.decision(self.line1),
                self.decision(self.line2),
                self.decision(self.expense_line),
            ],
            signer_name="Client Approver",
            client_reference="PO-42",
        )
        self.assertEqual(self.letter.state, "approved")
        self.assertEqual(self.letter.signed_by, "Client Approver")
        self.assertEqual(self.letter.client_reference, "PO-42")
        self.assertEqual(
            set((self.line1 | self.line2).mapped("client_approval_state")),
            {"approved"},
        )

    def test_partial_answer_keeps_letter_sent(self):
        self.letter.client_decide([self.decision(self.line1)])
        self.assertEqual(self.letter.state, "sent")
        self.assertEqual(self.line1.client_approval_state, "approved")
        self.assertEqual(self.line2.client_approval_state, "pending")

    def test_rejection_needs_comment_and_nothing_is_saved(self):
        with self.assertRaisesRegex(UserError, "needs a comment"):
            self.letter.client_decide(
                [
                    self.decision(self.line1),
                    self.decision(self.line2, "rejected", "   "),
                ]
            )
        self.assertEqual(self.line1.client_approval_state, "pending")
        self.assertEqual(self.letter.state, "sent")

    def test_rejection_then_resubmission(self):
        self.letter.client_decide(
            [
                self.decision(self.line1),
                self.decision(self.line2, "rejected", "Only 2 hours agreed"),
                self.decision(self.expense_line),
            ]
        )
        self.assertEqual(self.letter.state, "rejected")
        self.assertEqual(self.line2.client_approval_comment, "Only 2 hours agreed")
        # the rejected line is open again, the approved one is not
        self.line2.with_user(self.user).unit_amount = 2
        with self.assertRaisesRegex(UserError, "is locked"):
            self.line1.with_user(self.user).unit_amount = 1
        self.letter.with_user(self.user).action_submit()
        self.assertEqual(self.letter.state, "sent")
        self.assertEqual(self.letter.submission_count, 2)
        self.assertEqual(self.line1.client_approval_state, "approved")
        self.assertEqual(self.line2.client_approval_state, "pending")
        self.assertEqual(self.letter.pending_count, 1)
        self.letter.client_decide([self.decision(self.line2)])
        self.assertEqual(self.letter.state, "approved")

    def test_line_of_another_letter_is_refused(self):
        stranger = self.log("2026-03-10")
        stranger.client_approval_id.action_submit()
        with self.assertRaisesRegex(UserError, "does not belong"):
            self.letter.client_decide(
                [self.decision(self.line1), self.decision(stranger)]
            )
        self.assertEqual(self.line1.client_approval_state, "pending")
        self.assertEqual(stranger.client_approval_state, "pending")

    def test_line_decided_twice(self):
        self.letter.client_decide([self.decision(self.line1)])
        with self.assertRaisesRegex(UserError, "already been decided"):
            self.letter.client_decide([self.decision(self.line1, "rejected", "no")])
        self.assertEqual(self.line1.client_approval_state, "approved")
        with self.assertRaisesRegex(UserError, "decided twice"):
            self.letter.client_decide(
                [self.decision(self.line2), self.decision(self.line2)]
            )

    def test_bad_input(self):
        for decisions in (
            [],
            "approve",
            [{"res_model": "res.partner", "res_id": 1, "decision": "approved"}],
            [{"res_model": self.line1._name, "res_id": "1", "decision": "approved"}],
            [self.decision(self.line1, "maybe")],
            [42],
        ):
            with self.assertRaises(UserError):
                self.letter.client_decide(decisions)
        self.assertEqual(self.line1.client_approval_state, "pending")

    def test_letter_not_sent(self):
        self.letter.action_reset_to_draft()
        with self.assertRaisesRegex(UserError, "not awaiting your answer"):
            self.letter.client_decide([self.decision(self.line1)])
        self.assertEqual(self.line1.client_approval_state, "pending")

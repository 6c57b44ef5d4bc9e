from odoo.tests import tagged

from .common import ClientApprovalHttpCase


@tagged("post_install", "-at_install")
class TestClientTour(ClientApprovalHttpCase):
    """The client's whole path in a real browser: open the link, reject one
    line with a comment, approve the rest, sign, send."""

    def test_client_path(self):
        letter = self.sent_letter()
        first, second = letter.timesheet_ids.sorted("date")
        self.start_tour(
            letter.get_portal_url(),
            "lift_client_approval_portal_tour",
            login=None,
        )
        self.assertEqual(first.client_approval_state, "rejected")
        self.assertEqual(first.client_approval_comment, "Only two hours were agreed")
        self.assertEqual(second.client_approval_state, "approved")
        self.assertEqual(letter.expense_ids.client_approval_state, "approved")
        self.assertEqual(letter.state, "rejected")
        self.assertEqual(letter.signed_by, "Client Approver")
        self.assertTrue(letter.signature)

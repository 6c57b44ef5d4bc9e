import re

from odoo.tests import tagged

from .common import ClientApprovalHttpCase


@tagged("post_install", "-at_install")
class TestPortalCorrections(ClientApprovalHttpCase):
    """The client corrects hours on the letter's page (a plain form) and
    over JSON-RPC; the firm's answer is the employee's or a manager's, never
    the client's nor another employee's."""

    def setUp(self):
        super().setUp()
        self.workshop = self.log("2026-03-02", hours=6, name="Workshop")
        self.letter = self.sent_letter(days=("2026-03-03",), with_expense=True)
        self.letter._portal_ensure_token()
        self.other = self.letter.timesheet_ids - self.workshop
        self.expense_line = self.letter.expense_ids
        self.url = self.letter.get_portal_url()

    def post(self, data):
        page = self.url_open(self.url).text
        return self.url_open(
            f"/my/client-approvals/{self.letter.id}/decide",
            data=dict(
                {
                    "csrf_token": self.csrf(page),
                    "access_token": self.letter.access_token,
                    "round": str(self.letter.submission_count),
                    f"decision-t-{self.other.id}": "approved",
                    f"decision-e-{self.expense_line.id}": "approved",
                },
                **data,
            ),
        )

    def correction(self, hours="4:00", comment="We agreed on 4 hours"):
        key = f"t-{self.workshop.id}"
        return {
            f"decision-{key}": "corrected",
            f"hours-{key}": hours,
            f"comment-{key}": comment,
        }

    def snapshot(self):
        self.env.invalidate_all()
        return (
            self.letter.state,
            self.letter.timesheet_ids.mapped("client_approval_state"),
            self.letter.timesheet_ids.mapped("unit_amount"),
            self.env["lift.client.approval.correction"].search_count([]),
            self.env["lift.client.approval.decision"].search_count([]),
        )

    def field(self, html, field_id):
        """The field's tag and the message shown at it."""
        tag = re.search(rf'<[a-z]+[^>]*id="{field_id}"[^>]*>', html)
        error = re.search(
            rf'id="{field_id.replace("-", "-error-", 1)}"[^>]*>\s*([^<]*)', html
        )
        return tag and tag.group(0), error and error.group(1).strip()

    def test_correct_on_the_page_then_accepted(self):
        self.authenticate(None, None)
        response = self.post(self.correction(hours="4:00"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("your answer has been recorded", response.text)
        self.assertEqual(self.letter.state, "corrected")
        correction = self.workshop.client_approval_correction_id
        self.assertEqual(
            (correction.hours_logged, correction.hours_agreed, correction.comment),
            (6, 4, "We agreed on 4 hours"),
        )
        self.assertEqual(correction.decision_id.decided_by, "client")
        page = self.url_open(self.url).text
        self.assertIn("we are looking at your corrections", page)
        self.assertIn("Awaiting our answer to your correction", page)
        self.assertRegex(page, r"you accept\s*04:00")
        # the totals are the agreed ones: 4 + 2 hours
        self.assertRegex(page, r'<h2 class="mb-0">\s*06:00')
        requests = len(self.mails(self.letter, "to approve"))
        # the employee accepts, over JSON-RPC as the contract says
        self.authenticate("lca_employee", "lca_employee")
        _result, error = self.call_kw(
            "account.analytic.line",
            "client_approval_accept_correction",
            [self.workshop.ids],
        )
        self.assertIsNone(error)
        self.env.invalidate_all()
        self.assertEqual(self.letter.state, "approved")
        self.assertEqual(self.workshop.unit_amount, 4)
        self.assertEqual(len(self.mails(self.letter, "to approve")), requests)
        self.authenticate(None, None)
        page = self.url_open(self.url).text
        self.assertRegex(page, r"logged\s*06:00")
        self.assertIn("Your correction was accepted", page)

    def test_a_correction_the_page_refuses(self):
        self.authenticate(None, None)
        before = self.snapshot()
        key = f"t-{self.workshop.id}"
        for data, field, message in (
            (self.correction(hours=""), "hours", "Give the hours you accept"),
            (self.correction(hours="four"), "hours", "Give the hours you accept"),
            (self.correction(hours="-1:00"), "hours", "Give the hours you accept"),
            (self.correction(hours="4:75"), "hours", "Give the hours you accept"),
            (self.correction(hours="6:00"), "hours", "Fewer than the 06:00 logged"),
            (self.correction(hours="7"), "hours", "Fewer than the 06:00 logged"),
            (self.correction(comment=" "), "comment", "Say why you correct"),
        ):
            with self.subTest(data=data):
                response = self.post(data)
                self.assertEqual(response.status_code, 400)
                tag, shown = self.field(response.text, f"{field}-{key}")
                self.assertIn('aria-invalid="true"', tag)
                self.assertIn(message, shown)
                # what the client typed is kept
                self.assertIn(data[f"comment-{key}"].strip(), response.text)
                self.assertEqual(self.snapshot(), before)
        # on an expense, a correction is no choice
        response = self.post(
            {
                f"decision-e-{self.expense_line.id}": "corrected",
                f"hours-e-{self.expense_line.id}": "1:00",
                f"comment-e-{self.expense_line.id}": "less",
            }
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Only hours can be corrected", response.text)
        self.assertEqual(self.snapshot(), before)
        page = self.url_open(self.url).text
        self.assertIn(f'id="correct-t-{self.workshop.id}"', page)
        self.assertNotIn(f'id="correct-e-{self.expense_line.id}"', page)

    def test_declined_correction_comes_back_with_our_answer(self):
        self.authenticate(None, None)
        self.post(self.correction())
        self.workshop.with_user(self.manager_user).client_approval_decline_correction(
            "The workshop took 6 hours, see the agenda"
        )
        self.assertEqual(self.letter.state, "sent")
        page = self.url_open(self.url).text
        exchange = re.search(
            r'class="small mb-2 o_client_approval_exchange"(.*?)</div>', page, re.S
        )
        self.assertTrue(exchange)
        self.assertIn("We agreed on 4 hours", exchange.group(1))
        self.assertIn("see the agenda", exchange.group(1))
        self.assertIn(f'id="correct-t-{self.workshop.id}"', page)
        # the client approves the 6 hours after all
        page = self.url_open(self.url).text
        response = self.url_open(
            f"/my/client-approvals/{self.letter.id}/decide",
            data={
                "csrf_token": self.csrf(page),
                "access_token": self.letter.access_token,
                "round": str(self.letter.submission_count),
                f"decision-t-{self.workshop.id}": "approved",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.letter.state, "approved")
        self.assertEqual(self.line_tm.qty_delivered, 8)

    def test_only_the_firm_answers_a_correction(self):
        self.authenticate(None, None)
        self.post(self.correction())
        before = self.snapshot()
        for login in ("lca_portal", "lca_portal_other", "lca_other"):
            self.authenticate(login, login)
            for method, args in (
                ("client_approval_accept_correction", [self.workshop.ids]),
                (
                    "client_approval_decline_correction",
                    [self.workshop.ids, "no"],
                ),
            ):
                with self.subTest(login=login, method=method):
                    _result, error = self.call_kw("account.analytic.line", method, args)
                    self.assertTrue(error)
                    self.assertEqual(self.snapshot(), before)
            _result, error = self.call_kw(
                "lift.client.approval", "action_accept_corrections", [self.letter.ids]
            )
            self.assertTrue(error)
            self.assertEqual(self.snapshot(), before)

    def test_client_decide_corrects_over_rpc(self):
        """The contract: a portal user of the client corrects over JSON-RPC."""
        self.authenticate("lca_portal", "lca_portal")
        _result, error = self.call_kw(
            "lift.client.approval",
            "client_decide",
            [
                self.letter.ids,
                [
                    {
                        "res_model": "account.analytic.line",
                        "res_id": self.workshop.id,
                        "decision": "corrected",
                        "quantity": 4.0,
                        "comment": "We agreed on 4 hours for the workshop",
                    }
                ],
            ],
        )
        self.assertIsNone(error)
        self.env.invalidate_all()
        self.assertEqual(self.workshop.client_approval_state, "corrected")
        self.assertEqual(
            self.workshop.client_approval_correction_id.decision_id.decided_by,
            "portal_user",
        )
        # the employee of the letter cannot answer for the client
        self.authenticate("lca_employee", "lca_employee")
        before = self.snapshot()
        _result, error = self.call_kw(
            "lift.client.approval",
            "client_decide",
            [
                self.letter.ids,
                [
                    {
                        "res_model": "account.analytic.line",
                        "res_id": self.other.id,
                        "decision": "corrected",
                        "quantity": 0.0,
                        "comment": "nothing",
                    }
                ],
            ],
        )
        self.assertIn("own timesheet letter", error)
        self.assertEqual(self.snapshot(), before)

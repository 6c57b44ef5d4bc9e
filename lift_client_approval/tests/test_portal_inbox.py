import re
import time
from datetime import date, timedelta

from odoo.tests import tagged

from .common import ClientApprovalHttpCase


@tagged("post_install", "-at_install")
class TestPortalInbox(ClientApprovalHttpCase):
    """The approver's inbox: every letter addressed to them that awaits
    their answer, across employees and projects, answered in one
    submission; its link is signed for that approver alone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project2 = cls.project.copy(
            {
                "name": "Dashboards",
                "client_approval_required": True,
                "client_approval_partner_id": cls.approver.id,
                "sale_line_id": cls.line_tm.id,
            }
        )

    def setUp(self):
        super().setUp()
        self.letters = self.env["lift.client.approval"]
        for employee, project, day in (
            (self.employee, self.project, "2026-03-02"),
            (self.other_employee, self.project, "2026-03-03"),
            (self.userless_employee, self.project2, "2026-03-04"),
            (self.employee, self.project2, "2026-03-05"),
        ):
            line = self.log(day, hours=2, employee=employee, project=project)
            self.letters |= line.client_approval_id
        self.letters.action_submit()
        self.assertEqual(set(self.letters.mapped("state")), {"sent"})
        self.Letter = self.env["lift.client.approval"]
        self.token = self.Letter._get_inbox_token(self.approver)

    def inbox(self, token=None):
        return self.url_open(
            f"/my/client-approvals/inbox?access_token={token or self.token}"
        )

    def submit(self, data, token=None):
        token = token or self.token
        page = self.inbox(token).text
        letter_ids = re.findall(r'name="letter_ids" value="(\d+)"', page)
        rounds = dict(re.findall(r'name="round-(\d+)" value="(\d+)"', page))
        return self.url_open(
            "/my/client-approvals/inbox/decide",
            data=dict(
                {
                    "csrf_token": self.csrf(page),
                    "access_token": token,
                    "letter_ids": letter_ids,
                    **{f"round-{key}": value for key, value in rounds.items()},
                },
                **data,
            ),
        )

    def snapshot(self):
        self.env.invalidate_all()
        return (
            self.letters.mapped("state"),
            self.env["lift.client.approval.decision"].search_count([]),
        )

    def test_one_submission_answers_every_letter(self):
        self.authenticate(None, None)
        page = self.inbox()
        self.assertEqual(page.status_code, 200)
        for letter in self.letters:
            self.assertIn(f'name="letter_ids" value="{letter.id}"', page.text)
        # grouped by project, then employee
        self.assertEqual(page.text.count("o_client_approval_inbox_project"), 2)
        self.assertEqual(page.text.count("o_client_approval_inbox_letter"), 4)
        response = self.submit(
            {
                "approve_all": "1",
                "signer_name": "Dana Client",
                "client_reference": "PO-9",
            }
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("your answer to 4 letter(s)", response.text)
        self.assertIn("Nothing awaits your answer", response.text)
        self.env.invalidate_all()
        self.assertEqual(set(self.letters.mapped("state")), {"approved"})
        for letter in self.letters:
            self.assertEqual(len(letter.decision_ids), 1)
            decision = letter.decision_ids
            self.assertTrue(decision.via_inbox)
            self.assertEqual(decision.decided_by, "client")
            self.assertEqual(decision.signer_name, "Dana Client")
            self.assertEqual(letter.client_reference, "PO-9")
            self.assertTrue(
                letter.message_ids.filtered(
                    lambda m: "From the inbox" in (m.body or "")
                )
            )

    def test_line_answers_and_a_letter_taken_back_meanwhile(self):
        self.authenticate(None, None)
        first, second, third, fourth = self.letters
        line1 = first.timesheet_ids
        line2 = second.timesheet_ids
        # a rejection without its comment: shown at its field, nothing decided
        before = self.snapshot()
        response = self.submit({f"decision-t-{line1.id}": "rejected"})
        self.assertEqual(response.status_code, 400)
        self.assertIn(f'id="comment-error-t-{line1.id}"', response.text)
        self.assertIn("Say why you reject this line", response.text)
        self.assertEqual(self.snapshot(), before)
        # the page is open; meanwhile the third letter is taken back
        page = self.inbox().text
        third.action_reset_to_draft()
        response = self.url_open(
            "/my/client-approvals/inbox/decide",
            data={
                "csrf_token": self.csrf(page),
                "access_token": self.token,
                "letter_ids": [str(x.id) for x in self.letters],
                **{f"round-{x.id}": str(x.submission_count) for x in self.letters},
                f"decision-t-{line1.id}": "rejected",
                f"comment-t-{line1.id}": "Not ours",
                f"decision-t-{line2.id}": "corrected",
                f"hours-t-{line2.id}": "1:30",
                f"comment-t-{line2.id}": "An hour and a half",
                f"decision-t-{third.timesheet_ids.id}": "approved",
                f"decision-t-{fourth.timesheet_ids.id}": "approved",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"{third.name} no longer awaits your answer", response.text)
        self.assertIn("your answer to 3 letter(s)", response.text)
        self.env.invalidate_all()
        self.assertEqual(first.state, "rejected")
        self.assertEqual(second.state, "corrected")
        self.assertEqual(third.state, "draft")
        self.assertEqual(fourth.state, "approved")

    def test_the_link_is_the_approvers_alone(self):
        self.authenticate(None, None)
        # another client's approver, with a letter of their own
        other = self.env["res.partner"].create(
            {"name": "Other Approver", "email": "other.approver@example.org"}
        )
        project3 = self.project.copy(
            {"name": "Elsewhere", "client_approval_partner_id": other.id}
        )
        self.log("2026-03-09", project=project3).client_approval_id.action_submit()
        other_token = self.Letter._get_inbox_token(other)
        page = self.inbox(other_token)
        self.assertEqual(page.status_code, 200)
        for letter in self.letters:
            self.assertNotIn(f'name="letter_ids" value="{letter.id}"', page.text)
        before = self.snapshot()
        # their link cannot answer our approver's letters
        response = self.url_open(
            "/my/client-approvals/inbox/decide",
            data={
                "csrf_token": self.csrf(page.text),
                "access_token": other_token,
                "letter_ids": [str(x.id) for x in self.letters],
                "approve_all": "1",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.snapshot(), before)
        # a token signed for one approver, made to name another: refused
        partner_id, issued, signature = other_token.split(".")
        forged = f"{self.approver.id}.{issued}.{signature}"
        for token in (forged, "nonsense", f"{self.approver.id}.{issued}.x"):
            with self.subTest(token=token):
                response = self.inbox(token)
                self.assertEqual(response.status_code, 410)
                self.assertNotIn("letter_ids", response.text)
                self.assertNotIn("Client Approver", response.text)
        # nor does client_decide take it, over RPC
        self.authenticate("lca_portal_other", "lca_portal_other")
        _result, error = self.call_kw(
            "lift.client.approval",
            "client_decide",
            [
                self.letters[:1].ids,
                self.letters[0]._get_pending_decisions("approved"),
            ],
            {"inbox_token": other_token},
        )
        self.assertTrue(error)
        self.assertEqual(self.snapshot(), before)

    def test_expired_link_offers_a_new_one(self):
        self.authenticate(None, None)
        days = self.company.client_approval_inbox_days
        old = self.Letter._get_inbox_token(
            self.approver, issued=time.time() - (days + 1) * 86400
        )
        page = self.inbox(old)
        self.assertEqual(page.status_code, 410)
        self.assertIn("Send me a new link", page.text)
        sent = self.env["mail.mail"].search_count([])
        response = self.url_open(
            "/my/client-approvals/inbox/new-link",
            data={"csrf_token": self.csrf(page.text), "access_token": old},
        )
        self.assertEqual(response.status_code, 200)
        mail = self.env["mail.mail"].search([], order="id desc", limit=1)
        self.assertEqual(self.env["mail.mail"].search_count([]), sent + 1)
        self.assertEqual(mail.recipient_ids, self.approver)
        new = re.search(r"inbox\?access_token=([0-9.a-f]+)", mail.body_html).group(1)
        self.assertEqual(self.inbox(new).status_code, 200)
        # a link not signed here gets the same answer, and nothing is sent
        answer = response.text
        response = self.url_open(
            "/my/client-approvals/inbox/new-link",
            data={"csrf_token": self.csrf(page.text), "access_token": "1.2.3"},
        )

        def main(html):
            return re.search(r"<main.*</main>", html, re.S).group(0)

        self.assertEqual(main(response.text), main(answer))
        self.assertEqual(self.env["mail.mail"].search_count([]), sent + 1)
        # once nothing awaits the approver, the link stops working
        self.decide_all_letters()
        self.assertEqual(self.inbox().status_code, 410)

    def test_forward_a_projects_letters_from_the_inbox(self):
        self.authenticate(None, None)
        dashboards = self.letters.filtered(lambda x: x.project_id == self.project2)
        self.assertEqual(len(dashboards), 2)

        def forward(email):
            page = self.inbox().text
            return self.url_open(
                "/my/client-approvals/inbox/forward",
                data={
                    "csrf_token": self.csrf(page),
                    "access_token": self.token,
                    "project_id": str(self.project2.id),
                    "forward_name": "Robin Colleague",
                    "forward_email": email,
                },
            )

        before = self.snapshot()
        partners = self.letters.mapped("partner_id")
        response = forward(self.user.email)  # the employee's: refused
        self.assertEqual(response.status_code, 400)
        self.assertIn("belongs to us", response.text)
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(self.letters.mapped("partner_id"), partners)
        response = forward("robin@client.example.com")
        self.assertEqual(response.status_code, 200)
        self.assertIn("2 letter(s) forwarded to", response.text)
        self.env.invalidate_all()
        colleague = dashboards.partner_id
        self.assertEqual(len(colleague), 1)
        self.assertEqual(colleague.email, "robin@client.example.com")
        self.assertEqual(
            self.Letter._get_inbox_letters(self.approver), self.letters - dashboards
        )
        self.assertEqual(self.Letter._get_inbox_letters(colleague), dashboards)

    def decide_all_letters(self):
        for letter in self.letters:
            self.decide_all(letter)

    def test_portal_user_has_the_same_page(self):
        self.authenticate("lca_portal", "lca_portal")
        # the list of letters leads to it
        self.assertIn(
            'href="/my/client-approvals/inbox"',
            self.url_open("/my/client-approvals").text,
        )
        page = self.url_open("/my/client-approvals/inbox")
        self.assertEqual(page.status_code, 200)
        for letter in self.letters:
            self.assertIn(f'name="letter_ids" value="{letter.id}"', page.text)
        response = self.url_open(
            "/my/client-approvals/inbox/decide",
            data={
                "csrf_token": self.csrf(page.text),
                "letter_ids": [str(x.id) for x in self.letters],
                **{f"round-{x.id}": str(x.submission_count) for x in self.letters},
                "approve_all": "1",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(set(self.letters.mapped("state")), {"approved"})
        self.assertEqual(
            set(self.letters.decision_ids.mapped("decided_by")), {"portal_user"}
        )
        self.assertTrue(all(self.letters.decision_ids.mapped("via_inbox")))

    def test_query_count_does_not_grow_with_the_letters(self):
        """5 letters, then 50 of 10 lines: the same queries."""
        self.authenticate(None, None)
        counts = []
        week = 0
        for letters in (5, 50):
            while len(self.Letter._get_inbox_letters(self.approver)) < letters:
                day = date(2026, 4, 6) + timedelta(weeks=week)
                week += 1
                lines = self.env["account.analytic.line"].create(
                    [
                        {
                            "name": f"Line {index}",
                            "project_id": self.project2.id,
                            "task_id": False,
                            "employee_id": self.other_employee.id,
                            "date": day + timedelta(days=index % 5),
                            "unit_amount": 0.5,
                        }
                        for index in range(10)
                    ]
                )
                lines.client_approval_id.with_context(
                    lift_client_approval_no_mail=True
                ).action_submit()
            self.inbox()  # warm the caches
            self.env.invalidate_all()
            with self.assertQueryCount(counts[0] if counts else 1000):
                before = self.cr.sql_log_count
                self.assertEqual(self.inbox().status_code, 200)
                counts.append(self.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])
        self.assertEqual(len(self.Letter._get_inbox_letters(self.approver)), 50)

import re
import time
from datetime import timedelta

from markupsafe import escape

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from ..models.rules import valid_email
from .common import ClientApprovalHttpCase

# addresses nobody can receive, as clients typed them (issue tracker)
UNREACHABLE = (
    "@client-a.test",
    "carl@@client-a.test",
    "carl@client-a..test",
    "carl@" + "a" * 9984 + ".test",  # 9,994 characters
)
REFUSED = "not an e-mail address a message can reach"


@tagged("post_install", "-at_install")
class TestValidEmail(TransactionCase):
    """The one rule of an address a message can reach."""

    def test_addresses(self):
        self.assertEqual(len(UNREACHABLE[3]), 9994)
        for value in (
            *UNREACHABLE,
            "",
            "carl",
            "carl@",
            "carl@client-a",
            "carl@client-a.t",
            "carl@client-a.t3",
            "carl@-client-a.test",
            "carl@client-a-.test",
            "carl@client_a.test",
            "carl@.client-a.test",
            "carl@client-a.test.",
            "carl.@client-a.test",
            "carl @client-a.test",
            "carl@client-a.test, eve@client-a.test",
            "Carl <carl@client-a.test>",
            "x" * 65 + "@client-a.test",
            "carl@" + "a" * 64 + ".test",  # a label of at most 63
            None,
            42,
        ):
            with self.subTest(value=str(value)[:40]):
                self.assertIsNone(valid_email(value))
        self.assertEqual(
            valid_email(" Carl.O-Neil+x@Client-A.test "),
            "carl.o-neil+x@client-a.test",
        )
        longest = "a@" + ".".join(["b" * 61] * 4) + ".test"
        self.assertEqual(len(longest), 254)
        self.assertEqual(valid_email(longest), longest)
        self.assertIsNone(valid_email(longest[:2] + "b" + longest[2:]))


@tagged("post_install", "-at_install")
class TestPortalForwardAddresses(ClientApprovalHttpCase):
    """Forwarding, tried by the client over HTTP: to an address nobody can
    receive it is refused on the letter's page and on the inbox, and nothing
    changes; to an address of our own domain it is allowed, and the page
    says whose address it is."""

    def setUp(self):
        super().setUp()
        self.letter = self.sent_letter(days=("2026-03-02",), with_expense=False)
        self.letter._portal_ensure_token()
        self.token = self.letter.access_token
        self.inbox_token = self.Letter._get_inbox_token(self.approver)

    def state(self):
        self.env.invalidate_all()
        return {
            "approver": self.letter.partner_id,
            "token": self.letter.access_token,
            "contacts": self.env["res.partner"]
            .with_context(active_test=False)
            .search_count([]),
            "mails": self.env["mail.mail"].search_count([]),
            "messages": self.env["mail.message"].search_count(
                [("model", "=", self.letter._name), ("res_id", "=", self.letter.id)]
            ),
        }

    def forward(self, name, email):
        page = self.url_open(
            f"/my/client-approvals/{self.letter.id}?access_token={self.token}"
        ).text
        return self.url_open(
            f"/my/client-approvals/{self.letter.id}/forward",
            data={
                "csrf_token": self.csrf(page),
                "access_token": self.token,
                "forward_name": name,
                "forward_email": email,
            },
        )

    def forward_from_inbox(self, name, email):
        page = self.url_open(
            f"/my/client-approvals/inbox?access_token={self.inbox_token}"
        ).text
        return self.url_open(
            "/my/client-approvals/inbox/forward",
            data={
                "csrf_token": self.csrf(page),
                "access_token": self.inbox_token,
                "project_id": str(self.project.id),
                "forward_name": name,
                "forward_email": email,
            },
        )

    def assert_refused(self, response, email):
        self.assertEqual(response.status_code, 400)
        self.assertIn(REFUSED, response.text)
        self.assertIn(str(escape(email[:80])), response.text)
        self.assertNotIn("o_client_approval_firm_address", response.text)

    # ------------------------------------------------------------------
    # Addresses nobody can receive
    # ------------------------------------------------------------------

    def test_unreachable_address_refused_on_the_letter_page(self):
        self.authenticate(None, None)
        before = self.state()
        for email in UNREACHABLE:
            with self.subTest(email=email[:40]):
                self.assert_refused(self.forward("Carl", email), email)
                self.assertEqual(self.state(), before)
        # the client's link still opens the letter
        page = self.url_open(
            f"/my/client-approvals/{self.letter.id}?access_token={self.token}"
        )
        self.assertEqual(page.status_code, 200)

    def test_unreachable_address_refused_on_the_inbox(self):
        self.authenticate(None, None)
        before = self.state()
        for email in UNREACHABLE:
            with self.subTest(email=email[:40]):
                self.assert_refused(self.forward_from_inbox("Carl", email), email)
                self.assertEqual(self.state(), before)
        page = self.url_open(
            f"/my/client-approvals/inbox?access_token={self.inbox_token}"
        )
        self.assertEqual(page.status_code, 200)
        self.assertIn(f'name="letter_ids" value="{self.letter.id}"', page.text)

    def test_unreachable_address_refused_by_the_model(self):
        """Whatever the door: the portal user's own call is refused too."""
        before = self.state()
        for email in UNREACHABLE:
            with self.subTest(email=email[:40]):
                with self.assertRaisesRegex(UserError, REFUSED) as caught:
                    self.letter.with_user(self.portal_user).client_approval_forward(
                        "Carl", email
                    )
                self.assertIs(type(caught.exception), UserError)
                self.assertEqual(self.state(), before)

    def test_good_address_still_forwards(self):
        self.authenticate(None, None)
        before = self.state()
        response = self.forward("Carl", " Carl@Client-A.test ")
        self.assertEqual(response.status_code, 200)
        self.assertIn("the letter is forwarded", response.text)
        self.assertNotIn("o_client_approval_firm_address", response.text)
        after = self.state()
        self.assertEqual(after["approver"].email, "carl@client-a.test")
        self.assertEqual(after["approver"].parent_id, self.client)
        self.assertNotEqual(after["token"], before["token"])
        self.assertEqual(after["contacts"], before["contacts"] + 1)
        self.assertEqual(after["mails"], before["mails"] + 1)
        mail = self.env["mail.mail"].search([], order="id desc", limit=1)
        self.assertEqual(mail.recipient_ids, after["approver"])

    def test_good_address_still_forwards_from_the_inbox(self):
        self.authenticate(None, None)
        before = self.state()
        response = self.forward_from_inbox("Carl", "carl@client-a.test")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_client_approval_inbox_forwarded", response.text)
        self.assertNotIn("o_client_approval_firm_address", response.text)
        after = self.state()
        self.assertEqual(after["approver"].email, "carl@client-a.test")
        self.assertNotEqual(after["token"], before["token"])
        self.assertEqual(after["contacts"], before["contacts"] + 1)

    # ------------------------------------------------------------------
    # Addresses of our own domain
    # ------------------------------------------------------------------

    def assert_firm_notice(self, response, email):
        self.assertEqual(response.status_code, 200)
        notice = re.search(
            r"<p[^>]*o_client_approval_firm_address[^>]*>(.*?)</p>",
            response.text,
            re.S,
        )
        self.assertTrue(notice, "the page says whose address it is")
        text = " ".join(notice.group(1).split())
        self.assertIn(email, text)
        self.assertIn(str(escape(self.company.name)), text)
        self.assertIn("the firm that logged these hours", text)
        self.assertIn("not of your company", text)
        self.env.invalidate_all()
        self.assertEqual(self.letter.partner_id.email, email)

    def test_forward_to_our_company_domain_is_said(self):
        self.company.email = "info@ourfirm.test"
        self.authenticate(None, None)
        self.assert_firm_notice(
            self.forward("Front Desk", "desk@OurFirm.test"), "desk@ourfirm.test"
        )

    def test_forward_to_our_users_domain_is_said_on_the_inbox(self):
        """The domain of an internal user's login is ours, even when the
        company's own address is elsewhere."""
        self.company.email = "info@elsewhere.test"
        new_test_user(
            self.env,
            "ann@lift-consult.test",
            groups="base.group_user",
            email="ann@lift-consult.test",
        )
        self.authenticate(None, None)
        response = self.forward_from_inbox("Reception", "reception@lift-consult.test")
        self.assertIn("o_client_approval_inbox_forwarded", response.text)
        self.assert_firm_notice(response, "reception@lift-consult.test")

    def test_forward_to_our_users_mail_domain_is_said(self):
        self.company.email = False
        self.manager_user.email = "manager@lift-consult.test"
        self.authenticate(None, None)
        self.assert_firm_notice(
            self.forward("Reception", "reception@lift-consult.test"),
            "reception@lift-consult.test",
        )

    def test_forward_to_the_clients_own_domain_is_not_flagged(self):
        """Our users' addresses are on example.com, and so is the client's:
        an address there is the client's as much as ours; and one elsewhere
        is nobody's of ours."""
        self.company.email = "info@ourfirm.test"
        self.assertEqual(self.manager_user.email, "manager@example.com")
        self.assertFalse(self.letter._is_firm_address("robin@example.com"))
        self.assertFalse(self.letter._is_firm_address("robin@client-a.test"))
        self.assertTrue(self.letter._is_firm_address("robin@ourfirm.test"))
        self.authenticate(None, None)
        response = self.forward("Robin", "robin@example.com")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("o_client_approval_firm_address", response.text)

    def test_forward_to_one_of_our_users_is_refused(self):
        self.company.email = "info@ourfirm.test"
        self.manager_user.login = "boss@ourfirm.test"
        self.authenticate(None, None)
        before = self.state()
        response = self.forward("Boss", "Boss@ourfirm.test")
        self.assertEqual(response.status_code, 400)
        self.assertIn("belongs to us", response.text)
        self.assertEqual(self.state(), before)


@tagged("post_install", "-at_install")
class TestPortalInboxNewLinkRate(ClientApprovalHttpCase):
    """The expired inbox link's "send me a new link": at most one e-mail an
    hour for an address, whatever is posted; the page says the same."""

    def setUp(self):
        super().setUp()
        self.letter = self.sent_letter(days=("2026-03-02",), with_expense=False)
        days = self.company.client_approval_inbox_days or 60
        self.expired = time.time() - (days + 1) * 86400
        self.old = self.Letter._get_inbox_token(self.approver, issued=self.expired)

    def ask(self, token, **extra):
        page = self.url_open(f"/my/client-approvals/inbox?access_token={token}")
        self.assertEqual(page.status_code, 410)
        response = self.url_open(
            "/my/client-approvals/inbox/new-link",
            data={"csrf_token": self.csrf(page.text), "access_token": token, **extra},
        )
        self.assertEqual(response.status_code, 200)
        return re.search(r"<main.*</main>", response.text, re.S).group(0)

    def links_sent(self, partner):
        return self.env["mail.mail"].search_count(
            [
                ("recipient_ids", "in", partner.ids),
                ("subject", "ilike", "your link to the hours awaiting"),
            ]
        )

    def test_one_link_an_hour(self):
        self.authenticate(None, None)
        answer = self.ask(self.old)
        self.assertEqual(self.links_sent(self.approver), 1)
        # again, with the same link, another expired one, or more posted
        other_old = self.Letter._get_inbox_token(
            self.approver, issued=self.expired - 3600
        )
        for token, extra in (
            (self.old, {}),
            (other_old, {}),
            (self.old, {"email": "eve@evil.test", "partner_id": "1"}),
        ):
            self.assertEqual(self.ask(token, **extra), answer)
        self.assertEqual(self.links_sent(self.approver), 1)
        # an hour later, one more
        self.env.invalidate_all()
        self.approver.sudo().client_approval_inbox_link_sent_on -= timedelta(minutes=61)
        self.assertEqual(self.ask(other_old), answer)
        self.assertEqual(self.links_sent(self.approver), 2)
        self.assertEqual(self.ask(self.old), answer)
        self.assertEqual(self.links_sent(self.approver), 2)

    def test_one_link_an_hour_for_an_address_of_two_contacts(self):
        """Two contacts with the same address, each with a letter awaiting
        them: one link an hour reaches that address."""
        twin = self.approver.copy({"name": "Client Approver (2)"})
        self.assertEqual(twin.email_normalized, self.approver.email_normalized)
        project2 = self.project.copy(
            {
                "name": "Dashboards",
                "client_approval_required": True,
                "client_approval_partner_id": twin.id,
                "sale_line_id": self.line_tm.id,
            }
        )
        letter2 = self.log("2026-03-03", hours=2, project=project2).client_approval_id
        letter2.action_submit()
        self.assertEqual(letter2.partner_id, twin)
        twin_old = self.Letter._get_inbox_token(twin, issued=self.expired)
        self.authenticate(None, None)
        self.ask(self.old)
        self.ask(twin_old)
        self.assertEqual(self.links_sent(self.approver | twin), 1)

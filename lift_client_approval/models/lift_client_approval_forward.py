import uuid

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import email_normalize

from .lift_client_approval_link import token_hash
from .rules import email_domain, valid_email


class LiftClientApproval(models.Model):
    """The letter's link and who holds it: a manager renews the link (the
    old one stops at once); the client hands the letter to a colleague,
    who becomes its approver with a link of their own. Every change of
    approver renews the link; a former link's page says what happened and
    decides nothing (``lift.client.approval.link``)."""

    # one model, laid out in files by responsibility
    _inherit = "lift.client.approval"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Renewing the link (contract)
    # ------------------------------------------------------------------

    def action_renew_access_token(self):
        """A new link for the approver (contract): the old one stops working
        at once, the approver receives the new one by e-mail."""
        self._check_can("renew_link")
        for letter in self.sudo():
            letter._do_renew_token("renewed")
            letter.message_post(
                body=self.env._(
                    "%(user)s renewed the client's link: the former link no longer "
                    "opens the letter; %(approver)s received the new one by e-mail.",
                    user=self.env.user.name,
                    approver=letter.partner_id.name,
                )
            )
        self._send_mail("lift_client_approval.mail_template_client_new_link")
        return True

    def _do_renew_token(self, reason, partner=None):
        """A new token for each of these letters that has one; the former
        token stops at once and is kept as its hash only, with ``reason``
        (and the new approver, ``partner``) for its page."""
        Link = self.env["lift.client.approval.link"].sudo()
        now = fields.Datetime.now()
        for letter in self.sudo().filtered("access_token"):
            Link.create(
                {
                    "letter_id": letter.id,
                    "token_hash": token_hash(letter.access_token),
                    "reason": reason,
                    "partner_id": partner.id if partner else False,
                    "user_id": self.env.user.id
                    if self.env.user._is_internal()
                    else False,
                    "date": now,
                }
            )
            letter.write({"access_token": str(uuid.uuid4())})

    # ------------------------------------------------------------------
    # Forwarding to a colleague (contract)
    # ------------------------------------------------------------------

    def client_approval_forward(self, name, email, access_token=None, inbox_token=None):
        """Hand the letter to a colleague at the client (contract): ``name``
        and ``email`` make (or find) a contact of the client's company, who
        becomes the approver and receives the request with a link of their
        own; the former link stops working. Only the client forwards: the
        approver by their link (``access_token``) or their inbox's
        (``inbox_token``), or a portal user of the approver's company, while
        the letter awaits them; never to one of our own users nor to the
        letter's employee."""
        self.ensure_one()
        if not self.env.su and self.env.user._is_internal():
            raise AccessError(
                self.env._(
                    "Only the client forwards timesheet letter %(letter)s to a "
                    "colleague; a client approval manager changes its approver "
                    "on the letter (reset to draft first).",
                    letter=self.sudo().display_name,
                )
            )
        self._get_decided_by(access_token=access_token, inbox_token=inbox_token)
        name = self._clean_client_text(name, "signer_name", self.env._("The name"))
        if not name:
            raise UserError(self.env._("Give the name of the colleague."))
        normalized = valid_email(email)
        if not normalized:
            shown = email.strip() if isinstance(email, str) else ""
            raise UserError(
                self.env._(
                    "%(email)s is not an e-mail address a message can reach: give "
                    "your colleague's, such as name@company.com.",
                    email=shown if len(shown) <= 80 else shown[:80] + "...",
                )
            )
        letter = self.sudo()._lock_for_decision()
        letter._check_forward_address(normalized)
        colleague = letter._get_client_contact(name, normalized)
        former = letter.partner_id
        letter.write({"partner_id": colleague.id})
        letter._do_subscribe_conversation()
        letter.message_post(
            body=self.env._(
                "%(former)s forwarded the letter to %(colleague)s (%(email)s), its "
                "approver now, who received the request with a link of their own.",
                former=former.name,
                colleague=colleague.name,
                email=normalized,
            ),
            author_id=former.id,
        )
        letter._send_mail("lift_client_approval.mail_template_client_request")
        return True

    def _check_forward_address(self, email):
        """Only the client decides: a letter is never forwarded to one of our
        own users, nor to its employee, nor to its approver."""
        self.ensure_one()
        internal = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search_count(
                [
                    ("share", "=", False),
                    "|",
                    ("login", "=ilike", email),
                    ("partner_id.email_normalized", "=", email),
                ],
                limit=1,
            )
        )
        employee = self.employee_id
        employee_addresses = {
            email_normalize(address)
            for address in (
                employee.work_email,
                employee.private_email,
                employee.user_id.email,
                employee.work_contact_id.email,
            )
            if address
        }
        if internal or email in employee_addresses:
            raise UserError(
                self.env._(
                    "%(email)s belongs to us, not to your company: only you, the "
                    "client, approve these hours. Forward the letter to a "
                    "colleague of yours.",
                    email=email,
                )
            )
        if email == email_normalize(self.partner_id.email or ""):
            raise UserError(
                self.env._("%(email)s is the letter's approver already.", email=email)
            )

    def _is_firm_address(self, email):
        """Whether ``email`` is on our own domain: that of the letter's
        company's e-mail address, or of the login or e-mail of one of its
        internal users (never the client's own domain, as when both use a
        public mail service). Such an address that is no user of ours (those
        are refused) may be forwarded to, and the client's page says so."""
        self.ensure_one()
        domain = email_domain(email)
        letter = self.sudo()
        if not domain or domain == email_domain(
            letter.partner_id.commercial_partner_id.email
        ):
            return False
        if domain == email_domain(letter.company_id.email):
            return True
        pattern = f"%@{domain}"  # a valid domain holds no LIKE wildcard
        return bool(
            self.env["res.users"]
            .sudo()
            .search_count(
                [
                    ("share", "=", False),
                    ("company_ids", "in", letter.company_id.ids),
                    "|",
                    ("login", "=ilike", pattern),
                    ("partner_id.email_normalized", "=like", pattern),
                ],
                limit=1,
            )
        )

    def _get_client_contact(self, name, email):
        """The contact of the client's company with this address, created
        when missing (never a contact of another company)."""
        self.ensure_one()
        company = self.partner_id.commercial_partner_id
        Partner = self.env["res.partner"].sudo()
        contact = Partner.search(
            [
                ("email_normalized", "=", email),
                ("commercial_partner_id", "=", company.id),
            ],
            limit=1,
        )
        return contact or Partner.create(
            {
                "name": name,
                "email": email,
                "parent_id": company.id,
                "type": "contact",
                "lang": self.partner_id.lang,
            }
        )

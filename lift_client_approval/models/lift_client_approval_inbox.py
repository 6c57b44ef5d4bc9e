import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import consteq
from odoo.tools.misc import hmac

INBOX_SCOPE = "lift_client_approval.inbox"
DAY = 24 * 3600
# at most one new inbox link an hour for an approver
INBOX_LINK_EVERY = 3600


class LiftClientApproval(models.Model):
    """The approver's inbox: one page, opened from any e-mail to them,
    with every letter addressed to them that awaits their answer.

    Its link is signed for its approver (the database's secret, the
    approver and the day it was made): it shows only that approver's
    letters, and stops working once they have none open or once the
    company's validity has passed. ``client_decide`` takes the link
    (``inbox_token``) as it takes a letter's own."""

    # one model, laid out in files by responsibility
    _inherit = "lift.client.approval"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _get_inbox_token(self, partner, issued=None):
        """A link's token for ``partner``'s inbox, made now (or at
        ``issued``, seconds since the epoch)."""
        issued = int(time.time() if issued is None else issued)
        message = f"{partner.id}.{issued}"
        return f"{message}.{hmac(self.env(su=True), INBOX_SCOPE, message)}"

    @api.model
    def _read_inbox_token(self, token):
        """(the partner the token was signed for, whether it was made within
        the company's validity), or (None, False) for a token that was not
        signed here. Whether letters await the partner is the caller's to
        ask: a letter's answer asks it of that letter, the page of the
        inbox of its letters. No search: an answer to 50 letters reads the
        token 50 times."""
        Partner = self.env["res.partner"].sudo()
        if not isinstance(token, str) or token.count(".") != 2:
            return None, False
        partner_id, issued, signature = token.split(".")
        if not (partner_id.isdigit() and issued.isdigit()) or len(partner_id) > 10:
            return None, False
        expected = hmac(self.env(su=True), INBOX_SCOPE, f"{partner_id}.{issued}")
        if not consteq(expected, signature):
            return None, False
        partner = Partner.browse(int(partner_id)).exists()
        if not partner:
            return None, False
        days = self.env.company.sudo().client_approval_inbox_days or 60
        fresh = time.time() - int(issued) <= days * DAY
        return partner, fresh

    @api.model
    def _get_inbox_letters(self, partner):
        """The letters that await ``partner``'s answer, in sudo, by project,
        employee and period: those addressed to them, and those of the
        approvers whose deputy they are today."""
        today = fields.Date.context_today(self)
        Partner = self.env["res.partner"].sudo()
        replaced = Partner.search(
            [
                ("client_approval_deputy_id", "=", partner.id),
                *Partner._get_client_approval_deputy_domain(today),
            ]
        )
        return self.sudo().search(
            [("partner_id", "in", (partner | replaced).ids), ("state", "=", "sent")],
            order="project_id, employee_id, date_start, id",
        )

    @api.model
    def _get_inbox_url(self, partner):
        """The link to ``partner``'s inbox, for an e-mail to them only."""
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        token = self._get_inbox_token(partner)
        return f"{base}/my/client-approvals/inbox?access_token={token}"

    def _check_inbox_token(self, inbox_token):
        """Whether ``inbox_token`` is a valid link to the inbox of this
        letter's approver, or of their deputy today."""
        self.ensure_one()
        return bool(self._get_inbox_answerer(inbox_token))

    def _get_inbox_answerer(self, inbox_token):
        """Who answers this letter by ``inbox_token``: its approver, or the
        approver's deputy today; else an empty recordset."""
        self.ensure_one()
        partner, valid = self._read_inbox_token(inbox_token)
        approver = self.sudo().partner_id
        if not valid or not approver:
            return self.env["res.partner"]
        if partner == approver or partner == approver._get_client_approval_deputy():
            return partner
        return self.env["res.partner"]

    @api.model
    def _send_inbox_link(self, partner):
        """E-mail ``partner`` a new link to their inbox, to the address on
        file, when letters await them: at most one an hour for an address,
        whatever is posted and to whichever of its contacts (the time is
        kept on the contact, ``client_approval_inbox_link_sent_on``; of two
        requests at once, both write its row: the later one fails, and is
        retried once the first is committed, which it then sees)."""
        partner = partner.sudo()
        if not partner.email_normalized:
            return False
        now = fields.Datetime.now()
        recent = partner.search_count(
            [
                ("email_normalized", "=", partner.email_normalized),
                (
                    "client_approval_inbox_link_sent_on",
                    ">",
                    now - timedelta(seconds=INBOX_LINK_EVERY),
                ),
            ],
            limit=1,
        )
        if recent:
            return False
        letters = self._get_inbox_letters(partner)
        if not letters:
            return False
        partner.write({"client_approval_inbox_link_sent_on": now})
        env = self.with_context(lang=letters[0]._get_approver_lang()).env
        body = env["ir.qweb"]._render(
            "lift_client_approval.mail_inbox_link_body",
            {
                "partner": partner,
                "letters": letters,
                "inbox_url": self._get_inbox_url(partner),
            },
        )
        company = letters[0].company_id
        self.env["mail.mail"].sudo().create(
            {
                "subject": env._(
                    "%(company)s: your link to the hours awaiting your approval",
                    company=company.name,
                ),
                "body_html": body,
                "email_from": letters[0]._get_client_mail_from(),
                "recipient_ids": [fields.Command.set(partner.ids)],
                "auto_delete": True,
            }
        )
        return True

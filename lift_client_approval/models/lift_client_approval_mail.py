from odoo import api, models
from odoo.http import request

# The e-mails to the client: their link is the notification's button.
CLIENT_TEMPLATES = {
    "lift_client_approval.mail_template_client_request",
    "lift_client_approval.mail_template_client_reminder",
    "lift_client_approval.mail_template_auto_warning",
    "lift_client_approval.mail_template_client_confirmation",
    "lift_client_approval.mail_template_client_correction_declined",
    "lift_client_approval.mail_template_client_new_link",
}


class LiftClientApproval(models.Model):
    """The letter's e-mails: the request to the client (at once, or in the
    daily digest), the confirmation job, who follows the discussion, and the
    notifications' button."""

    # one model, laid out in files by responsibility
    _inherit = "lift.client.approval"  # pylint: disable=consider-merging-classes-inherited

    def _do_subscribe_conversation(self):
        """The client, the employee and the internal approver follow the
        letter's discussion once it goes to the client: a question the client
        asks on the page reaches the employee and the project manager, and
        their answer reaches the client by e-mail, with the letter's link.
        Only discussions: the letter's own e-mails have a subtype of their
        own, sent to their recipients alone."""
        discussion = self.env.ref("mail.mt_comment")
        for letter in self.sudo():
            partners = (
                letter.partner_id
                | (
                    letter.employee_id.user_id.partner_id
                    or letter.employee_id.work_contact_id
                )
                | letter._get_internal_approver().partner_id
            ) - letter.message_partner_ids
            if partners:
                letter.message_subscribe(
                    partner_ids=partners.ids, subtype_ids=discussion.ids
                )

    def _get_client_mail_from(self):
        """Who the e-mails to the client come from, as the client templates
        say it: the project manager, else the company, else the user."""
        self.ensure_one()
        letter = self.sudo()
        return (
            letter.project_id.user_id.email_formatted
            or letter.company_id.email_formatted
            or self.env.user.email_formatted
        )

    def _send_client_request(self):
        """The request to the client: at once, or listed in the next daily
        digest when the company sends digests."""
        digest = self.filtered("company_id.client_approval_digest")
        digest.sudo().write({"digest_pending": True})
        (self - digest)._send_mail("lift_client_approval.mail_template_client_request")
        self._notify_deputies("request")

    def _queue_confirmation(self):
        """The client's confirmation carries the letter as a PDF, which
        wkhtmltopdf renders by asking Odoo for the styles. Rendered inside
        the client's request, many approvals at once would hold every worker
        while each waits for a free one; so a background job, started at
        once, sends it."""
        if self._mail_off():
            return
        self.sudo().write({"confirmation_pending": True})
        cron = self.env.ref(
            "lift_client_approval.ir_cron_client_approval_confirmations",
            raise_if_not_found=False,
        )
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _cron_send_confirmations(self, limit=20):
        """Send the confirmations that approvals queued, ``limit`` letters
        per run; a letter another run is sending is left to it."""
        letters = self.sudo().search(
            [("confirmation_pending", "=", True)], order="id", limit=limit
        )
        letters = letters._lock_skip_locked().filtered("confirmation_pending")
        letters._send_mail("lift_client_approval.mail_template_client_confirmation")
        letters.write({"confirmation_pending": False})
        if len(letters) == limit:
            self.env.ref(
                "lift_client_approval.ir_cron_client_approval_confirmations"
            ).sudo()._trigger()

    def _mail_off(self):
        """Whether the letters' e-mails are off: for demo data, scripts and
        tests run outside any HTTP request (``lift_client_approval_no_mail``
        in the context). Never for a request, where any RPC caller could set
        the key and keep a client from hearing of a letter."""
        return bool(
            self.env.context.get("lift_client_approval_no_mail") and not request
        )

    def _send_mail(self, template_xmlid, mass=False):
        """Post the template on each letter: the recipients get it by e-mail,
        in their language, and the chatter keeps it.

        ``mass``: as Odoo's mass mailing does, e-mail the template's
        recipients alone, with one batch of e-mails, each kept in its
        letter's history (for the reminders of the daily run)."""
        if self._mail_off():
            return
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template or not self:
            return
        # to the client, the full layout with its button: the link with the
        # token goes in the e-mail only, never in the letter's history
        layout = (
            "lift_client_approval.mail_notification_layout_client"
            if template_xmlid in CLIENT_TEMPLATES
            else "mail.mail_notification_light"
        )
        # One composer for all the letters, as Odoo's mass composer: the
        # template is rendered for every letter at once, each in its
        # recipient's language, and each letter keeps its own message.
        composer = (
            self.env["mail.compose.message"]
            .sudo()
            .with_context(
                default_composition_mode="comment",
                default_model=self._name,
                default_res_ids=self.ids,
                default_template_id=template.id,
            )
            .create(
                {
                    "composition_mode": "mass_mail" if mass else "comment",
                    "message_type": "notification",
                    # not a discussion: the letter's followers do not get
                    # copies of e-mails meant for the client or the employee
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id(
                        "lift_client_approval.mt_letter_email"
                    ),
                    "email_layout_xmlid": layout,
                    "auto_delete_keep_log": True,
                    # a batch leaves by the mail queue, as mass mailings do
                    "force_send": not mass,
                }
            )
        )
        composer._action_send_mail()

    def _notify_get_recipients_groups(self, message, model_description, msg_vals=None):
        """The client's button opens the letter with its token (added by
        portal to the e-mail, not stored in the message); its title is in
        the client's language, as the rest of what the client reads."""
        groups = super()._notify_get_recipients_groups(
            message, model_description, msg_vals=msg_vals
        )
        if not self:
            return groups
        self.ensure_one()
        env = self.with_context(lang=self._get_approver_lang()).env
        for name, _check, data in groups:
            if name in ("portal_customer", "portal") and data.get("has_button_access"):
                data.setdefault("button_access", {})["title"] = (
                    env._("Review the hours")
                    if self.state == "sent"
                    else env._("View the letter")
                )
                if name == "portal_customer" and self.state == "sent":
                    # the approver's inbox, in the e-mail only
                    data["lca_inbox_url"] = self._get_inbox_url(self.sudo().partner_id)
        return groups

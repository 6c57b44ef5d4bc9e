from odoo import models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _action_send_mail_comment(self, res_ids):
        """A reminder sent from a letter's *Remind the Client* composer
        counts as one of the letter's reminders, where it is sent."""
        messages = super()._action_send_mail_comment(res_ids)
        reminder = self.env.ref(
            "lift_client_approval.mail_template_client_reminder",
            raise_if_not_found=False,
        )
        if (
            reminder
            and self.model == "lift.client.approval"
            and self.template_id == reminder
            and messages
        ):
            self.env["lift.client.approval"].browse(
                messages.mapped("res_id")
            )._count_reminder()
        return messages

from collections import defaultdict

from odoo import api, fields, models


class LiftClientApproval(models.Model):
    """The approver's deputy, while the approver is away (the period set on
    the approver's contact): the deputy is told of new requests and
    reminders (the approver still gets them), letters that go overdue
    meanwhile are escalated to the deputy once, and the deputy answers from
    their own inbox; the answer says it was theirs."""

    # one model, laid out in files by responsibility
    _inherit = "lift.client.approval"  # pylint: disable=consider-merging-classes-inherited

    deputy_escalated_on = fields.Date(
        string="Escalated to the Deputy",
        readonly=True,
        copy=False,
        help="When the letter, overdue while its approver was away, was "
        "escalated to the approver's deputy.",
    )

    def _notify_deputies(self, kind):
        """One e-mail to each deputy standing in today for the approver of
        some of these letters, listing them with the link to the deputy's
        inbox (``kind``: "request", "reminder" or "escalation"); return the
        letters whose deputy was told."""
        if self._mail_off():
            return self.browse()
        by_deputy = defaultdict(lambda: self.browse())
        for letter in self.sudo().filtered("partner_id"):
            deputy = letter.partner_id._get_client_approval_deputy()
            if deputy.email:
                by_deputy[deputy] |= letter
        told = self.browse()
        for deputy, letters in by_deputy.items():
            lang = deputy.lang or letters[0]._get_approver_lang()
            env = self.with_context(lang=lang).env
            body = env["ir.qweb"]._render(
                "lift_client_approval.mail_deputy_body",
                {
                    "kind": kind,
                    "deputy": deputy,
                    "letters": letters.with_context(lang=lang),
                    "inbox_url": self._get_inbox_url(deputy),
                },
            )
            subjects = {
                "request": env._("As deputy: hours awaiting approval"),
                "reminder": env._("As deputy: reminder of hours awaiting approval"),
                "escalation": env._("As deputy: overdue hours awaiting approval"),
            }
            company = letters[0].company_id
            self.env["mail.mail"].sudo().create(
                {
                    "subject": f"{company.name}: {subjects[kind]}",
                    "body_html": body,
                    "email_from": letters[0]._get_client_mail_from(),
                    "recipient_ids": [fields.Command.set(deputy.ids)],
                    "auto_delete": True,
                }
            )
            for letter in letters:
                letter.message_post(
                    body=self.env._(
                        "Sent to %(deputy)s, deputy of %(approver)s while away.",
                        deputy=deputy.name,
                        approver=letter.partner_id.name,
                    )
                )
            told |= letters
        return told

    @api.model
    def _run_deputy_escalations(self, today, limit):
        """Escalate to their deputies, once, at most ``limit`` (None: all)
        letters that went overdue while their approver is away; return how
        many were and how many are left."""
        due = self.sudo().search(
            [
                ("days_overdue", ">", 0),
                ("deputy_escalated_on", "=", False),
                *self.env["res.partner"]._get_client_approval_deputy_domain(
                    today, "partner_id."
                ),
            ],
            order="id",
        )
        batch = due[:limit]._lock_skip_locked()
        batch._notify_deputies("escalation")
        batch.write({"deputy_escalated_on": today})
        return len(batch), len(due) - len(batch)

from markupsafe import Markup

from odoo import api, fields, models

DECIDED_BY = [
    ("client", "The client, by the link in the e-mail"),
    ("portal_user", "The client, logged in to the portal"),
    ("on_behalf", "A manager, on the client's behalf"),
    ("automatic", "Automatic approval"),
    # answers given before the audit trail existed (before 18.0.1.1.0), whose
    # giver the letter did not keep: recorded from the letter on update
    ("unknown", "Not recorded (answered before the audit trail)"),
]


class LiftClientApprovalDecision(models.Model):
    """One answer to a timesheet letter: who gave it, how, when, and what it
    decided. Written by ``client_decide`` alone, never changed after: the
    audit trail of the client's decisions."""

    _name = "lift.client.approval.decision"
    _description = "Client's Answer to a Timesheet Letter"
    _order = "decided_on desc, id desc"
    _rec_name = "summary"

    letter_id = fields.Many2one(
        comodel_name="lift.client.approval",
        string="Timesheet Letter",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="letter_id.company_id", store=True)
    decided_by = fields.Selection(
        selection=DECIDED_BY, string="Given By", required=True, readonly=True
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="User",
        readonly=True,
        help="The portal user who answered, or the manager who recorded the "
        "client's answer. Empty for an answer by the e-mail's link and for "
        "automatic approval.",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Client Approver",
        readonly=True,
        help="The contact the letter was addressed to when it was answered.",
    )
    signer_name = fields.Char(string="Signed By", readonly=True)
    note = fields.Text(
        string="How the Client Answered",
        readonly=True,
        help="Given by the manager who recorded the answer on the client's behalf.",
    )
    client_reference = fields.Char(readonly=True)
    deputy_id = fields.Many2one(
        comodel_name="res.partner",
        string="Deputy",
        readonly=True,
        help="The approver's deputy who gave this answer, the approver being away.",
    )
    via_inbox = fields.Boolean(
        string="From the Inbox",
        readonly=True,
        help="Given on the approver's inbox, the page with every letter "
        "awaiting them, in one answer for several letters.",
    )
    decided_on = fields.Datetime(string="Date", required=True, readonly=True)
    round = fields.Integer(
        readonly=True, help="Which submission to the client this answer is for."
    )
    approved_count = fields.Integer(string="Lines Approved", readonly=True)
    rejected_count = fields.Integer(string="Lines Rejected", readonly=True)
    corrected_count = fields.Integer(string="Lines Corrected", readonly=True)
    correction_ids = fields.One2many(
        comodel_name="lift.client.approval.correction",
        inverse_name="decision_id",
        string="Corrections",
        readonly=True,
        help="The hours the client accepted instead of those logged, line by "
        "line, and our answer to each.",
    )
    summary = fields.Char(compute="_compute_summary")

    @api.depends(
        "decided_by",
        "deputy_id",
        "user_id",
        "signer_name",
        "approved_count",
        "rejected_count",
        "corrected_count",
    )
    @api.depends_context("lang")
    def _compute_summary(self):
        labels = dict(self._fields["decided_by"]._description_selection(self.env))
        for decision in self:
            who = decision.signer_name or decision.user_id.name
            if decision.deputy_id:
                who = self.env._(
                    "%(who)s, deputy of %(approver)s",
                    who=who or decision.deputy_id.name,
                    approver=decision.partner_id.name,
                )
            who = f" ({who})" if who else ""
            decision.summary = self.env._(
                "%(how)s%(who)s: %(approved)s approved, %(rejected)s rejected",
                how=labels.get(decision.decided_by, ""),
                who=who,
                approved=decision.approved_count,
                rejected=decision.rejected_count,
            )
            if decision.corrected_count:
                decision.summary += self.env._(
                    ", %(corrected)s corrected", corrected=decision.corrected_count
                )

    def _get_history_note(self):
        """What the letter's history says of this answer."""
        self.ensure_one()
        parts = [
            self.env._(
                "Answer recorded: %(approved)s line(s) approved, %(rejected)s "
                "rejected.",
                approved=self.approved_count,
                rejected=self.rejected_count,
            ),
        ]
        parts += [
            self.env._(
                "Corrected: %(correction)s. Why: %(comment)s",
                correction=correction.summary,
                comment=correction.comment,
            )
            for correction in self.correction_ids.sorted("id")
        ]
        parts += [
            self.env._(
                "Given by: %(how)s.",
                how=dict(self._fields["decided_by"]._description_selection(self.env))[
                    self.decided_by
                ],
            ),
        ]
        if self.via_inbox:
            parts.append(
                self.env._("From the inbox: one answer for every letter on it.")
            )
        if self.user_id:
            parts.append(self.env._("User: %(user)s.", user=self.user_id.name))
        if self.signer_name:
            parts.append(self.env._("Signed by: %(name)s.", name=self.signer_name))
        if self.deputy_id:
            parts.append(
                self.env._(
                    "Answered by %(deputy)s, deputy of %(approver)s.",
                    deputy=self.deputy_id.name,
                    approver=self.partner_id.name,
                )
            )
        if self.note:
            parts.append(
                self.env._("How the client answered: %(note)s", note=self.note)
            )
        if self.client_reference:
            parts.append(
                self.env._("Client's reference: %(ref)s", ref=self.client_reference)
            )
        return Markup("<br/>").join(parts)

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .rules import OPEN_STATES, UNDER_REVIEW_STATES, is_manager


class LiftClientApproval(models.Model):
    """The letter's course: who may take which action, and what each does.

    Each ``action_*`` checks in the model that the current user may take it
    (``_check_can``) and only then works in sudo (``_do_*``): hiding a
    button is no guard. The client's portal users take none of these; they
    answer with ``client_decide``."""

    # one model, laid out in files by responsibility
    _inherit = "lift.client.approval"  # pylint: disable=consider-merging-classes-inherited

    can_submit = fields.Boolean(compute="_compute_can_actions")
    can_send = fields.Boolean(compute="_compute_can_actions")
    can_approve_internal = fields.Boolean(compute="_compute_can_actions")
    cannot_approve_internal_reason = fields.Char(compute="_compute_can_actions")
    can_reset_to_draft = fields.Boolean(compute="_compute_can_actions")
    can_cancel = fields.Boolean(compute="_compute_can_actions")
    can_remind = fields.Boolean(compute="_compute_can_actions")
    can_record_on_behalf = fields.Boolean(compute="_compute_can_actions")
    can_answer_correction = fields.Boolean(compute="_compute_can_actions")
    can_renew_link = fields.Boolean(compute="_compute_can_actions")
    can_view_timesheets = fields.Boolean(compute="_compute_can_actions")

    @api.depends_context("uid")
    @api.depends("state", "employee_id.user_id", "first_sent_date")
    def _compute_can_actions(self):
        # the actions that have a button (an addon's action may have none)
        actions = [
            action for action in self._get_action_rules() if f"can_{action}" in self
        ]
        for letter in self:
            for action in actions:
                letter[f"can_{action}"] = not letter._get_refusal(action)
            refusal = letter._get_refusal("approve_internal")
            letter.cannot_approve_internal_reason = refusal and refusal[1]

    # ------------------------------------------------------------------
    # Guards: who may take an action, in which state
    # ------------------------------------------------------------------

    @api.model
    def _get_action_rules(self):
        """Who may take each of the letter's actions, and in which states,
        as {action: rule}. The actions' guards and the buttons' visibility
        (the ``can_*`` fields) both read it, so that the form and the model
        cannot disagree; an addon adds or narrows an action with
        ``super()``.

        - states: where the action may be taken;
        - who: "manager" (client approval managers), "employee" (the
          letter's employee, or a manager);
        - not_own: never on one's own letter (``_is_own_letter``);
        - own_states: where the letter's employee may take it too (taking
          it back);
        - went_to_client: only on a letter that went to its client
          (``_went_to_client``)."""
        return {
            "submit": {"states": ("draft", "rejected"), "who": "employee"},
            # past internal approval: a manager submits her own letter as
            # any employee does
            "send": {
                "states": ("draft", "rejected"),
                "who": "manager",
                "not_own": True,
            },
            "approve_internal": {
                "states": ("submitted",),
                "who": "manager",
                "not_own": True,
            },
            "reset_to_draft": {
                "states": ("submitted", "sent", "corrected", "rejected", "cancel"),
                "who": "manager",
                "own_states": UNDER_REVIEW_STATES,
            },
            "cancel": {"states": OPEN_STATES, "who": "manager"},
            "remind": {"states": ("sent",), "who": "manager"},
            "record_on_behalf": {
                "states": ("sent",),
                "who": "manager",
                "not_own": True,
            },
            # a new link for the approver, the former one stopping at once
            "renew_link": {
                "states": ("sent", "corrected", "approved", "rejected"),
                "who": "manager",
                "went_to_client": True,
            },
            # accept or decline the client's corrections: the letter's
            # employee (accepting bills less; declining asks the client
            # again) or a manager
            "answer_correction": {
                "states": ("sent", "corrected", "rejected"),
                "who": "employee",
            },
            "view_timesheets": {
                "states": OPEN_STATES + ("approved", "cancel"),
                "who": "employee",
            },
        }

    def _get_refusal(self, action):
        """Why the current user may not take ``action`` (a key of
        ``_get_action_rules``) on this letter, as (error class, message), or
        None."""
        self.ensure_one()
        rule = self._get_action_rules()[action]
        user = self.env.user
        letter = self.sudo()
        own = self._is_own_letter()
        if not self.env.su:
            if user.share:
                return AccessError, self.env._(
                    "Only the firm works on timesheet letter %(letter)s: as its "
                    "client, you answer it on its page.",
                    letter=letter.display_name,
                )
            manager = is_manager(self.env)
            if not manager and not (
                (rule["who"] == "employee" and own)
                or (own and letter.state in rule.get("own_states", ()))
            ):
                return AccessError, self._get_who_message(action)
            if own and rule.get("not_own"):
                return AccessError, self._get_own_message(action)
        if letter.state not in rule["states"] or (
            rule.get("went_to_client") and not letter._went_to_client()
        ):
            return UserError, self._get_state_message(action)
        return None

    def _get_who_message(self, action):
        name = self.sudo().display_name
        messages = {
            "submit": self.env._(
                "Only the letter's employee or a client approval manager can "
                "submit timesheet letter %(letter)s.",
                letter=name,
            ),
            "send": self.env._(
                "Only client approval managers can send a timesheet letter to "
                "the client directly (%(letter)s); employees submit it.",
                letter=name,
            ),
            "approve_internal": self.env._(
                "Only client approval managers can approve timesheet letters "
                "(%(letter)s).",
                letter=name,
            ),
            "reset_to_draft": self.env._(
                "Only client approval managers can reset timesheet letter "
                "%(letter)s to draft; its employee can take it back while it "
                "awaits approval.",
                letter=name,
            ),
            "cancel": self.env._(
                "Only client approval managers can cancel timesheet letters "
                "(%(letter)s).",
                letter=name,
            ),
            "remind": self.env._(
                "Only client approval managers can remind a client (%(letter)s).",
                letter=name,
            ),
            "record_on_behalf": self.env._(
                "Only client approval managers can record a client's answer "
                "(%(letter)s).",
                letter=name,
            ),
            "view_timesheets": self.env._(
                "Only the letter's employee or a client approval manager can "
                "open the timesheets of %(letter)s.",
                letter=name,
            ),
            "answer_correction": self.env._(
                "Only the letter's employee or a client approval manager can "
                "accept or decline the client's corrections of %(letter)s.",
                letter=name,
            ),
            "renew_link": self.env._(
                "Only client approval managers can renew the client's link to "
                "%(letter)s.",
                letter=name,
            ),
        }
        return messages[action]

    def _get_own_message(self, action):
        """Why a manager may not take ``action`` on her own letter."""
        name = self.sudo().display_name
        if action == "send":
            return self.env._(
                "Submit your own timesheet letter %(letter)s as any employee "
                "does: only another manager sends it past internal approval.",
                letter=name,
            )
        return self.env._(
            "You cannot approve your own timesheet letter %(letter)s: ask "
            "another manager.",
            letter=name,
        )

    def _get_state_message(self, action):
        letter = self.sudo()
        name = letter.display_name
        messages = {
            "submit": self.env._(
                "Only draft or rejected timesheet letters can be submitted."
            ),
            "send": self.env._(
                "Only draft or rejected timesheet letters can be sent; a letter "
                "that already went to the client is reminded instead."
            ),
            "approve_internal": self.env._(
                "%(letter)s is not awaiting internal approval.",
                letter=name,
            ),
            "reset_to_draft": self.env._(
                "Only submitted, sent, corrected, rejected or cancelled letters "
                "can be reset to draft."
            ),
            "cancel": self.env._(
                "Approved or already cancelled letters cannot be cancelled."
            ),
            "remind": self.env._("Only letters awaiting the client can be reminded."),
            "record_on_behalf": self.env._(
                "%(letter)s is not awaiting the client's answer.",
                letter=name,
            ),
            "view_timesheets": "",
            "answer_correction": self.env._(
                "%(letter)s holds no correction of the client to answer.",
                letter=name,
            ),
            "renew_link": self.env._(
                "%(letter)s has not gone to the client yet: it has no link to renew.",
                letter=name,
            ),
        }
        return self.env._(
            "%(message)s\n- %(letter)s: %(state)s",
            message=messages[action],
            letter=name,
            state=letter._get_state_label(),
        )

    def _check_can(self, action):
        """Raise the first refusal of ``action`` among these letters:
        who may take it first, then in which state."""
        refusals = [letter._get_refusal(action) for letter in self]
        refusals = [refusal for refusal in refusals if refusal]
        refusals.sort(key=lambda refusal: refusal[0] is not AccessError)
        if refusals:
            error, message = refusals[0]
            raise error(message)

    def _check_submittable(self):
        """What a letter must hold to go to the client: lines, an approver
        with an e-mail address, and something the client has not decided."""
        for letter in self:
            if not (letter.timesheet_ids or letter.expense_ids):
                raise UserError(
                    self.env._(
                        "Timesheet letter %(letter)s is empty: log hours or "
                        "expenses in its period before submitting it.",
                        letter=letter.display_name,
                    )
                )
            letter._check_has_approver()
        undecided = self._get_undecided_lines()
        empty = self.filtered(
            lambda letter: not any(
                letter in lines.client_approval_id for lines in undecided
            )
        )
        if empty:
            raise UserError(
                self.env._(
                    "Nothing new to submit in %(letters)s: every line has "
                    "already been decided by the client.",
                    letters=", ".join(empty.mapped("display_name")),
                )
            )

    def _check_has_approver(self):
        for letter in self:
            if not letter.partner_id:
                raise UserError(
                    self.env._(
                        "Nobody can approve %(letter)s: project %(project)s has "
                        "no customer and no client approver. Set one on the "
                        "project's Client Approval tab.",
                        letter=letter.display_name,
                        project=letter.project_id.display_name,
                    )
                )
            if not letter.partner_id.email:
                raise UserError(
                    self.env._(
                        "The client approver %(partner)s of %(letter)s has no "
                        "e-mail address.",
                        partner=letter.partner_id.display_name,
                        letter=letter.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_submit(self):
        self._check_can("submit")
        self.sudo()._check_submittable()
        self._do_submit()
        return True

    def action_approve_internal(self):
        self._check_can("approve_internal")
        self._do_send()
        return True

    def action_refuse_internal(self):
        self._check_can("approve_internal")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refuse Timesheet Letter"),
            "res_model": "lift.client.approval.refuse.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_letter_ids": self.ids},
        }

    def action_send(self):
        self._check_can("send")
        self._check_submittable()
        self._do_send()
        return True

    def action_reset_to_draft(self):
        self._check_can("reset_to_draft")
        self._do_reset_to_draft()
        return True

    def action_cancel(self):
        self._check_can("cancel")
        self._do_cancel()
        return True

    def action_view_timesheets(self):
        self.ensure_one()
        self._check_can("view_timesheets")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hr_timesheet.timesheet_action_all"
        )
        action.update(
            domain=[("client_approval_id", "=", self.id)],
            context={"create": False},
        )
        return action

    # ------------------------------------------------------------------
    # Side effects, after the guards
    # ------------------------------------------------------------------

    def _assign_reference(self):
        """A letter gets its reference when it is first submitted, as an
        invoice does when posted: drafts are made as hours are logged, and
        numbering them then would cost a sequence call each."""
        for letter in self.sudo().filtered(lambda x: x.name in (False, "/")):
            letter.name = self.env["ir.sequence"].next_by_code(
                "lift.client.approval"
            ) or self.env._("New")

    def _do_submit(self):
        self._assign_reference()
        for lines in self.sudo()._get_undecided_lines():
            lines.write({"client_approval_state": "pending"})
        by_trigger = self.filtered(
            lambda letter: letter.company_id.client_approval_trigger
            == "internal_approval"
        )
        if by_trigger:
            by_trigger.sudo().write({"state": "submitted"})
            by_trigger._do_schedule_internal_approval()
        (self - by_trigger)._do_send()

    def _do_schedule_internal_approval(self):
        for letter in self:
            manager = letter._get_internal_approver()
            letter.sudo().activity_schedule(
                "lift_client_approval.mail_activity_internal_approval",
                user_id=manager.id or self.env.uid,
                note=self.env._(
                    "Approve %(employee)s's hours of %(period)s before they go to "
                    "the client.",
                    employee=letter.employee_id.name,
                    period=letter.period_label,
                ),
            )

    def _get_internal_approver(self):
        """Who approves internally: the project manager, else the employee's
        manager."""
        self.ensure_one()
        return (
            self.project_id.user_id
            or self.employee_id.parent_id.user_id
            or self.env["res.users"]
        )

    def _do_send(self):
        self._assign_reference()
        today = fields.Date.context_today(self)
        for letter in self.sudo():
            letter.write(
                {
                    "state": "sent",
                    "sent_date": fields.Datetime.now(),
                    "deadline": today
                    + timedelta(days=letter.project_id.client_approval_deadline_days),
                    "submission_count": letter.submission_count + 1,
                    "first_sent_date": letter.first_sent_date or fields.Datetime.now(),
                }
            )
        self._do_close_internal_activity()
        self._do_subscribe_conversation()
        self._send_client_request()

    def _do_close_internal_activity(self, feedback=False):
        self.sudo().activity_feedback(
            ["lift_client_approval.mail_activity_internal_approval"],
            feedback=feedback,
        )

    def _do_refuse_internal(self, reason):
        for letter in self:
            letter.sudo().write({"state": "draft"})
            letter.message_post(
                body=self.env._("Refused internally: %(reason)s", reason=reason),
                partner_ids=letter.employee_id.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
        self._do_close_internal_activity(feedback=reason)

    def _do_reset_to_draft(self):
        """Back to the employee. A letter can only go back to draft if no
        other draft exists for its period: that draft's lines move into this
        letter, so no line is left behind."""
        for letter in self.sudo():
            other = letter.search(
                [
                    ("id", "!=", letter.id),
                    ("state", "=", "draft"),
                    ("project_id", "=", letter.project_id.id),
                    ("employee_id", "=", letter.employee_id.id),
                    ("date_start", "=", letter.date_start),
                ]
            )
            if other:
                for lines in other._get_lines():
                    lines.write({"client_approval_id": letter.id})
                letter.message_post(
                    body=self.env._(
                        "Lines of %(other)s merged into this letter.",
                        other=other.display_name,
                    )
                )
                other.unlink()
            letter.write({"state": "draft", "deadline": False})
        self._do_close_internal_activity()

    def _do_cancel(self):
        self.sudo().write({"state": "cancel"})
        self._do_close_internal_activity()

    def _do_release(self, reason):
        """Cancel open letters and release their undecided lines, which no
        longer wait for the client (the project stopped requiring it). The
        caller checked that the user releases none of their own lines
        (``_check_not_own_lines``)."""
        for lines in self.sudo()._get_undecided_lines():
            lines.write({"client_approval_state": False})
        self._do_cancel()
        for letter in self:
            letter.message_post(body=reason)

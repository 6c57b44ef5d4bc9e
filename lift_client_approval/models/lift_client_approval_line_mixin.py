from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.misc import format_date

from .rules import (
    APPROVED_STATES,
    UNDECIDED_STATES,
    UNDER_REVIEW_STATES,
    WRITTEN_OFF_STATE,
    is_manager,
    is_own,
    msg_nothing_to_waive,
    protected_fields,
)

# The letters whose lines are locked: under review, or approved.
LOCKING_STATES = (*UNDER_REVIEW_STATES, "approved")


class LiftClientApprovalLineMixin(models.AbstractModel):
    """What a timesheet line and an expense share as lines of a timesheet
    letter: the client's decision, the letter it belongs to, the lock.

    A line on a project that requires client approval always belongs to a
    letter of its project, employee and period; it joins the open letter of
    that period (created when missing) when it is logged or moved."""

    _name = "lift.client.approval.line.mixin"
    _description = "Line of a Timesheet Letter"

    client_approval_id = fields.Many2one(
        comodel_name="lift.client.approval",
        string="Timesheet Letter",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    client_approval_state = fields.Selection(
        selection=[
            ("pending", "Pending"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("corrected", "Corrected"),
            ("waived", "Waived"),
            (WRITTEN_OFF_STATE, "Written Off"),
        ],
        string="Client Approval",
        readonly=True,
        copy=False,
        # not indexed: every search of lines by their decision goes through
        # their letter or their sale order item, which are; an index here
        # would cost every logged line an index entry, twice
        help="The client's decision on this line. Empty when its project needs "
        "no client approval. Corrected: the client accepts fewer hours and "
        "awaits our answer. Written off: the hours a correction the firm "
        "accepted took off a line, never invoiced.",
    )
    client_approval_comment = fields.Text(
        string="Client's Comment", readonly=True, copy=False
    )
    client_approval_decision_id = fields.Many2one(
        comodel_name="lift.client.approval.decision",
        string="Client's Answer",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The answer that decided this line: who gave it, how and when.",
    )
    client_approval_decided_by = fields.Selection(
        related="client_approval_decision_id.decided_by", string="Answered By"
    )
    client_approval_waive_reason = fields.Text(
        string="Invoiced Without Approval Because", readonly=True, copy=False
    )
    client_approval_waived_by_id = fields.Many2one(
        comodel_name="res.users", string="Waived By", readonly=True, copy=False
    )
    client_approval_waived_on = fields.Datetime(
        string="Waived On", readonly=True, copy=False
    )
    client_approval_locked = fields.Boolean(
        compute="_compute_client_approval_locked",
        string="Locked by Client Approval",
    )

    @api.depends("client_approval_state", "client_approval_id.state")
    def _compute_client_approval_locked(self):
        for line in self:
            line.client_approval_locked = (
                line.client_approval_state == WRITTEN_OFF_STATE
                or bool(line.client_approval_id)
                and (
                    line.client_approval_state in APPROVED_STATES
                    or line.client_approval_id.state in LOCKING_STATES
                )
            )

    # ------------------------------------------------------------------
    # Hooks the concrete models implement
    # ------------------------------------------------------------------

    def _client_approval_get_projects(self):
        """{line: the project it is logged on (empty if none)}, for the
        whole recordset at once."""
        raise NotImplementedError

    @api.model
    def _client_approval_protected_fields(self):
        """Fields that cannot change on a locked line."""
        return {"date", "employee_id"}

    @api.model
    def _client_approval_key_fields(self):
        """Fields that decide which letter a line belongs to."""
        return {"date", "employee_id"}

    @api.model
    def _client_approval_not_invoiced_domain(self):
        """The lines that are not invoiced (or otherwise final) yet: the one
        rule of "is this line invoiced?", for the switch, the lock, the
        reports and the wizards."""
        raise NotImplementedError

    @api.model
    def _client_approval_search_project(self, project):
        """The lines of ``project`` that are not invoiced yet."""
        raise NotImplementedError

    # ------------------------------------------------------------------
    # Which lines are which
    # ------------------------------------------------------------------

    def _client_approval_is_invoiced(self):
        """Whether the line is invoiced (or otherwise final): then it can
        never change."""
        self.ensure_one()
        return not self.sudo().filtered_domain(
            self._client_approval_not_invoiced_domain()
        )

    def _client_approval_filter_undecided(self):
        """Those of these lines the client has not approved: asked (again)
        when their letter is submitted, and what may be waived or released."""
        return self.filtered(
            lambda line: line.client_approval_state in UNDECIDED_STATES
        )

    def _client_approval_filter_pending(self):
        """Those of these lines awaiting the client's answer."""
        return self.filtered(lambda line: line.client_approval_state == "pending")

    # ------------------------------------------------------------------
    # Locking
    # ------------------------------------------------------------------

    def _check_client_approval_lock(self, vals=None):
        """Refuse to change (``vals``) or delete (``None``) a locked line;
        return the lines that may change but must go back to the client.

        A manager may still change a line the client approved, as long as it
        is not invoiced: the line then goes back for approval instead of
        being invoiced as approved."""
        reopen = self.browse()
        if vals is not None:
            fields_ = self._client_approval_protected_fields() & set(vals)
            if not fields_:
                return reopen
            locked = self.filtered(
                lambda line: line.client_approval_locked
                and line._client_approval_changes(vals, fields_)
            )
            if locked and is_manager(self.env):
                reopen = locked.filtered(
                    lambda line: line.client_approval_id
                    and line.client_approval_id.state not in UNDER_REVIEW_STATES
                    and not line._client_approval_is_invoiced()
                )
                locked -= reopen
        else:
            locked = self.filtered("client_approval_locked")
        written_off = locked.filtered(
            lambda line: line.client_approval_state == WRITTEN_OFF_STATE
        )
        if written_off:
            raise UserError(
                self.env._(
                    "%(line)s holds the hours the client's correction took off "
                    "another line: it stays in the timesheet as worked and is "
                    "never invoiced, and cannot be changed or deleted.",
                    line=written_off[0].display_name,
                )
            )
        if locked:
            line = locked[0]
            raise UserError(
                self.env._(
                    "%(line)s is locked: it is in timesheet letter %(letter)s, "
                    "which is %(state)s, or the client already approved it, or it "
                    "is invoiced. Ask a manager to reset the letter to draft to "
                    "change it.",
                    line=line.display_name,
                    letter=line.client_approval_id.display_name,
                    state=line.client_approval_id._get_state_label(),
                )
            )
        return reopen

    def _client_approval_reopen(self):
        """Lines changed after the client approved them go back for approval
        in the draft letter of their period: a new round for the client."""
        if not self:
            return
        for letter, lines in self.grouped("client_approval_id").items():
            letter.message_post(
                body=self.env._(
                    "%(count)s line(s) changed by %(user)s after approval: they go "
                    "back to the client for approval.",
                    count=len(lines),
                    user=self.env.user.name,
                )
            )
        self.sudo().write(
            {
                "client_approval_id": False,
                "client_approval_state": False,
                "client_approval_comment": False,
                "client_approval_decision_id": False,
            }
        )
        self._client_approval_sync()

    # ------------------------------------------------------------------
    # Invoice anyway
    # ------------------------------------------------------------------

    def client_approval_waive(self, reason):
        """Make undecided or rejected lines invoiceable without the client's
        approval; who, when and why is kept on the line and in the letter's
        history."""
        self._check_client_approval_manager()
        self._check_not_own_lines()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._("Say why these lines are invoiced without approval.")
            )
        lines = self._client_approval_filter_undecided()
        if not lines:
            raise UserError(msg_nothing_to_waive(self.env))
        lines.sudo().write(
            {
                "client_approval_state": "waived",
                "client_approval_waive_reason": reason,
                "client_approval_waived_by_id": self.env.uid,
                "client_approval_waived_on": fields.Datetime.now(),
            }
        )
        for letter, letter_lines in lines.grouped("client_approval_id").items():
            letter.message_post(
                body=self.env._(
                    "%(count)s line(s) will be invoiced without the client's "
                    "approval (%(user)s): %(reason)s",
                    count=len(letter_lines),
                    user=self.env.user.name,
                    reason=reason,
                )
            )
            letter._client_approval_tidy()
        return True

    def client_approval_unwaive(self):
        """Undo a waiver as long as nothing was invoiced."""
        self._check_client_approval_manager()
        self._check_not_own_lines()
        lines = self.filtered(lambda line: line.client_approval_state == "waived")
        invoiced = lines.filtered(lambda line: line._client_approval_is_invoiced())
        if invoiced:
            raise UserError(
                self.env._(
                    "%(line)s is invoiced already: its waiver cannot be undone.",
                    line=invoiced[0].display_name,
                )
            )
        lines.sudo().write(
            {
                "client_approval_state": "pending",
                "client_approval_waive_reason": False,
                "client_approval_waived_by_id": False,
                "client_approval_waived_on": False,
            }
        )
        for letter, letter_lines in lines.grouped("client_approval_id").items():
            if letter.state == "approved":
                letter.sudo().write({"state": "draft"})
            letter.message_post(
                body=self.env._(
                    "Waiver undone by %(user)s for %(count)s line(s): they need "
                    "the client's approval again.",
                    user=self.env.user.name,
                    count=len(letter_lines),
                )
            )
        return True

    def _check_not_own_lines(self):
        """Nobody makes their own hours invoiceable without the client: not
        by waiving them, nor by releasing them (a project switched off), nor
        by undoing a waiver on them. The addon's own code (sudo) is not a
        person and passes."""
        own = self.filtered(lambda line: is_own(self.env, line.sudo().employee_id))
        if own:
            raise AccessError(
                self.env._(
                    "You cannot invoice your own hours or expenses without the "
                    "client's approval: ask another manager.\n%(lines)s",
                    lines="\n".join(
                        f"- {format_date(self.env, line.date)}: {line.sudo().name}"
                        for line in own.sudo()[:10]
                    ),
                )
            )

    @api.model
    def _client_approval_decision_fields(self):
        """The client's decision on a line and what records it, as {field:
        what sets it}: written by the addon's own methods only (in sudo,
        after their checks), never by a plain write or create (RPC, import,
        the UI). An addon that adds such a field extends this."""
        answer = "the client's answer (client_decide)"
        waiver = "Invoice Anyway (client_approval_waive)"
        return {
            "client_approval_id": "the line's date, employee and project",
            **dict.fromkeys(
                ("client_approval_state", "client_approval_comment"), answer
            ),
            **dict.fromkeys(
                ("client_approval_decision_id", "client_approval_correction_id"),
                answer,
            ),
            **dict.fromkeys(
                ("client_approval_waive_reason", "client_approval_waived_by_id"),
                waiver,
            ),
            "client_approval_waived_on": waiver,
        }

    @api.model
    def _check_decision_fields(self, field_names):
        """Refuse a plain write of the client's decision and what records it
        (``_client_approval_decision_fields``): the addon's own methods set
        it, in sudo, after their checks."""
        found = not self.env.su and protected_fields(
            self, field_names, self._client_approval_decision_fields()
        )
        if found:
            raise UserError(
                self.env._(
                    "%(fields)s cannot be written directly: %(how)s set(s) it.",
                    fields=found[0],
                    how=found[1],
                )
            )

    def _check_client_approval_manager(self):
        if not is_manager(self.env):
            raise AccessError(
                self.env._("Only client approval managers can waive client approval.")
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_client_approval_locked(self):
        self._check_client_approval_lock()

    def _client_approval_changes(self, vals, field_names):
        """Whether writing ``vals`` changes one of ``field_names``."""
        self.ensure_one()
        for name in field_names:
            field = self._fields[name]
            new = field.convert_to_record(
                field.convert_to_cache(vals[name], self), self
            )
            if new != self[name]:
                return True
        return False

    # ------------------------------------------------------------------
    # Joining letters
    # ------------------------------------------------------------------

    def _client_approval_sync(self):
        """Attach each line to the open letter of its project, employee and
        period, or detach it when its project needs no approval any more.

        Works by batch: one search for the existing drafts, one create for the
        missing ones, one write per letter."""
        if not self:
            return
        Letter = self.env["lift.client.approval"].sudo()
        lines_sudo = self.sudo()
        to_attach = defaultdict(lambda: lines_sudo.browse())
        to_detach = lines_sudo.browse()
        projects = {}
        companies = {}
        line_projects = lines_sudo._client_approval_get_projects()
        for line in lines_sudo:
            project = line_projects[line]
            projects[project.id] = project
            letter = line.client_approval_id
            if not project.client_approval_required:
                if letter and letter.state == "draft":
                    to_detach |= line
                continue
            if line.client_approval_state == WRITTEN_OFF_STATE:
                # the hours a correction took off: in no letter, ever
                continue
            if not line.employee_id:
                raise ValidationError(
                    self.env._(
                        "%(line)s is logged on project %(project)s, which "
                        "requires client approval, but has no employee: a "
                        "timesheet letter is per employee.",
                        line=line.display_name,
                        project=project.display_name,
                    )
                )
            if not line.date:
                raise ValidationError(
                    self.env._("%(line)s has no date.", line=line.display_name)
                )
            start, _end = Letter._get_period(line.date, project.client_approval_period)
            key = (project.id, line.employee_id.id, start)
            if (
                letter
                and letter.state in ("draft", "rejected")
                and key
                == (
                    letter.project_id.id,
                    letter.employee_id.id,
                    letter.date_start,
                )
            ):
                continue
            to_attach[key] |= line
            companies[key] = project.company_id or line.company_id
        old_letters = (
            to_detach | lines_sudo.browse().concat(*to_attach.values())
        ).client_approval_id
        if to_detach:
            to_detach.write(
                {
                    "client_approval_id": False,
                    "client_approval_state": False,
                    "client_approval_comment": False,
                }
            )
        if to_attach:
            letters = self._client_approval_get_drafts(to_attach, projects, companies)
            for key, lines in to_attach.items():
                lines.write(
                    {
                        "client_approval_id": letters[key].id,
                        "client_approval_state": "pending",
                        "client_approval_comment": False,
                    }
                )
        old_letters._client_approval_tidy()

    def _client_approval_get_drafts(self, keys, projects, companies):
        """The draft letter of each (project, employee, period start) key,
        created when missing."""
        Letter = self.env["lift.client.approval"].sudo()
        project_ids = {key[0] for key in keys}
        employee_ids = {key[1] for key in keys}
        starts = {key[2] for key in keys}
        # the hot path of logging hours: one plain query finds the drafts
        # (the ORM's search costs more than the query itself)
        Letter.flush_model(["state", "project_id", "employee_id", "date_start"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id, project_id, employee_id, date_start
                  FROM lift_client_approval
                 WHERE state = 'draft'
                   AND project_id = ANY(%s)
                   AND employee_id = ANY(%s)
                   AND date_start = ANY(%s)
                """,
                list(project_ids),
                list(employee_ids),
                list(starts),
            )
        )
        letters = {
            (project_id, employee_id, start): Letter.browse(letter_id)
            for letter_id, project_id, employee_id, start in self.env.cr.fetchall()
        }
        missing = [key for key in keys if key not in letters]
        vals_list = []
        users = {
            employee.id: employee.user_id.id
            for employee in self.env["hr.employee"]
            .sudo()
            .browse({key[1] for key in missing})
        }
        for project_id, employee_id, start in missing:
            project = projects[project_id]
            _start, end = Letter._get_period(start, project.client_approval_period)
            vals_list.append(
                {
                    "project_id": project_id,
                    "employee_id": employee_id,
                    "company_id": companies[(project_id, employee_id, start)].id,
                    "partner_id": project.client_approval_partner_id.id,
                    "period": project.client_approval_period,
                    "date_start": start,
                    "date_end": end,
                    # known already: inserted with the letter, not written
                    # again after it (a new letter holds nothing yet)
                    "user_id": users[employee_id],
                    "total_expense": 0.0,
                }
            )
        # made by the system as hours come in: no "created" note, nobody
        # follows it for having logged its first line, and nothing of its
        # creation is tracked (its history starts when it is submitted)
        created = Letter.with_context(tracking_disable=True).create(vals_list)
        for key, letter in zip(missing, created, strict=True):
            letters[key] = letter
        return letters

    def _client_approval_write(self, vals, write):
        """``write`` (the model's own) wrapped in the lock and the letters'
        upkeep; the concrete models' ``write`` calls this."""
        self._check_decision_fields(set(vals))
        reopen = self._check_client_approval_lock(vals)
        leaving = self.browse()
        if vals.get("client_approval_state", "corrected") != "corrected":
            leaving = self.filtered(
                lambda line: line.client_approval_state == "corrected"
            )
        res = write(vals)
        leaving._client_approval_withdraw_corrections()
        reopen._client_approval_reopen()
        self._client_approval_after_write(vals)
        return res

    def _client_approval_withdraw_corrections(self):
        """These lines left the "corrected" state by another way than the
        firm's answer (submitted again, waived, released): the client's
        proposals on them are withdrawn. Only timesheets are corrected."""
        return None

    def _client_approval_unlink(self, unlink):
        letters = self.client_approval_id
        res = unlink()
        self._client_approval_after_unlink(letters)
        return res

    def _client_approval_after_write(self, vals):
        if self._client_approval_key_fields() & set(vals):
            self._client_approval_sync()

    @api.model
    def _client_approval_after_unlink(self, letters):
        letters.exists()._client_approval_tidy()

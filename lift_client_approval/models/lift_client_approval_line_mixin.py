from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

LOCKING_STATES = ("submitted", "sent", "approved")


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
            ("waived", "Waived"),
        ],
        string="Client Approval",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The client's decision on this line. Empty when its project needs "
        "no client approval.",
    )
    client_approval_comment = fields.Text(
        string="Client's Comment", readonly=True, copy=False
    )
    client_approval_locked = fields.Boolean(
        compute="_compute_client_approval_locked",
        string="Locked by Client Approval",
    )

    @api.depends("client_approval_state", "client_approval_id.state")
    def _compute_client_approval_locked(self):
        for line in self:
            line.client_approval_locked = bool(line.client_approval_id) and (
                line.client_approval_state in ("approved", "waived")
                or line.client_approval_id.state in LOCKING_STATES
            )

    # ------------------------------------------------------------------
    # Hooks the concrete models implement
    # ------------------------------------------------------------------

    def _client_approval_get_project(self):
        """The project this line is logged on (empty if none)."""
        raise NotImplementedError

    @api.model
    def _client_approval_protected_fields(self):
        """Fields that cannot change on a locked line."""
        return {"date", "employee_id"}

    @api.model
    def _client_approval_key_fields(self):
        """Fields that decide which letter a line belongs to."""
        return {"date", "employee_id"}

    # ------------------------------------------------------------------
    # Locking
    # ------------------------------------------------------------------

    def _check_client_approval_lock(self, vals=None):
        """Refuse to change (``vals``) or delete (``None``) a locked line.

        ``lift_client_approval_unlock`` in the context lets trusted code
        through."""
        if self.env.context.get("lift_client_approval_unlock"):
            return
        if vals is not None:
            fields_ = self._client_approval_protected_fields() & set(vals)
            if not fields_:
                return
            locked = self.filtered(
                lambda line: line.client_approval_locked
                and line._client_approval_changes(vals, fields_)
            )
        else:
            locked = self.filtered("client_approval_locked")
        if locked:
            line = locked[0]
            raise UserError(
                self.env._(
                    "%(line)s is locked: it is in timesheet letter %(letter)s, "
                    "which is %(state)s, or the client already approved it. "
                    "Ask a manager to reset the letter to draft to change it.",
                    line=line.display_name,
                    letter=line.client_approval_id.display_name,
                    state=line.client_approval_id._get_state_label(),
                )
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
        lines_sudo = self.sudo().with_context(lift_client_approval_sync=False)
        to_attach = defaultdict(lambda: lines_sudo.browse())
        to_detach = lines_sudo.browse()
        projects = {}
        companies = {}
        for line in lines_sudo:
            project = line._client_approval_get_project()
            projects[project.id] = project
            letter = line.client_approval_id
            if not project.client_approval_required:
                if letter and letter.state == "draft":
                    to_detach |= line
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
        existing = Letter.search(
            [
                ("state", "=", "draft"),
                ("project_id", "in", list(project_ids)),
                ("employee_id", "in", list(employee_ids)),
                ("date_start", "in", list(starts)),
            ]
        )
        letters = {
            (letter.project_id.id, letter.employee_id.id, letter.date_start): letter
            for letter in existing
        }
        missing = [key for key in keys if key not in letters]
        vals_list = []
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
                }
            )
        for key, letter in zip(missing, Letter.create(vals_list), strict=True):
            letters[key] = letter
        return letters

    def _client_approval_after_write(self, vals):
        if self.env.context.get(
            "lift_client_approval_sync", True
        ) and self._client_approval_key_fields() & set(vals):
            self._client_approval_sync()

    @api.model
    def _client_approval_after_unlink(self, letters):
        letters.exists()._client_approval_tidy()

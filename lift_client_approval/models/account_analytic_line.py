from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from .. import compat
from .rules import INVOICEABLE_STATES, WRITTEN_OFF_STATE


class AccountAnalyticLine(models.Model):
    _name = "account.analytic.line"
    _inherit = ["account.analytic.line", "lift.client.approval.line.mixin"]

    client_approval_correction_id = fields.Many2one(
        comodel_name="lift.client.approval.correction",
        string="Client's Correction",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The client's last correction of this line: the hours they "
        "accept instead of those logged, and our answer. On a line written "
        "off, the correction that took its hours off another line.",
    )
    client_approval_hours_agreed = fields.Float(
        related="client_approval_correction_id.hours_agreed",
        string="Hours Accepted by the Client",
    )
    client_approval_written_off_from_id = fields.Many2one(
        related="client_approval_correction_id.line_id",
        string="Written Off From",
    )

    def _client_approval_get_projects(self):
        return {line: line.project_id for line in self}

    @api.model
    def _client_approval_protected_fields(self):
        return super()._client_approval_protected_fields() | {
            "unit_amount",
            "project_id",
            "task_id",
            "name",
        }

    @api.model
    def _client_approval_key_fields(self):
        return super()._client_approval_key_fields() | {"project_id", "task_id"}

    @api.model
    def _client_approval_not_invoiced_domain(self):
        """Timesheets on no invoice, or on a cancelled one: as for
        ``sale_timesheet``, a cancelled invoice's hours are to invoice
        again."""
        return [
            "|",
            ("timesheet_invoice_id", "=", False),
            ("timesheet_invoice_id.state", "=", "cancel"),
        ]

    @api.model
    def _client_approval_search_project(self, project):
        return self.search(
            compat.AND(
                [
                    [("project_id", "=", project.id)],
                    self._client_approval_not_invoiced_domain(),
                ]
            )
        )

    @api.model
    def _client_approval_invoiceable_domain(self):
        """Analytic lines that may be delivered and invoiced: timesheets the
        client approved (or that were waived, or need no approval), and
        expense lines whose expense is in the same case."""
        return [
            ("client_approval_state", "in", INVOICEABLE_STATES),
            "|",
            ("move_line_id", "=", False),
            "|",
            ("move_line_id.expense_id", "=", False),
            (
                "move_line_id.expense_id.client_approval_state",
                "in",
                INVOICEABLE_STATES,
            ),
        ]

    @api.model_create_multi
    def create(self, vals_list):
        # one check for the whole batch, not one per line
        self._check_decision_fields(set().union(*vals_list))
        placed = self._client_approval_prepare_vals(vals_list)
        lines = super().create(vals_list)
        # the lines inserted with their letter are in place, unless their
        # project, employee or date changed on the way (another module's
        # create): those, and every other line, join their letter now
        in_place = lines.browse(
            line.id
            for line, vals in zip(lines, vals_list, strict=True)
            if id(vals) in placed
            and placed[id(vals)] == (line.project_id.id, line.employee_id.id, line.date)
        )
        (lines - in_place).filtered("project_id")._client_approval_sync()
        return lines

    @api.model
    def _client_approval_prepare_vals(self, vals_list):
        """Give the lines whose project, employee and date are known their
        letter at once, so that they are inserted with it rather than written
        again after. Return {id(vals): (project id, employee id, date)} of
        the values given a letter: ``create`` checks that the lines kept that
        key and lets ``_client_approval_sync`` handle every other line."""
        Letter = self.env["lift.client.approval"]
        candidates = [
            vals
            for vals in vals_list
            if vals.get("project_id")
            and vals.get("employee_id")
            and vals.get("date")
            and "client_approval_id" not in vals
        ]
        # read, not checked for existence: a line on a missing project is
        # refused as Odoo refuses it
        projects = (
            self.env["project.project"]
            .sudo()
            .browse({vals["project_id"] for vals in candidates})
        )
        projects = {project.id: project for project in projects}
        keyed = defaultdict(list)
        companies = {}
        for vals in candidates:
            project = projects.get(vals["project_id"])
            if not project or not project.client_approval_required:
                continue
            start, _end = Letter._get_period(
                fields.Date.to_date(vals["date"]), project.client_approval_period
            )
            key = (project.id, vals["employee_id"], start)
            keyed[key].append(vals)
            companies[key] = project.company_id or self.env.company
        if not keyed:
            return {}
        letters = self._client_approval_get_drafts(keyed, projects, companies)
        placed = {}
        for key, key_vals in keyed.items():
            for vals in key_vals:
                vals.update(
                    client_approval_id=letters[key].id,
                    client_approval_state="pending",
                )
                placed[id(vals)] = (
                    vals["project_id"],
                    vals["employee_id"],
                    fields.Date.to_date(vals["date"]),
                )
        return placed

    def write(self, vals):
        return self._client_approval_write(vals, super().write)

    # ------------------------------------------------------------------
    # The client's corrections (contract)
    # ------------------------------------------------------------------

    def client_approval_accept_correction(self):
        """Accept the client's corrections of these lines (contract): each
        is billed at the hours the client accepts; the rest stays in the
        employee's timesheet, written off, never invoiced. The letter's
        employee or a client approval manager answers."""
        for letter, lines in self._client_approval_check_correction_answer():
            letter._do_accept_corrections(lines)
        return True

    def client_approval_decline_correction(self, comment):
        """Decline the client's corrections of these lines (contract): they go
        back to the client, pending, with ``comment`` saying why, which the
        client reads."""
        letters = self._client_approval_check_correction_answer()
        Letter = self.env["lift.client.approval"]
        reply = Letter._clean_client_text(comment, "comment", self.env._("Your answer"))
        if not reply:
            raise UserError(
                self.env._(
                    "Say why you decline the client's correction: the client "
                    "reads your answer."
                )
            )
        for letter, lines in letters:
            letter._do_decline_corrections(lines, reply)
        return True

    def action_client_approval_decline_correction(self):
        """The form that asks why we decline these lines' corrections."""
        self._client_approval_check_correction_answer()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decline the Client's Corrections"),
            "res_model": "lift.client.approval.decline.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_line_ids": self.ids},
        }

    def _client_approval_check_correction_answer(self):
        """Who may answer these lines' corrections (the letter's employee or
        a client approval manager), then whether each awaits an answer;
        return them as [(letter, lines)]."""
        lines = self.sudo()
        lines.client_approval_id.with_env(self.env)._check_can("answer_correction")
        waiting = lines.filtered(
            lambda line: line.client_approval_state == "corrected"
            and line.client_approval_correction_id.state == "proposed"
        )
        if not lines or waiting != lines:
            line = (lines - waiting)[:1]
            raise UserError(
                self.env._(
                    "%(line)s has no correction of the client awaiting our answer. "
                    "Reload to see the current state.",
                    line=line.display_name or self.env._("No line"),
                )
            )
        return list(lines.grouped("client_approval_id").items())

    def _client_approval_propose_correction(self, decision, hours):
        """Keep the client's correction of this line, given in ``decision``:
        the hours they accept instead of those logged."""
        self.ensure_one()
        correction = (
            self.env["lift.client.approval.correction"]
            .sudo()
            .create(
                {
                    "letter_id": self.client_approval_id.id,
                    "decision_id": decision.id,
                    "line_id": self.id,
                    "line_date": self.date,
                    "line_name": self.name,
                    "hours_logged": self.unit_amount,
                    "hours_agreed": hours,
                    "comment": self.client_approval_comment,
                }
            )
        )
        self.sudo().write({"client_approval_correction_id": correction.id})
        return correction

    def _client_approval_set_agreed_hours(self, hours):
        """The line keeps the hours the client accepted: written past the
        lock, which keeps them from everybody else (the addon's own code,
        after ``_client_approval_check_correction_answer``)."""
        self.ensure_one()
        return super(AccountAnalyticLine, self.sudo()).write({"unit_amount": hours})

    def _client_approval_write_off(self, hours, correction):
        """The hours a correction took off this line, as a line of their own
        in the employee's timesheet: worked and costed, never invoiced (no
        sales order item, written off, in no letter). Return it."""
        self.ensure_one()
        return self.sudo().create(
            {
                "name": self.env._(
                    "Written off by the client's correction: %(name)s",
                    name=self.name,
                ),
                "date": self.date,
                "employee_id": self.employee_id.id,
                "user_id": self.user_id.id,
                "project_id": self.project_id.id,
                "task_id": self.task_id.id,
                "company_id": self.company_id.id,
                "unit_amount": hours,
                "so_line": False,
                "is_so_line_edited": True,
                "client_approval_id": False,
                "client_approval_state": WRITTEN_OFF_STATE,
                "client_approval_correction_id": correction.id,
            }
        )

    def _client_approval_withdraw_corrections(self):
        self.sudo().client_approval_correction_id.filtered(
            lambda correction: correction.state == "proposed"
        ).write({"state": "withdrawn"})

    def unlink(self):
        return self._client_approval_unlink(super().unlink)

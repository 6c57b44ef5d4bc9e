from collections import defaultdict

from odoo import api, fields, models
from odoo.osv import expression

from .rules import INVOICEABLE_STATES


class AccountAnalyticLine(models.Model):
    _name = "account.analytic.line"
    _inherit = ["account.analytic.line", "lift.client.approval.line.mixin"]

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
            expression.AND(
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

    def unlink(self):
        return self._client_approval_unlink(super().unlink)

from collections import defaultdict

from odoo import api, fields, models

from .common import INVOICEABLE_STATES


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
        self._client_approval_prepare_vals(vals_list)
        lines = super().create(vals_list)
        lines.filtered("project_id")._client_approval_sync()
        return lines

    @api.model
    def _client_approval_prepare_vals(self, vals_list):
        """Give the lines whose project, employee and date are known their
        letter at once, so that they are inserted with it rather than written
        again after; ``_client_approval_sync`` then finds them in place and
        still handles every other line (and corrects these, should another
        module change their key on the way)."""
        Letter = self.env["lift.client.approval"]
        candidates = [
            vals
            for vals in vals_list
            if vals.get("project_id")
            and vals.get("employee_id")
            and vals.get("date")
            and "client_approval_id" not in vals
        ]
        projects = (
            self.env["project.project"]
            .sudo()
            .browse({vals["project_id"] for vals in candidates})
        )
        projects = {project.id: project for project in projects.exists()}
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
            return
        letters = self._client_approval_get_drafts(keyed, projects, companies)
        for key, key_vals in keyed.items():
            for vals in key_vals:
                vals.update(
                    client_approval_id=letters[key].id,
                    client_approval_state="pending",
                )

    def _client_approval_is_invoiced(self):
        self.ensure_one()
        invoice = self.timesheet_invoice_id
        return bool(invoice) and invoice.state != "cancel"

    def write(self, vals):
        return self._client_approval_write(vals, super().write)

    def unlink(self):
        return self._client_approval_unlink(super().unlink)

from odoo import api, models


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
        invoiceable = (False, "approved", "waived")
        return [
            ("client_approval_state", "in", invoiceable),
            "|",
            ("move_line_id", "=", False),
            "|",
            ("move_line_id.expense_id", "=", False),
            ("move_line_id.expense_id.client_approval_state", "in", invoiceable),
        ]

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.filtered("project_id")._client_approval_sync()
        return lines

    def _client_approval_is_invoiced(self):
        self.ensure_one()
        invoice = self.timesheet_invoice_id
        return bool(invoice) and invoice.state != "cancel"

    def write(self, vals):
        return self._client_approval_write(vals, super().write)

    def unlink(self):
        return self._client_approval_unlink(super().unlink)

from odoo import api, models

from .. import compat


class HrExpense(models.Model):
    """An expense belongs to the project whose analytic account carries it
    (Odoo's way of logging an expense "on a project")."""

    _name = "hr.expense"
    _inherit = ["hr.expense", "lift.client.approval.line.mixin"]

    def _client_approval_get_projects(self):
        """Each expense's project, found in one search: the project whose
        analytic account is in the expense's distribution (one that requires
        client approval first)."""
        accounts = {
            expense: {
                int(account_id)
                for key in expense.analytic_distribution or {}
                for account_id in key.split(",")
            }
            for expense in self
        }
        all_accounts = set().union(*accounts.values()) if accounts else set()
        Project = self.env["project.project"].sudo()
        candidates = (
            Project.search(
                [("account_id", "in", list(all_accounts))],
                order="client_approval_required desc, id",
            )
            if all_accounts
            else Project
        )
        return {
            expense: next(
                (p for p in candidates if p.account_id.id in accounts[expense]),
                Project,
            )
            for expense in self
        }

    @api.model
    def _client_approval_not_invoiced_domain(self):
        """Expenses not yet approved for reimbursement: once approved, an
        expense is posted and re-invoiced, and final."""
        return [("state", "in", compat.OPEN_EXPENSE_STATES)]

    @api.model
    def _client_approval_search_project(self, project):
        if not project.account_id:
            return self.browse()
        expenses = self.search(
            compat.AND(
                [
                    [("analytic_distribution", "in", project.account_id.ids)],
                    self._client_approval_not_invoiced_domain(),
                ]
            )
        )
        projects = expenses._client_approval_get_projects()
        return expenses.filtered(lambda expense: projects[expense] == project)

    @api.model
    def _client_approval_protected_fields(self):
        return super()._client_approval_protected_fields() | {
            "name",
            "product_id",
            "quantity",
            "price_unit",
            "total_amount_currency",
            "total_amount",
            "currency_id",
            "analytic_distribution",
            "sale_order_id",
        }

    @api.model
    def _client_approval_key_fields(self):
        return super()._client_approval_key_fields() | {"analytic_distribution"}

    @api.model_create_multi
    def create(self, vals_list):
        # one check for the whole batch, not one per line
        self._check_decision_fields(set().union(*vals_list))
        expenses = super().create(vals_list)
        expenses._client_approval_sync()
        return expenses

    def write(self, vals):
        return self._client_approval_write(vals, super().write)

    def unlink(self):
        return self._client_approval_unlink(super().unlink)

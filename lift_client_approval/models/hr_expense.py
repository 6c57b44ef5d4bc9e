from odoo import api, models

OPEN_EXPENSE_STATES = ("draft", "reported", "submitted")


class HrExpense(models.Model):
    """An expense belongs to the project whose analytic account carries it
    (Odoo's way of logging an expense "on a project")."""

    _name = "hr.expense"
    _inherit = ["hr.expense", "lift.client.approval.line.mixin"]

    def _client_approval_get_project(self):
        self.ensure_one()
        account_ids = set()
        for key in self.analytic_distribution or {}:
            account_ids.update(int(account_id) for account_id in key.split(","))
        if not account_ids:
            return self.env["project.project"]
        projects = (
            self.env["project.project"]
            .sudo()
            .search(
                [("account_id", "in", list(account_ids))],
                order="client_approval_required desc, id",
                limit=1,
            )
        )
        return projects

    @api.model
    def _client_approval_search_project(self, project):
        """Expenses of ``project`` that are not yet approved for
        reimbursement (and so not yet re-invoiced)."""
        if not project.account_id:
            return self.browse()
        expenses = self.search(
            [
                ("state", "in", OPEN_EXPENSE_STATES),
                ("analytic_distribution", "in", project.account_id.ids),
            ]
        )
        return expenses.filtered(lambda e: e._client_approval_get_project() == project)

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
        expenses = super().create(vals_list)
        expenses._client_approval_sync()
        return expenses

    def _client_approval_is_invoiced(self):
        # once approved for reimbursement the expense is posted and
        # re-invoiced: final
        self.ensure_one()
        return self.state not in OPEN_EXPENSE_STATES

    def write(self, vals):
        return self._client_approval_write(vals, super().write)

    def unlink(self):
        return self._client_approval_unlink(super().unlink)

from odoo import api, models
from odoo.osv import expression


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.depends(
        "analytic_line_ids.client_approval_state",
        "analytic_line_ids.move_line_id.expense_id.client_approval_state",
    )
    def _compute_qty_delivered(self):
        """Only what the client approved (or the company waived) is
        delivered; ``qty_delivered`` is stored, so it must follow the
        decisions."""
        return super()._compute_qty_delivered()

    def _get_delivered_quantity_by_analytic(self, additional_domain):
        # One gate for every path that counts analytic lines: timesheets
        # (delivered and invoiced quantities, date-range invoicing) and
        # re-invoiced expenses.
        return super()._get_delivered_quantity_by_analytic(
            expression.AND(
                [
                    additional_domain,
                    self.env[
                        "account.analytic.line"
                    ]._client_approval_invoiceable_domain(),
                ]
            )
        )

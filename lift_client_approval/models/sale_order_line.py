from odoo import api, fields, models

from .. import compat
from .rules import INVOICEABLE_STATES


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # The gate at the level of the timesheets themselves: a sale order line's
    # timesheets are the ones that count for invoicing, those the client
    # approved or that were waived (or that need no approval). Every path
    # that adds up ``timesheet_ids`` (the quantity to invoice of a period in
    # upstream 18.0 since 2025, for one) sees only these; the ORM keeps the
    # field current when a decision changes, as the domain's fields are
    # dependencies of the field.
    timesheet_ids = fields.One2many(
        domain=[
            ("project_id", "!=", False),
            ("client_approval_state", "in", INVOICEABLE_STATES),
        ]
    )

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
        # The gate of every path that counts analytic lines by domain:
        # timesheets (delivered and invoiced quantities, date-range
        # invoicing) and re-invoiced expenses.
        return super()._get_delivered_quantity_by_analytic(
            compat.AND(
                [
                    additional_domain,
                    self.env[
                        "account.analytic.line"
                    ]._client_approval_invoiceable_domain(),
                ]
            )
        )

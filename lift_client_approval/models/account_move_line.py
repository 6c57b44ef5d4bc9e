from odoo import models

from .. import compat


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _timesheet_domain_get_invoiced_lines(self, sale_line_delivery):
        """Never link a timesheet the client has not approved to an invoice."""
        return compat.AND(
            [
                super()._timesheet_domain_get_invoiced_lines(sale_line_delivery),
                self.env["account.analytic.line"]._client_approval_invoiceable_domain(),
            ]
        )

from odoo import api, fields, models
from odoo.tools import SQL

from .. import compat
from ..models.rules import APPROVED_STATES, estimated_revenue_sql

REASONS = [
    ("not_submitted", "Not Submitted"),
    ("internal", "Awaiting Internal Approval"),
    ("client", "Awaiting the Client"),
    ("rejected", "Rejected by the Client"),
    ("correction", "Corrected by the Client, Awaiting Our Answer"),
    ("cancelled", "Letter Cancelled"),
    ("to_invoice", "Approved, Not Yet Invoiced"),
]


class LiftClientApprovalInvoicingReport(models.Model):
    """Revenue not yet invoiced on projects that need client approval,
    per project, employee and period, and why it is not invoiced yet.

    A SQL view over the timesheets, so that it stays fast on a large
    database."""

    _name = "lift.client.approval.invoicing.report"
    _description = "Hours Not Yet Invoiced, and Why"
    _auto = False
    _order = "date_start desc, project_id, employee_id"
    # what the view reads, flushed before it is queried
    _depends = {
        "account.analytic.line": [
            "project_id",
            "employee_id",
            "client_approval_id",
            "client_approval_state",
            "so_line",
            "company_id",
            "unit_amount",
            "timesheet_invoice_id",
        ],
        "lift.client.approval": ["date_start", "state"],
        "project.project": ["partner_id"],
        "sale.order.line": ["order_id", "currency_id", "price_unit"],
        "account.move": ["state"],
    }

    project_id = fields.Many2one("project.project", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True)
    letter_id = fields.Many2one(
        "lift.client.approval", string="Timesheet Letter", readonly=True
    )
    date_start = fields.Date(string="Period", readonly=True)
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Sales Order Item", readonly=True
    )
    order_id = fields.Many2one("sale.order", string="Sales Order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    reason = fields.Selection(REASONS, string="Why Not Invoiced", readonly=True)
    hours = fields.Float(readonly=True, aggregator="sum")
    amount = fields.Monetary(
        string="Amount (estimated)", readonly=True, aggregator="sum"
    )
    line_count = fields.Integer(string="Lines", readonly=True, aggregator="sum")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT
                min(aal.id) AS id,
                aal.project_id,
                project.partner_id,
                aal.employee_id,
                aal.client_approval_id AS letter_id,
                letter.date_start,
                aal.so_line AS sale_line_id,
                sol.order_id,
                aal.company_id,
                sol.currency_id,
                %(reason)s AS reason,
                sum(aal.unit_amount) AS hours,
                sum(%(estimate)s) AS amount,
                count(*) AS line_count
            FROM account_analytic_line aal
            JOIN lift_client_approval letter ON letter.id = aal.client_approval_id
            JOIN project_project project ON project.id = aal.project_id
            LEFT JOIN sale_order_line sol ON sol.id = aal.so_line
            WHERE aal.project_id IS NOT NULL
              AND aal.client_approval_state IS NOT NULL
              AND aal.so_line IS NOT NULL
              AND aal.id IN %(not_invoiced)s
            GROUP BY aal.project_id, project.partner_id, aal.employee_id,
                aal.client_approval_id, letter.date_start, aal.so_line,
                sol.order_id, aal.company_id, sol.currency_id, 11
            """,
            reason=self._reason_sql(),
            estimate=estimated_revenue_sql("aal", "sol"),
            not_invoiced=self._not_invoiced_sql(),
        )

    @api.model
    def _not_invoiced_domain(self):
        return self.env["account.analytic.line"]._client_approval_not_invoiced_domain()

    @api.model
    def _not_invoiced_sql(self):
        """The timesheets the one rule of "invoiced" says are not, as a
        subquery."""
        query = (
            self.env["account.analytic.line"]
            .sudo()
            .with_context(active_test=False)
            ._search(self._not_invoiced_domain())
        )
        return SQL("(%s)", query.subselect())

    @api.model
    def _reason_sql(self):
        return SQL(
            """
            CASE
                WHEN aal.client_approval_state IN %s THEN 'to_invoice'
                WHEN aal.client_approval_state = 'rejected' THEN 'rejected'
                WHEN aal.client_approval_state = 'corrected' THEN 'correction'
                WHEN letter.state = 'submitted' THEN 'internal'
                WHEN letter.state = 'sent' THEN 'client'
                WHEN letter.state = 'cancel' THEN 'cancelled'
                ELSE 'not_submitted'
            END
            """,
            APPROVED_STATES,
        )

    def action_open_timesheets(self):
        """The timesheet lines behind the row."""
        self.ensure_one()
        states = {
            "to_invoice": list(APPROVED_STATES),
            "rejected": ["rejected"],
            "correction": ["corrected"],
        }.get(self.reason, ["pending"])
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hr_timesheet.timesheet_action_all"
        )
        action.update(
            name=self.env._(
                "%(employee)s - %(reason)s",
                employee=self.employee_id.name,
                reason=dict(REASONS)[self.reason],
            ),
            domain=compat.AND(
                [
                    [
                        ("client_approval_id", "=", self.letter_id.id),
                        ("so_line", "=", self.sale_line_id.id),
                        ("client_approval_state", "in", states),
                    ],
                    self._not_invoiced_domain(),
                ]
            ),
            context={"create": False},
        )
        return action

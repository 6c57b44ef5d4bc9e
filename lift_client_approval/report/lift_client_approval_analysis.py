from odoo import api, fields, models
from odoo.tools import SQL

from ..models.lift_client_approval_decision import DECIDED_BY
from ..models.rules import days_overdue_sql

AGE_BUCKETS = [
    ("0_7", "0-7 days"),
    ("8_14", "8-14 days"),
    ("15_30", "15-30 days"),
    ("over_30", "Over 30 days"),
]
# Measures whose value for a group is not an aggregate of the rows' values:
# computed from the group's rows in SQL (see _read_group_select).
GROUP_MEASURES = {
    "lead_time_median": lambda view: SQL(
        "percentile_cont(0.5) WITHIN GROUP (ORDER BY %s)",
        SQL.identifier(view, "lead_time_median"),
    ),
    "rejection_rate": lambda view: SQL(
        "100.0 * SUM(%s) / NULLIF(SUM(%s), 0)",
        SQL.identifier(view, "rejected_line_count"),
        SQL.identifier(view, "decided_line_count"),
    ),
    "correction_rate": lambda view: SQL(
        "100.0 * SUM(%s) / NULLIF(SUM(%s), 0)",
        SQL.identifier(view, "corrected_line_count"),
        SQL.identifier(view, "decided_line_count"),
    ),
}


class LiftClientApprovalAnalysis(models.Model):
    """Money waiting on clients and how long clients take, one row per
    timesheet letter that went to its client.

    A SQL view over the letters alone: what it needs of their lines (hours,
    estimated revenue, answers and rejections) is stored on each letter as
    it changes, so that the view reads one row per letter however many lines
    there are."""

    _name = "lift.client.approval.analysis"
    _description = "Client Approval Analysis"
    _auto = False
    _order = "sent_date desc, id desc"
    _rec_name = "letter_id"
    # what the view reads, flushed before it is queried
    _depends = {
        "lift.client.approval": [
            "company_id",
            "partner_id",
            "project_id",
            "employee_id",
            "state",
            "period",
            "date_start",
            "sent_date",
            "first_sent_date",
            "deadline",
            "decided_on",
            "decided_by",
            "amount_estimated",
            "total_hours",
            "submission_count",
            "rejected_line_count",
            "decided_line_count",
            "corrected_line_count",
            "written_off_hours",
            "written_off_amount",
        ],
        "res.partner": ["commercial_partner_id"],
        "res.company": ["currency_id"],
    }

    letter_id = fields.Many2one(
        "lift.client.approval", string="Timesheet Letter", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    commercial_partner_id = fields.Many2one(
        "res.partner", string="Client", readonly=True
    )
    partner_id = fields.Many2one("res.partner", string="Approver", readonly=True)
    project_id = fields.Many2one("project.project", readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True)
    state = fields.Selection(
        lambda self: self.env["lift.client.approval"]
        ._fields["state"]
        ._description_selection(self.env),
        readonly=True,
    )
    period = fields.Selection(
        [("week", "Week"), ("month", "Month")], string="Period Type", readonly=True
    )
    date_start = fields.Date(string="Period", readonly=True)
    sent_date = fields.Datetime(string="Sent", readonly=True)
    decided_date = fields.Datetime(string="Decided", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount = fields.Monetary(
        string="Revenue (estimated)", readonly=True, aggregator="sum"
    )
    hours = fields.Float(readonly=True, aggregator="sum")
    days_waiting = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="Days since the letter was sent, for letters awaiting the client.",
    )
    days_overdue = fields.Integer(
        readonly=True, aggregator="avg", help="Days past the deadline."
    )
    age_bucket = fields.Selection(
        AGE_BUCKETS,
        string="Waiting For",
        readonly=True,
        help="How long the letter has been awaiting the client.",
    )
    lead_time_days = fields.Integer(
        string="Days to Decide (average)",
        readonly=True,
        aggregator="avg",
        help="Days from the first sending to the client's last answer, for "
        "decided letters.",
    )
    lead_time_median = fields.Float(
        string="Days to Decide (median)",
        readonly=True,
        aggregator="avg",  # the group's median, see GROUP_MEASURES
    )
    rounds = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="How many times the letter went to the client.",
    )
    rejected_line_count = fields.Integer(
        string="Line Rejections", readonly=True, aggregator="sum"
    )
    decided_line_count = fields.Integer(
        string="Line Answers", readonly=True, aggregator="sum"
    )
    rejection_rate = fields.Float(
        string="Rejection Rate (%)",
        readonly=True,
        aggregator="avg",  # the group's rejections over its answers
        help="The client's rejections over all their answers on lines, in %.",
    )
    corrected_line_count = fields.Integer(
        string="Line Corrections", readonly=True, aggregator="sum"
    )
    correction_rate = fields.Float(
        string="Correction Rate (%)",
        readonly=True,
        aggregator="avg",  # the group's corrections over its answers
        help="The client's corrections over all their answers on lines, in %.",
    )
    written_off_hours = fields.Float(
        string="Hours Written Off",
        readonly=True,
        aggregator="sum",
        help="Hours the client's corrections took off, once we accepted them: "
        "worked, never invoiced.",
    )
    written_off_amount = fields.Monetary(
        string="Written Off (estimated)", readonly=True, aggregator="sum"
    )
    decided_by = fields.Selection(DECIDED_BY, string="Answered By", readonly=True)
    letter_count = fields.Integer(string="Letters", readonly=True, aggregator="sum")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT
                letter.id AS id,
                letter.id AS letter_id,
                letter.company_id,
                coalesce(partner.commercial_partner_id, partner.id)
                    AS commercial_partner_id,
                letter.partner_id,
                letter.project_id,
                letter.employee_id,
                letter.state,
                letter.period,
                letter.date_start,
                letter.sent_date,
                letter.decided_on AS decided_date,
                company.currency_id,
                letter.amount_estimated AS amount,
                letter.total_hours AS hours,
                %(waiting)s AS days_waiting,
                %(days_overdue)s AS days_overdue,
                CASE
                    WHEN letter.state <> 'sent' THEN NULL
                    WHEN %(waiting)s <= 7 THEN '0_7'
                    WHEN %(waiting)s <= 14 THEN '8_14'
                    WHEN %(waiting)s <= 30 THEN '15_30'
                    ELSE 'over_30'
                END AS age_bucket,
                %(lead_time)s AS lead_time_days,
                %(lead_time)s AS lead_time_median,
                letter.submission_count AS rounds,
                letter.rejected_line_count,
                letter.decided_line_count,
                100.0 * letter.rejected_line_count
                    / NULLIF(letter.decided_line_count, 0) AS rejection_rate,
                letter.corrected_line_count,
                100.0 * letter.corrected_line_count
                    / NULLIF(letter.decided_line_count, 0) AS correction_rate,
                letter.written_off_hours,
                letter.written_off_amount,
                letter.decided_by,
                1 AS letter_count
            FROM lift_client_approval letter
            JOIN res_company company ON company.id = letter.company_id
            LEFT JOIN res_partner partner ON partner.id = letter.partner_id
            -- the letters that went to their client (_went_to_client)
            WHERE letter.first_sent_date IS NOT NULL
            """,
            days_overdue=days_overdue_sql("letter", fields.Date.context_today(self)),
            waiting=SQL(
                "CASE WHEN letter.state = 'sent' THEN %s - letter.sent_date::date "
                "ELSE 0 END",
                self._today_sql(),
            ),
            lead_time=SQL(
                "CASE WHEN letter.state IN ('approved', 'rejected') "
                "AND letter.decided_on IS NOT NULL "
                "THEN letter.decided_on::date "
                "- letter.first_sent_date::date END"
            ),
        )

    @api.model
    def _today_sql(self):
        return SQL("%s::date", fields.Date.context_today(self))

    def _read_group_select(self, aggregate_spec, query):
        fname, __, func = models.parse_read_group_spec(aggregate_spec)
        if fname in GROUP_MEASURES and func == "avg":
            # read the field (and check it may be read) as Odoo does, then
            # aggregate the group's rows the way the measure means
            super()._read_group_select(aggregate_spec, query)
            return GROUP_MEASURES[fname](self._table)
        return super()._read_group_select(aggregate_spec, query)

    @api.model
    def _get_waiting_stats(self, field_name, records):
        """For the smart buttons: {record id: (letters awaiting the client,
        revenue waiting, average days to decide over the last 90 days)},
        ``field_name`` being the view's field that points to ``records``.
        Two queries, whatever the number of records."""
        waiting = {
            record.id: (count, amount)
            for record, count, amount in self._read_group(
                [(field_name, "in", records.ids), ("state", "=", "sent")],
                [field_name],
                ["__count", "amount:sum"],
            )
        }
        since = fields.Datetime.subtract(fields.Datetime.now(), days=90)
        lead_times = dict(
            self._read_group(
                [
                    (field_name, "in", records.ids),
                    ("decided_date", ">=", since),
                    ("lead_time_days", "!=", False),
                ],
                [field_name],
                ["lead_time_days:avg"],
            )
        )
        return {
            record.id: (
                *waiting.get(record.id, (0, 0.0)),
                lead_times.get(record, 0.0),
            )
            for record in records
        }

    def _action_for(self, name, domain):
        """The analysis on ``domain``, for those who may read it (client
        approval managers and invoicing users)."""
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "lift_client_approval.action_lift_client_approval_analysis"
        )
        action.update(name=name, domain=domain)
        return action

    def action_open_letter(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "lift.client.approval",
            "res_id": self.letter_id.id,
            "view_mode": "form",
        }

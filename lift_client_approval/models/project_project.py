from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .rules import (
    LINE_MODELS,
    MANAGER_GROUP,
    NEVER_DECIDED_STATES,
    OPEN_STATES,
    is_manager,
)


class ProjectProject(models.Model):
    _inherit = "project.project"

    client_approval_required = fields.Boolean(
        tracking=True,
        help="Hours and expenses of this project are invoiced only once the "
        "client has approved them.",
    )
    client_approval_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Client Approver",
        compute="_compute_client_approval_partner_id",
        store=True,
        readonly=False,
        tracking=True,
        help="The contact who approves the hours. Defaults to the project's "
        "customer.",
    )
    client_approval_period = fields.Selection(
        selection=[("week", "Weekly"), ("month", "Monthly")],
        string="Approval Period",
        default="month",
        required=True,
        help="Follow how the project is invoiced: monthly invoicing asks the "
        "client monthly, weekly invoicing weekly. Weeks run Monday to Sunday "
        "(ISO weeks).",
    )
    client_approval_deadline_days = fields.Integer(
        string="Days to Answer",
        default=5,
        help="Number of days the client has to answer once the hours are sent.",
    )
    client_approval_auto_days = fields.Integer(
        string="Approve Automatically After",
        help="Days after the deadline after which a letter the client has not "
        "answered is approved automatically. 0: never.",
    )
    client_approval_ids = fields.One2many(
        comodel_name="lift.client.approval",
        inverse_name="project_id",
        string="Timesheet Letters",
    )
    client_approval_count = fields.Integer(
        compute="_compute_client_approval_count",
        groups="lift_client_approval.group_client_approval_user",
    )

    client_approval_waiting_amount = fields.Monetary(
        string="Revenue Awaiting Approval",
        compute="_compute_client_approval_waiting",
        groups=MANAGER_GROUP,
    )
    client_approval_lead_time = fields.Float(
        string="Days to Approve",
        compute="_compute_client_approval_waiting",
        groups=MANAGER_GROUP,
        help="On average, over the letters the client decided in the last 90 days.",
    )

    def _compute_client_approval_waiting(self):
        """What of this project waits on the client."""
        stats = self.env["lift.client.approval.analysis"]._get_waiting_stats(
            "project_id", self._origin
        )
        for project in self:
            _count, amount, lead_time = stats.get(project._origin.id, (0, 0.0, 0.0))
            project.client_approval_waiting_amount = amount
            project.client_approval_lead_time = lead_time

    def action_view_client_approval_analysis(self):
        self.ensure_one()
        return self.env["lift.client.approval.analysis"]._action_for(
            self.env._("Awaiting approval: %(project)s", project=self.display_name),
            [("project_id", "=", self.id)],
        )

    @api.depends("partner_id")
    def _compute_client_approval_partner_id(self):
        for project in self:
            if not project.client_approval_partner_id:
                project.client_approval_partner_id = project.partner_id

    def _compute_client_approval_count(self):
        counts = dict(
            self.env["lift.client.approval"]._read_group(
                [("project_id", "in", self.ids)], ["project_id"], ["__count"]
            )
        )
        for project in self:
            project.client_approval_count = counts.get(project._origin, 0)

    @api.constrains(
        "client_approval_required",
        "allow_billable",
        "allow_timesheets",
        "sale_line_id",
        "sale_line_employee_ids",
        "client_approval_deadline_days",
        "client_approval_auto_days",
    )
    def _check_client_approval_billing(self):
        """Client approval gates invoicing by the hour: it only makes
        sense on a project whose hours are billed on time and materials."""
        for project in self.filtered("client_approval_required"):
            reason = project._get_client_approval_unavailable_reason()
            if reason:
                raise ValidationError(reason)
            if project.client_approval_auto_days < 0:
                raise ValidationError(
                    self.env._(
                        "Project %(project)s: the days before automatic approval "
                        "cannot be negative.",
                        project=project.display_name,
                    )
                )
            if project.client_approval_deadline_days <= 0:
                raise ValidationError(
                    self.env._(
                        "Project %(project)s: the client needs at least one day "
                        "to answer.",
                        project=project.display_name,
                    )
                )

    def _get_client_approval_unavailable_reason(self):
        """Why this project cannot require client approval, or False."""
        self.ensure_one()
        if not self.allow_timesheets or not self.allow_billable:
            return self.env._(
                "Project %(project)s cannot require client approval: only "
                "projects with billable timesheets are invoiced by the hour. "
                "Turn on Timesheets and Billable first.",
                project=self.display_name,
            )
        sale_lines = self.sale_line_id | self.sale_line_employee_ids.sale_line_id
        fixed = sale_lines.filtered(
            lambda sol: sol.product_id.service_policy != "delivered_timesheet"
        )
        if fixed:
            return self.env._(
                "Project %(project)s cannot require client approval: it is "
                "invoiced at a fixed price or on ordered quantities "
                "(%(lines)s). Client approval is for time and materials "
                "projects, invoiced on timesheets.",
                project=self.display_name,
                lines=", ".join(fixed.mapped("display_name")),
            )
        return False

    @api.onchange("client_approval_required")
    def _onchange_client_approval_required(self):
        """Tell the user, before saving, what happens to the hours."""
        project = self._origin
        if not project or project.client_approval_required == (
            self.client_approval_required
        ):
            return
        if self.client_approval_required:
            count = project._get_client_approval_lines_to_attach(count=True)
            if not count:
                return
            message = self.env._(
                "%(count)s hours and expenses of this project that are not yet "
                "invoiced will need the client's approval: they join the "
                "timesheet letters of their periods.",
                count=count,
            )
        else:
            count = len(project._get_client_approval_open_letters())
            if not count:
                return
            message = self.env._(
                "%(count)s open timesheet letters of this project will be "
                "cancelled. Their hours and expenses that the client has not "
                "approved yet will no longer wait for the client and become "
                "invoiceable. Lines the client already approved stay approved.",
                count=count,
            )
        return {"warning": {"title": self.env._("Client approval"), "message": message}}

    def write(self, vals):
        self._check_client_approval_settings(vals)
        switched = self.env["project.project"]
        if "client_approval_required" in vals:
            switched = self.filtered(
                lambda p: p.client_approval_required
                != bool(vals["client_approval_required"])
            )
        turning_off = switched.filtered("client_approval_required")
        for (
            lines
        ) in turning_off._get_client_approval_open_letters()._get_undecided_lines():
            # before anything is written: nobody releases their own lines
            lines.with_env(self.env)._check_not_own_lines()
        res = super().write(vals)
        if switched:
            switched._on_client_approval_switched()
        return res

    def _check_client_approval_settings(self, vals):
        """Whether a project's hours need the client's approval, who approves
        them and how soon they are approved without an answer: client
        approval managers decide."""
        settings = {
            "client_approval_required",
            "client_approval_partner_id",
            "client_approval_auto_days",
            "client_approval_deadline_days",
            "client_approval_period",
        } & set(vals)
        if not settings or self.env.su or is_manager(self.env):
            return
        changed = [
            name
            for name in settings
            for project in self
            if project._fields[name].convert_to_write(project[name], project)
            != vals[name]
        ]
        if changed:
            raise AccessError(
                self.env._(
                    "Only client approval managers can change a project's client "
                    "approval settings (%(fields)s).",
                    fields=", ".join(
                        sorted(
                            {
                                self._fields[name].get_description(self.env)["string"]
                                for name in changed
                            }
                        )
                    ),
                )
            )

    def _on_client_approval_switched(self):
        """Keep every line accounted for when the switch flips (nothing lost).

        Off: open letters are cancelled and their undecided lines released;
        lines the client approved keep their decision. On: the project's lines
        that are not invoiced yet join the letters of their periods."""
        turned_off = self.filtered(lambda p: not p.client_approval_required)
        if turned_off:
            # as the user who switched: nobody releases their own lines
            turned_off._get_client_approval_open_letters().with_env(
                self.env
            )._do_release(self.env._("Client approval was turned off on the project."))
        for project in self - turned_off:
            for records in project._get_client_approval_lines_to_attach():
                records._client_approval_sync()

    def _get_client_approval_open_letters(self):
        """The open letters of these projects, in sudo."""
        if not self:
            return self.env["lift.client.approval"]
        return (
            self.env["lift.client.approval"]
            .sudo()
            .search([("project_id", "in", self.ids), ("state", "in", OPEN_STATES)])
        )

    def _get_client_approval_lines_to_attach(self, count=False):
        """Lines of this project that would need approval if it required it:
        not invoiced, and never decided by the client."""
        self.ensure_one()
        lines = [
            self.env[model]
            .sudo()
            ._client_approval_search_project(self)
            .filtered(lambda line: line.client_approval_state in NEVER_DECIDED_STATES)
            for model in LINE_MODELS
        ]
        if count:
            return sum(len(records) for records in lines)
        return lines

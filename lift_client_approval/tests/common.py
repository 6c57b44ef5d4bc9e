import json
import re
import shutil
import subprocess
import tempfile

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user
from odoo.tools import mute_logger


class ClientApprovalCase(TransactionCase):
    """A services company with one client, two employees and a manager, and
    a time-and-materials project whose hours need the client's approval."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company = cls.env.company
        cls.company.client_approval_trigger = "submit"
        cls.client = cls.env["res.partner"].create(
            {"name": "Client Co", "is_company": True, "email": "client@example.com"}
        )
        cls.approver = cls.env["res.partner"].create(
            {
                "name": "Client Approver",
                "parent_id": cls.client.id,
                "email": "approver@example.com",
            }
        )
        cls.manager_user = new_test_user(
            cls.env,
            "lca_manager",
            groups="hr_timesheet.group_hr_timesheet_approver,"
            "sales_team.group_sale_salesman,project.group_project_manager",
            name="Manager",
            email="manager@example.com",
        )
        cls.user = new_test_user(
            cls.env,
            "lca_employee",
            groups="hr_timesheet.group_hr_timesheet_user",
            email="employee@example.com",
        )
        cls.other_user = new_test_user(
            cls.env,
            "lca_other",
            groups="hr_timesheet.group_hr_timesheet_user",
            email="other.employee@example.com",
        )
        Employee = cls.env["hr.employee"]
        cls.manager_employee = Employee.create(
            {"name": "Manager", "user_id": cls.manager_user.id}
        )
        cls.employee = Employee.create(
            {
                "name": "Employee",
                "user_id": cls.user.id,
                "parent_id": cls.manager_employee.id,
            }
        )
        cls.other_employee = Employee.create(
            {"name": "Other Employee", "user_id": cls.other_user.id}
        )
        cls.userless_employee = Employee.create({"name": "Contractor"})
        cls.product_tm = cls.env["product.product"].create(
            {
                "name": "Consulting (T&M)",
                "type": "service",
                "invoice_policy": "delivery",
                "service_type": "timesheet",
                "uom_id": cls.env.ref("uom.product_uom_hour").id,
                "list_price": 100.0,
            }
        )
        cls.product_fixed = cls.env["product.product"].create(
            {
                "name": "Consulting (fixed price)",
                "type": "service",
                "invoice_policy": "order",
                "service_type": "manual",
                "list_price": 5000.0,
            }
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.client.id,
                "order_line": [
                    Command.create({"product_id": cls.product_tm.id}),
                    Command.create({"product_id": cls.product_fixed.id}),
                ],
            }
        )
        cls.order.action_confirm()
        cls.line_tm, cls.line_fixed = cls.order.order_line
        cls.project = cls.env["project.project"].create(
            {
                "name": "Website",
                "partner_id": cls.client.id,
                "allow_timesheets": True,
                "allow_billable": True,
                "sale_line_id": cls.line_tm.id,
                "user_id": cls.manager_user.id,
                "client_approval_required": True,
                "client_approval_partner_id": cls.approver.id,
                "client_approval_period": "week",
                "client_approval_deadline_days": 5,
            }
        )
        cls.task = cls.env["project.task"].create(
            {"name": "Design", "project_id": cls.project.id}
        )
        cls.Letter = cls.env["lift.client.approval"]
        cls.render_pdf_offline(cls)

    def log(self, date, hours=1.0, employee=None, project=None, user=None, **vals):
        """Log a timesheet line as the employee's user would."""
        employee = employee or self.employee
        env = self.env(user=user) if user else self.env
        return env["account.analytic.line"].create(
            dict(
                {
                    "name": f"Work on {date}",
                    "project_id": (project or self.project).id,
                    "task_id": self.task.id
                    if (project or self.project) == self.project
                    else False,
                    "employee_id": employee.id,
                    "date": date,
                    "unit_amount": hours,
                },
                **vals,
            )
        )

    def expense(self, date, amount=50.0, employee=None, project=None):
        project = project or self.project
        return self.env["hr.expense"].create(
            {
                "name": f"Train ticket {date}",
                "employee_id": (employee or self.employee).id,
                "product_id": self.env.ref("hr_expense.product_product_no_cost").id,
                "total_amount_currency": amount,
                "date": date,
                "analytic_distribution": {str(project.account_id.id): 100},
            }
        )

    def invoice(self, **wizard_values):
        """Invoice the order's delivered quantities, as Odoo's Create
        Invoice wizard does; return the new invoice."""
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=self.order.ids)
            .create(dict({"advance_payment_method": "delivered"}, **wizard_values))
        )
        wizard.create_invoices()
        return self.order.invoice_ids.sorted("id")[-1:]

    def decide_all(self, letter, decision="approved", comment=""):
        decisions = [
            dict(pending, comment=comment)
            for pending in letter._get_pending_decisions(decision)
        ]
        return letter.client_decide(decisions)

    def letter_html(self, letter):
        """The PDF letter's HTML, as wkhtmltopdf gets it."""
        return (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "lift_client_approval.action_report_timesheet_letter", letter.ids
            )[0]
            .decode()
        )

    def send_confirmations(self):
        """Run the background job that sends the queued confirmations."""
        self.env["lift.client.approval"]._cron_send_confirmations()

    def mails(self, letter, subject=""):
        """The e-mails posted on the letter (its chatter keeps each one;
        the outgoing queue may already be emptied by the test runner)."""
        return self.env["mail.message"].search(
            [
                ("model", "=", letter._name),
                ("res_id", "=", letter.id),
                ("message_type", "!=", "user_notification"),
                ("subject", "ilike", subject),
            ],
            order="id",
        )

    def pdf_tool(self, pdf, *command):
        """Run a poppler tool (``command``, the file's name last) on a PDF
        (bytes); return what it prints."""
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertTrue(shutil.which(command[0]), "poppler-utils is installed")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            return subprocess.run(
                [*command, file.name, *(["-"] if command[0] == "pdftotext" else [])],
                check=True,
                capture_output=True,
                text=True,
            ).stdout

    def render_pdf_offline(self):
        """wkhtmltopdf renders real PDFs without fetching the page's
        stylesheets from this process's HTTP server: its requests would share
        (and could turn read-only) the test's cursor. The text of the PDF is
        what the tests read."""
        self.env["ir.config_parameter"].sudo().set_param(
            "report.url", "http://127.0.0.1:9"
        )

    def flush_tracking(self):
        """Tracking messages are written when the transaction commits."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()


class ClientApprovalHttpCase(HttpCase, ClientApprovalCase):
    """The same company, seen through the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            "lca_portal",
            groups="base.group_portal",
            partner_id=cls.approver.id,
            email="approver@example.com",
            name="Client Approver",
        )
        other_client = cls.env["res.partner"].create(
            {"name": "Other Client", "is_company": True, "email": "other@example.com"}
        )
        cls.other_portal_user = new_test_user(
            cls.env,
            "lca_portal_other",
            groups="base.group_portal",
            email="other.approver@example.com",
            partner_id=cls.env["res.partner"]
            .create(
                {
                    "name": "Other Approver",
                    "parent_id": other_client.id,
                    "email": "other.approver@example.com",
                }
            )
            .id,
        )

    @classmethod
    def create_deputy(cls):
        """A colleague of the approver at the client, to stand in for them."""
        return cls.env["res.partner"].create(
            {
                "name": "Deputy Approver",
                "parent_id": cls.client.id,
                "email": "deputy@example.com",
            }
        )

    def set_deputy(self, start="2026-03-01", end="2026-03-31", user=None):
        """Make ``self.deputy`` (``create_deputy``) the
        approver's deputy from ``start`` to ``end``, as a manager does."""
        self.approver.with_user(user or self.manager_user).write(
            {
                "client_approval_deputy_id": self.deputy.id,
                "client_approval_deputy_from": start,
                "client_approval_deputy_to": end,
            }
        )

    def sent_letter(self, days=("2026-03-02", "2026-03-03"), with_expense=True):
        lines = self.env["account.analytic.line"]
        for day in days:
            lines |= self.log(day, hours=2)
        letter = lines.client_approval_id
        if with_expense:
            self.expense(days[0])
        letter.action_submit()
        return letter

    def call_kw(self, model, method, args, kwargs=None):
        """JSON-RPC as the logged-in user; return (result, error message)."""
        body = self.call_kw_body(model, method, args, kwargs)
        if "error" in body:
            return None, body["error"]["data"]["message"]
        return body["result"], None

    def call_kw_body(self, model, method, args, kwargs=None):
        """JSON-RPC as the logged-in user; return the response's body (its
        ``error`` holds the exception's ``data``: ``name``, ``message``)."""
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/web/dataset/call_kw",
                data=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "method": "call",
                        "id": 1,
                        "params": {
                            "model": model,
                            "method": method,
                            "args": args,
                            "kwargs": kwargs or {},
                        },
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def bulk_approve(self, letter_ids, page_url="/my/client-approvals"):
        """Tick letters in the portal list and press Approve, as the logged-in
        user (the CSRF token taken from ``page_url``)."""
        page = self.url_open(page_url).text
        return self.url_open(
            "/my/client-approvals/approve",
            data={"csrf_token": self.csrf(page), "letter_ids": letter_ids},
        )

    def csrf(self, html):
        match = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(
            r'csrf_token: "([^"]+)"', html
        )
        self.assertTrue(match, "the page holds a CSRF token")
        return match.group(1)

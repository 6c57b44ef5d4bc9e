"""The cases where two copies of a rule disagreed, each tried as the user who
tried it: a cancelled invoice's hours, a manager's own hours released by the
project's switch, a letter's actions called by whoever can read it, and the
client's e-mail button in the sender's language."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ClientApprovalCase, ClientApprovalHttpCase


@tagged("post_install", "-at_install")
class TestInvoicedRule(ClientApprovalCase):
    def project_without_approval(self):
        """A time-and-materials project whose hours need no approval yet."""
        return self.env["project.project"].create(
            {
                "name": "Support",
                "partner_id": self.client.id,
                "allow_timesheets": True,
                "allow_billable": True,
                "sale_line_id": self.line_tm.id,
                "client_approval_partner_id": self.approver.id,
            }
        )

    def test_cancelled_invoice_hours_wait_for_the_client(self):
        """Hours invoiced before the project required approval, whose
        invoice was then cancelled, are not invoiced (core invoices them
        again): they join a letter when the project turns approval on."""
        project = self.project_without_approval()
        line = self.log("2026-03-02", hours=3, project=project)
        self.assertFalse(line.client_approval_state)
        self.assertEqual(self.line_tm.qty_to_invoice, 3)
        invoice = self.invoice()
        invoice.action_post()
        self.assertEqual(line.timesheet_invoice_id, invoice)
        invoice.button_cancel()
        self.assertEqual(invoice.state, "cancel")
        # core: the hours of a cancelled invoice are to invoice again
        self.assertEqual(self.line_tm.qty_to_invoice, 3)
        self.assertFalse(line._client_approval_is_invoiced())

        project.with_user(self.manager_user).client_approval_required = True

        self.assertEqual(line.client_approval_state, "pending")
        self.assertTrue(line.client_approval_id)
        self.assertEqual(line.client_approval_id.project_id, project)
        self.assertEqual(self.line_tm.qty_to_invoice, 0)

    def test_posted_invoice_hours_stay_out_of_letters(self):
        project = self.project_without_approval()
        line = self.log("2026-03-02", hours=3, project=project)
        invoice = self.invoice()
        invoice.action_post()
        self.assertTrue(line._client_approval_is_invoiced())
        project.with_user(self.manager_user).client_approval_required = True
        self.assertFalse(line.client_approval_id)
        self.assertFalse(line.client_approval_state)


@tagged("post_install", "-at_install")
class TestManagerOwnLines(ClientApprovalCase):
    def test_switching_off_does_not_release_own_hours(self):
        """A project manager who logged hours on her own project cannot let
        them skip the client by turning the project's client approval off."""
        own = self.log("2026-03-02", hours=4, employee=self.manager_employee)
        letter = own.client_approval_id
        letter.with_user(self.manager_user).action_submit()
        self.assertEqual(letter.state, "sent")
        project = self.project.with_user(self.manager_user)
        with self.assertRaisesRegex(AccessError, "your own hours") as caught:
            project.client_approval_required = False
        self.assertIn(own.name, str(caught.exception))
        self.env.invalidate_all()
        self.assertTrue(self.project.client_approval_required)
        self.assertEqual(letter.state, "sent")
        self.assertEqual(own.client_approval_state, "pending")
        self.assertEqual(self.line_tm.qty_delivered, 0)

    def test_switching_off_releases_other_employees_hours(self):
        line = self.log("2026-03-02", hours=4)
        letter = line.client_approval_id
        letter.action_submit()
        self.project.with_user(self.manager_user).client_approval_required = False
        self.assertEqual(letter.state, "cancel")
        self.assertFalse(line.client_approval_state)
        self.assertEqual(self.line_tm.qty_delivered, 4)


@tagged("post_install", "-at_install")
class TestActionsGuardedInTheModel(ClientApprovalHttpCase):
    """Each public method of the letter, called over JSON-RPC by the client's
    portal user, the letter's employee and another employee: refused unless
    it is theirs to take, with the database unchanged."""

    LETTER_ACTIONS = (
        "action_submit",
        "action_send",
        "action_approve_internal",
        "action_refuse_internal",
        "action_reset_to_draft",
        "action_cancel",
        "action_send_reminder",
        "action_record_on_behalf",
        "action_view_timesheets",
    )

    def setUp(self):
        super().setUp()
        self.letter = self.sent_letter()

    def snapshot(self):
        self.env.invalidate_all()
        return (
            self.letter.read(["state", "deadline", "submission_count"]),
            [line.client_approval_state for line in self.letter.timesheet_ids],
            [line.client_approval_state for line in self.letter.expense_ids],
            len(self.letter.decision_ids),
        )

    def assertRefused(self, method, model="lift.client.approval", args=None):
        before = self.snapshot()
        result, error = self.call_kw(model, method, args or [self.letter.ids])
        self.assertIsNone(result, f"{method} was accepted")
        self.assertTrue(error, f"{method} was accepted")
        self.assertEqual(self.snapshot(), before, f"{method} changed the letter")
        return error

    def assertWaiversRefused(self):
        """Invoice Anyway, and its undoing, on the letter's hours."""
        ids = self.letter.timesheet_ids.ids
        for method, args in (
            ("client_approval_waive", [ids, "urgent"]),
            ("client_approval_unwaive", [ids]),
        ):
            with self.subTest(method=method):
                self.assertRefused(method, "account.analytic.line", args)

    def test_portal_user_takes_no_action(self):
        self.authenticate("lca_portal", "lca_portal")
        for method in self.LETTER_ACTIONS:
            with self.subTest(method=method):
                error = self.assertRefused(method)
                self.assertNotIn("Traceback", error)
        self.assertWaiversRefused()

    def test_portal_user_cannot_resubmit_a_rejected_letter(self):
        self.decide_all(self.letter, "rejected", comment="wrong week")
        self.assertEqual(self.letter.state, "rejected")
        self.authenticate("lca_portal", "lca_portal")
        for method in ("action_submit", "action_reset_to_draft", "action_cancel"):
            with self.subTest(method=method):
                self.assertRefused(method)

    def test_employee_cannot_cancel_or_release_her_letter(self):
        self.authenticate("lca_employee", "lca_employee")
        for method in (
            "action_send",
            "action_approve_internal",
            "action_refuse_internal",
            "action_cancel",
            "action_send_reminder",
            "action_record_on_behalf",
        ):
            with self.subTest(method=method):
                self.assertRefused(method)
        self.assertWaiversRefused()

    def test_employee_takes_her_letter_back(self):
        """Taking back a letter awaiting the client is the employee's: her
        letter goes back to draft; a cancelled one stays the managers'."""
        self.authenticate("lca_employee", "lca_employee")
        result, error = self.call_kw(
            "lift.client.approval", "action_reset_to_draft", [self.letter.ids]
        )
        self.assertIsNone(error)
        self.assertTrue(result)
        self.env.invalidate_all()
        self.assertEqual(self.letter.state, "draft")
        result, error = self.call_kw(
            "lift.client.approval", "action_submit", [self.letter.ids]
        )
        self.assertIsNone(error)
        self.env.invalidate_all()
        self.assertEqual(self.letter.state, "sent")
        self.letter.with_user(self.manager_user).action_cancel()
        self.assertRefused("action_reset_to_draft")

    def test_other_employee_takes_no_action(self):
        self.authenticate("lca_other", "lca_other")
        for method in self.LETTER_ACTIONS:
            with self.subTest(method=method):
                self.assertRefused(method)

    def test_other_clients_portal_user_takes_no_action(self):
        self.authenticate("lca_portal_other", "lca_portal_other")
        for method in (*self.LETTER_ACTIONS, "client_decide"):
            with self.subTest(method=method):
                args = [self.letter.ids]
                if method == "client_decide":
                    args.append(self.letter._get_pending_decisions("approved"))
                self.assertRefused(method, args=args)
        self.assertWaiversRefused()

    def test_analysis_is_for_managers(self):
        """The project's and the client's Awaiting Approval buttons open the
        analysis: an employee or the client's portal user is refused."""
        for login in ("lca_employee", "lca_portal"):
            self.authenticate(login, login)
            for model, ids in (
                ("project.project", self.project.ids),
                ("res.partner", self.client.ids),
            ):
                with self.subTest(login=login, model=model):
                    self.assertRefused(
                        "action_view_client_approval_analysis", model, [ids]
                    )

    def test_buttons_follow_the_model(self):
        """The form's buttons show what the model allows, for each user."""
        fields_ = [
            "can_submit",
            "can_send",
            "can_reset_to_draft",
            "can_cancel",
            "can_remind",
            "can_record_on_behalf",
        ]
        seen = {
            user.login: self.letter.with_user(user).read(fields_)[0]
            for user in (self.user, self.manager_user)
        }
        self.assertEqual(
            {name: seen["lca_employee"][name] for name in fields_},
            {
                "can_submit": False,
                "can_send": False,
                "can_reset_to_draft": True,
                "can_cancel": False,
                "can_remind": False,
                "can_record_on_behalf": False,
            },
        )
        self.assertEqual(
            {name: seen["lca_manager"][name] for name in fields_},
            {
                "can_submit": False,
                "can_send": False,
                "can_reset_to_draft": True,
                "can_cancel": True,
                "can_remind": True,
                "can_record_on_behalf": True,
            },
        )
        form = self.env["lift.client.approval"].get_view(view_type="form")["arch"]
        for action, field in (
            ("action_submit", "can_submit"),
            ("action_reset_to_draft", "can_reset_to_draft"),
            ("action_cancel", "can_cancel"),
            ("action_send_reminder", "can_remind"),
            ("action_record_on_behalf", "can_record_on_behalf"),
        ):
            self.assertRegex(
                form, rf'name="{action}"[^>]*invisible="not {field}"', action
            )


@tagged("post_install", "-at_install")
class TestClientLanguage(ClientApprovalCase):
    def test_request_button_in_the_approver_language(self):
        """A Dutch approver's request has a Dutch button, whoever sends it."""
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(
            ["lift_client_approval"], ["nl_NL"], overwrite=True
        )
        self.approver.lang = "nl_NL"
        self.user.lang = "en_US"
        letter = self.log("2026-03-02").client_approval_id
        letter.with_user(self.user).with_context(
            mail_notify_force_send=False
        ).action_submit()
        mail = self.mails(letter, "goed te keuren")
        outgoing = self.env["mail.mail"].search([("mail_message_id", "=", mail.id)])
        self.assertEqual(len(outgoing), 1)
        self.assertIn("Bekijk de uren", outgoing.body_html)
        self.assertNotIn("Review the hours", outgoing.body_html)


@tagged("post_install", "-at_install")
class TestRefusalMatrix(ClientApprovalHttpCase):
    """Every public method of the letter, its lines and the approver's
    deputy, called over JSON-RPC by the client's portal user, another
    client's, the employee, another employee and a manager on her own
    letter: each is refused with an AccessError, and the database does not
    change, unless it is that user's to call. The matrix names every public
    method the addon defines: one it does not know fails the test."""

    # what each user may call (on the employee's letter; the manager on her
    # own): every other public method is refused to them
    ALLOWED = {
        "lca_portal": {"client_decide", "client_approval_forward"},
        "lca_portal_other": set(),
        "lca_employee": {
            "action_submit",
            "action_reset_to_draft",
            "action_view_timesheets",
            "action_accept_corrections",
            "action_decline_corrections",
            "client_approval_accept_correction",
            "client_approval_decline_correction",
            "action_client_approval_decline_correction",
        },
        "lca_other": set(),
        "lca_manager": {
            "action_submit",
            "action_reset_to_draft",
            "action_cancel",
            "action_send_reminder",
            "action_renew_access_token",
            "action_view_timesheets",
            "action_accept_corrections",
            "action_decline_corrections",
            "client_approval_accept_correction",
            "client_approval_decline_correction",
            "action_client_approval_decline_correction",
            "set_deputy",
            "action_view_client_approval_analysis",
        },
    }
    # methods that the ORM or another module defines, overridden here
    NOT_ACTIONS = {"create", "write", "unlink", "init", "copy", "get_view"}

    def setUp(self):
        super().setUp()
        self.employee_letter = self.sent_letter()
        own = self.log("2026-03-02", hours=6, employee=self.manager_employee)
        self.own_letter = own.client_approval_id
        self.own_letter.with_user(self.manager_user).action_submit()

    def calls(self, letter):
        """{method: (model, args, kwargs)} for ``letter``."""
        lines = letter.timesheet_ids.ids
        return {
            "client_decide": (
                "lift.client.approval",
                [letter.ids, letter._get_pending_decisions("approved")],
                {"on_behalf_note": "by phone", "signer_name": "Client Approver"},
            ),
            "client_approval_forward": (
                "lift.client.approval",
                [letter.ids, "Carl", "carl@client-co.test"],
                {},
            ),
            "client_approval_waive": ("account.analytic.line", [lines, "urgent"], {}),
            "client_approval_unwaive": ("account.analytic.line", [lines], {}),
            "client_approval_accept_correction": (
                "account.analytic.line",
                [lines],
                {},
            ),
            "client_approval_decline_correction": (
                "account.analytic.line",
                [lines, "no"],
                {},
            ),
            "action_client_approval_decline_correction": (
                "account.analytic.line",
                [lines],
                {},
            ),
            "set_deputy": (
                "res.partner",
                [
                    self.approver.ids,
                    {
                        "client_approval_deputy_id": self.client.id,
                        "client_approval_deputy_from": "2026-03-01",
                        "client_approval_deputy_to": "2026-03-31",
                    },
                ],
                {},
            ),
            "action_view_client_approval_analysis": (
                "res.partner",
                [self.client.ids],
                {},
            ),
            **{
                method: ("lift.client.approval", [letter.ids], {})
                for method in self.letter_methods()
                if method.startswith("action_")
            },
        }

    def letter_methods(self):
        """The public methods the addon defines on the letter."""
        return self.public_methods("lift.client.approval")

    def public_methods(self, model):
        names = set()
        for cls in type(self.env[model]).__mro__:
            if not cls.__module__.startswith("odoo.addons.lift_client_approval."):
                continue
            names |= {
                name
                for name, value in vars(cls).items()
                if callable(value)
                and not name.startswith("_")
                and name not in self.NOT_ACTIONS
            }
        return names

    def test_the_matrix_knows_every_public_method(self):
        defined = (
            self.letter_methods()
            | self.public_methods("account.analytic.line")
            | self.public_methods("hr.expense")
            | self.public_methods("res.partner")
            | {"set_deputy"}
        )
        self.assertEqual(set(self.calls(self.employee_letter)), defined)

    def snapshot(self):
        self.env.invalidate_all()
        letters = self.employee_letter | self.own_letter
        return (
            letters.read(["state", "partner_id", "submission_count", "deadline"]),
            sorted(letters.sudo().mapped("access_token")),
            letters.timesheet_ids.mapped("client_approval_state"),
            letters.expense_ids.mapped("client_approval_state"),
            len(letters.decision_ids),
            self.approver.sudo().client_approval_deputy_id.id,
            self.env["res.partner"].search_count([]),
            self.env["mail.mail"].search_count([]),
        )

    def call(self, model, method, args, kwargs):
        """The error's data ({} when accepted)."""
        method = "write" if method == "set_deputy" else method
        body = self.call_kw_body(model, method, args, kwargs)
        return body.get("error", {}).get("data", {})

    def assertMatrix(self, login, letter):
        self.authenticate(login, login)
        refused = set(self.calls(letter)) - self.ALLOWED[login]
        self.assertTrue(refused)
        for method in sorted(refused):
            model, args, kwargs = self.calls(letter)[method]
            before = self.snapshot()
            with self.subTest(login=login, method=method):
                error = self.call(model, method, args, kwargs)
                self.assertEqual(
                    error.get("name"), "odoo.exceptions.AccessError", error
                )
                self.assertEqual(self.snapshot(), before)

    def test_the_clients_portal_user(self):
        self.assertMatrix("lca_portal", self.employee_letter)

    def test_another_clients_portal_user(self):
        self.assertMatrix("lca_portal_other", self.employee_letter)

    def test_the_employee(self):
        self.assertMatrix("lca_employee", self.employee_letter)

    def test_another_employee(self):
        self.assertMatrix("lca_other", self.employee_letter)

    def test_a_manager_on_her_own_letter(self):
        self.assertMatrix("lca_manager", self.own_letter)

from odoo.tests import tagged
from odoo.tools.misc import format_date

from .browser import DESKTOP, PHONE, BrowserCaseMixin
from .common import ClientApprovalHttpCase

# Every control of the client's answer, and where each must be: on screen,
# not covered, at least 44 px high (a finger's reach), without any sideways
# scrolling of the page or of a table.
MEASURE_CONTROLS = """
(() => {
    const width = document.documentElement.clientWidth;
    const selectors = [
        "#o_client_approval_form label.btn",
        "#o_client_approval_form textarea",
        "#o_client_approval_form input[type=text]",
        "#o_client_approval_form button",
        "#o_client_approval_form .o_client_approval_signature a.btn",
        "#o_client_approval_form .o_client_approval_touch",
        "#o_client_approval_form canvas",
    ];
    const controls = [...document.querySelectorAll(selectors.join(","))]
        .filter((el) => el.getClientRects().length);
    const problems = [];
    for (const el of controls) {
        el.scrollIntoView({block: "center", inline: "nearest"});
        const box = el.getBoundingClientRect();
        const hit = document.elementFromPoint(
            box.left + box.width / 2, box.top + box.height / 2);
        const name = (el.id || el.name || el.getAttribute("for") || el.className)
            + " " + (el.innerText || "").trim().slice(0, 30);
        if (box.left < 0 || box.right > width) {
            problems.push(`${name}: outside the screen (${box.left}-${box.right})`);
        }
        if (!hit || !(hit === el || el.contains(hit))) {
            const where = [box.left, box.top, box.width, box.height]
                .map(Math.round).join(",");
            const by = hit && hit.outerHTML.slice(0, 80);
            problems.push(`${name} at ${where}: covered by ${by}`);
        }
        if (box.height < 44 && el.tagName !== "CANVAS") {
            problems.push(`${name}: ${box.height} px high`);
        }
    }
    const scrolled = [...document.querySelectorAll("#wrap *")]
        .filter((el) => el.scrollWidth > el.clientWidth + 1
            && ["auto", "scroll"].includes(getComputedStyle(el).overflowX))
        .map((el) => el.className);
    return {
        viewport: window.innerWidth,
        width,
        pageWidth: document.documentElement.scrollWidth,
        count: controls.length,
        scrolled,
        problems,
    };
})()
"""

# Is the answer bar (totals, deadline, Approve all, Send) in view here?
ANSWER_BAR_IN_VIEW = """
(() => {
    const bar = document.querySelector(".o_client_approval_actions");
    const box = bar.getBoundingClientRect();
    const button = bar.querySelector(".o_client_approval_approve_all");
    const b = button.getBoundingClientRect();
    const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
    return {
        inView: box.top >= 0 && box.bottom <= window.innerHeight,
        approveAll: !!hit && button.contains(hit),
        text: bar.innerText,
    };
})()
"""

# The focused element, as a keyboard user sees it: which one, whether its
# focus shows (outline or ring) and whether anything covers it.
FOCUSED = """
(() => {
    const el = document.activeElement;
    const shown = el.matches(".btn-check")
        ? document.querySelector(`label[for="${el.id}"]`) : el;
    const style = getComputedStyle(shown);
    const ring = style.boxShadow !== "none"
        || (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0);
    const box = shown.getBoundingClientRect();
    const hit = document.elementFromPoint(
        box.left + box.width / 2, box.top + box.height / 2);
    return {
        id: el.id, name: el.name || "", tag: el.tagName,
        text: (el.innerText || el.value || "").trim().slice(0, 40),
        checked: !!el.checked,
        ring,
        covered: !hit
            || !(hit === shown || shown.contains(hit) || hit.contains(shown)),
        invalid: el.getAttribute("aria-invalid"),
        describedBy: (document.getElementById(
            el.getAttribute("aria-describedby")) || {textContent: null}).textContent,
    };
})()
"""


@tagged("post_install", "-at_install")
class TestClientPageInBrowser(BrowserCaseMixin, ClientApprovalHttpCase):
    """In real headless Chromium: the letter's page on a phone (390 px)
    and on a desktop (1280 px), checked by axe-core (WCAG 2 A/AA) in English
    and in Dutch, and answered with the keyboard alone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"]._load_module_terms(
            ["lift_client_approval"], ["nl_NL"], overwrite=True
        )

    def setUp(self):
        super().setUp()
        # a long description, which must wrap on a phone
        self.log(
            "2026-03-02",
            hours=2,
            name="Workshop with the client's warehouse team on the new picking "
            "process, including the follow-up notes and the agreed actions",
        )
        self.letter = self.sent_letter(days=("2026-03-03",))
        self.letter._portal_ensure_token()
        self.url = self.letter.get_portal_url()

    def assertNoViolation(self, page, where):
        page.settle()
        violations = page.axe_violations()
        self.assertFalse(violations, f"axe-core on {where}: {violations}")

    # ------------------------------------------------------------------
    # a phone and a desktop
    # ------------------------------------------------------------------

    def test_every_control_on_screen(self):
        for size, phone in ((PHONE, True), (DESKTOP, False)):
            with (
                self.subTest(size=size),
                self.browser_page(self.url, size=size, phone=phone) as page,
            ):
                page.wait("!!document.querySelector('.o_web_sign_signature')")
                measured = page.evaluate(MEASURE_CONTROLS)
                self.assertEqual(measured["viewport"], int(size.split("x")[0]))
                self.assertLessEqual(measured["pageWidth"], measured["width"])
                self.assertEqual(measured["scrolled"], [])
                # 3 lines x (approve, reject, comment), name, reference,
                # Approve all, Send, and the signature's own controls
                self.assertGreaterEqual(measured["count"], 13)
                self.assertEqual(measured["problems"], [])

    def test_long_letter_keeps_its_answer_bar_in_view(self):
        self.letter.action_reset_to_draft()
        self.env["account.analytic.line"].create(
            [
                {
                    "name": f"Support call {n}",
                    "project_id": self.project.id,
                    "task_id": self.task.id,
                    "employee_id": self.employee.id,
                    "date": f"2026-03-0{2 + n % 5}",
                    "unit_amount": 0.25,
                }
                for n in range(120)
            ]
        )
        self.letter.action_submit()
        self.assertGreater(len(self.letter.timesheet_ids), 100)
        deadline = format_date(self.env, self.letter.deadline)
        with self.browser_page(self.url, size=PHONE, phone=True) as page:
            for where in (0.25, 0.5, 0.75):
                page.evaluate(
                    f"window.scrollTo(0, document.body.scrollHeight * {where})"
                )
                bar = page.evaluate(ANSWER_BAR_IN_VIEW)
                self.assertTrue(bar["inView"], where)
                self.assertTrue(bar["approveAll"], where)
                self.assertIn("34:00", bar["text"])  # the total hours
                self.assertIn(deadline, bar["text"])

    # ------------------------------------------------------------------
    # axe-core, in both languages, at both widths
    # ------------------------------------------------------------------

    def test_accessible_pages(self):
        decided = self.sent_letter(days=("2026-03-09",), with_expense=False)
        decided._portal_ensure_token()
        self.decide_all(decided)
        cancelled = self.sent_letter(days=("2026-03-16",), with_expense=False)
        cancelled._portal_ensure_token()
        cancelled.action_cancel()
        first = self.letter.timesheet_ids.sorted("date")[0]
        for lang in ("en_US", "nl_NL"):
            self.approver.lang = lang
            self.portal_user.lang = lang
            for size, phone in ((PHONE, True), (DESKTOP, False)):
                where = f"{lang} at {size}"
                with self.browser_page(self.url, size=size, phone=phone) as page:
                    self.assertEqual(
                        page.evaluate("document.documentElement.lang"),
                        lang.replace("_", "-"),
                    )
                    page.wait("!!document.querySelector('.o_web_sign_signature')")
                    self.assertNoViolation(page, f"the letter awaiting, {where}")
                    # sent without JavaScript's check: the server's error page
                    page.evaluate(
                        f"""
                        document.getElementById("reject-t-{first.id}").checked = true;
                        HTMLFormElement.prototype.submit.call(
                            document.getElementById("o_client_approval_form"))"""
                    )
                    page.wait("!!document.querySelector('.o_client_approval_error')")
                    self.assertEqual(
                        page.evaluate(
                            f"document.getElementById('comment-t-{first.id}')"
                            ".getAttribute('aria-describedby')"
                        ),
                        f"comment-error-t-{first.id}",
                    )
                    self.assertNoViolation(page, f"the letter after an error, {where}")
                    for letter, state in (
                        (decided, "decided"),
                        (cancelled, "cancelled"),
                    ):
                        page.open(letter.get_portal_url())
                        self.assertNoViolation(page, f"the {state} letter, {where}")
                with self.browser_page(
                    "/my/client-approvals", login="lca_portal", size=size, phone=phone
                ) as page:
                    self.assertEqual(
                        page.evaluate("document.documentElement.lang"),
                        lang.replace("_", "-"),
                    )
                    self.assertNoViolation(page, f"the list of letters, {where}")
                    measured = page.evaluate(
                        MEASURE_CONTROLS.replace(
                            "#o_client_approval_form", "#o_client_approval_bulk"
                        )
                    )
                    self.assertLessEqual(measured["pageWidth"], measured["width"])
                    self.assertEqual(measured["problems"], [])
        self.assertEqual(self.letter.state, "sent")

    # ------------------------------------------------------------------
    # the keyboard alone
    # ------------------------------------------------------------------

    def tab_to(self, page, element_id, limit=80):
        """Press Tab until the element has the focus; every element passed
        on the way shows its focus and is not covered."""
        for _press in range(limit):
            page.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused["tag"] != "BODY":
                self.assertTrue(focused["ring"], f"no visible focus on {focused}")
                self.assertFalse(focused["covered"], f"covered: {focused}")
            if focused["id"] == element_id:
                return focused
        self.fail(f"Tab never reached #{element_id}")

    def test_answer_with_the_keyboard_alone(self):
        first, second = self.letter.timesheet_ids.sorted("date")
        with self.browser_page(self.url) as page:
            page.wait("!!document.querySelector('.o_web_sign_signature')")
            # reject the first line: its radio group, then the arrow key
            self.tab_to(page, f"approve-t-{first.id}")
            page.press("ArrowRight")
            focused = page.evaluate(FOCUSED)
            self.assertEqual(focused["id"], f"reject-t-{first.id}")
            self.assertTrue(focused["checked"])
            # forget the comment and send: the error is told at the field
            self.tab_to(page, "o_client_approval_signer")
            focused = self.tab_to(page, "o_client_approval_send")
            page.press("Enter")
            focused = page.evaluate(FOCUSED)
            self.assertEqual(focused["id"], f"comment-t-{first.id}")
            self.assertEqual(focused["invalid"], "true")
            self.assertIn("reject", focused["describedBy"])
            page.type("Only two hours were agreed")
            # a reference; then the name (typed over the one given), which
            # signs, and Enter at once: the form waits for the signature
            # and sends the answer as given (not Approve all)
            self.tab_to(page, "o_client_approval_reference")
            page.type("PO-4711")
            page.press("Tab", shift=True)
            self.assertEqual(page.evaluate(FOCUSED)["id"], "o_client_approval_signer")
            page.type("Dana Client")
            page.press("Enter")
            page.wait("!!document.querySelector('.alert-success')")
        self.assertEqual(first.client_approval_state, "rejected")
        self.assertEqual(first.client_approval_comment, "Only two hours were agreed")
        self.assertEqual(second.client_approval_state, "approved")
        self.assertEqual(self.letter.expense_ids.client_approval_state, "approved")
        self.assertEqual(self.letter.state, "rejected")
        self.assertEqual(self.letter.signed_by, "Dana Client")
        self.assertEqual(self.letter.client_reference, "PO-4711")
        self.assertTrue(self.letter.signature)

    def test_correct_with_the_keyboard_on_a_phone(self):
        first = self.letter.timesheet_ids.sorted("date")[0]
        with self.browser_page(self.url, size=PHONE, phone=True) as page:
            page.wait("!!document.querySelector('.o_web_sign_signature')")
            hours_shown = (
                f"document.getElementById('hours-t-{first.id}').getClientRects()"
                ".length > 0"
            )
            # with JavaScript, the hours show once Correct is chosen
            self.assertFalse(page.evaluate(hours_shown))
            self.tab_to(page, f"approve-t-{first.id}")
            page.press("ArrowRight")
            page.press("ArrowRight")
            focused = page.evaluate(FOCUSED)
            self.assertEqual(focused["id"], f"correct-t-{first.id}")
            self.assertTrue(focused["checked"])
            self.assertTrue(page.evaluate(hours_shown))
            measured = page.evaluate(MEASURE_CONTROLS)
            self.assertEqual(measured["problems"], [])
            self.assertLessEqual(measured["pageWidth"], measured["width"])
            self.assertNoViolation(page, "a correction being given, on a phone")
            # the hours are the next field; forget the comment and send
            self.tab_to(page, f"hours-t-{first.id}")
            page.type("1:30")
            self.tab_to(page, "o_client_approval_send")
            page.press("Enter")
            focused = page.evaluate(FOCUSED)
            self.assertEqual(focused["id"], f"comment-t-{first.id}")
            self.assertEqual(focused["invalid"], "true")
            self.assertIn("correct this line", focused["describedBy"])
            page.type("We agreed on an hour and a half")
            self.tab_to(page, "o_client_approval_send")
            page.press("Enter")
            page.wait("!!document.querySelector('.alert-success')")
            self.assertNoViolation(page, "the letter with a correction, on a phone")
        self.assertEqual(first.client_approval_state, "corrected")
        correction = first.client_approval_correction_id
        self.assertEqual((correction.hours_logged, correction.hours_agreed), (2, 1.5))
        self.assertEqual(correction.comment, "We agreed on an hour and a half")
        self.assertEqual(self.letter.state, "corrected")

    def test_inbox_on_a_phone_and_a_desktop(self):
        """The approver's inbox passes the same checks as a letter's page:
        axe-core in both languages, every control on screen and in reach."""
        self.sent_letter(days=("2026-03-09",), with_expense=False)
        Letter = self.env["lift.client.approval"]
        self.assertEqual(len(Letter._get_inbox_letters(self.approver)), 2)
        url = "/my/client-approvals/inbox?access_token=" + Letter._get_inbox_token(
            self.approver
        )
        for lang in ("en_US", "nl_NL"):
            self.approver.lang = lang
            for size, phone in ((PHONE, True), (DESKTOP, False)):
                where = f"the inbox, {lang} at {size}"
                with self.browser_page(url, size=size, phone=phone) as page:
                    page.wait("!!document.querySelector('.o_web_sign_signature')")
                    self.assertEqual(
                        page.evaluate("document.documentElement.lang"),
                        lang.replace("_", "-"),
                    )
                    measured = page.evaluate(MEASURE_CONTROLS)
                    self.assertLessEqual(measured["pageWidth"], measured["width"])
                    self.assertEqual(measured["scrolled"], [])
                    self.assertEqual(measured["problems"], [], where)
                    self.assertNoViolation(page, where)

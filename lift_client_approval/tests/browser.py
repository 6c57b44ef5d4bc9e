"""The client's pages in Odoo's own headless Chromium, driven from the test.

Odoo's ``browser_js`` runs one piece of JavaScript and waits for it; these
tests need more: measure the page and bring the figures back to Python, run
axe-core (the accessibility checker) on it, and press real keys. A key press
sent by the DevTools protocol is a trusted event: it moves the focus and
checks a radio button as a person's keyboard does, which an event made in the
page's JavaScript does not. The browser is Odoo's (``ChromeBrowser``), set up
as ``browser_js`` sets it up, so the pages are served by this test's server
and cursor."""

import json
import os
from contextlib import contextmanager
from pathlib import Path

from odoo.tests.common import ChromeBrowser

from .. import compat

# axe-core comes from npm, as a development dependency of the repository
# (package.json); LCA_AXE_CORE points to another copy of axe.min.js.
AXE_PATH = Path(
    os.environ.get("LCA_AXE_CORE")
    or Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"
)
# WCAG 2.0, 2.1 and 2.2, levels A and AA
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# serious and critical violations, with the first elements of each
AXE_RUN = """
axe.run(CONTEXT, {runOnly: {type: "tag", values: TAGS}, resultTypes: ["violations"]})
  .then((result) => result.violations
    .filter((v) => ["serious", "critical"].includes(v.impact))
    .map((v) => ({
        rule: v.id, impact: v.impact, help: v.help,
        where: v.nodes.slice(0, 5).map(
            (n) => n.target.join(" ") + ": " + n.failureSummary),
    })))
"""
PHONE = "390x844"
DESKTOP = "1280x800"

KEYS = {
    "Tab": ("Tab", 9, ""),
    "Enter": ("Enter", 13, "\r"),
    " ": ("Space", 32, " "),
    "ArrowRight": ("ArrowRight", 39, ""),
    "ArrowLeft": ("ArrowLeft", 37, ""),
    "ArrowDown": ("ArrowDown", 40, ""),
}


class BrowserPage:
    """One tab: evaluate JavaScript, wait for a condition, press keys."""

    def __init__(self, browser, test):
        self.browser = browser
        self.test = test

    def evaluate(self, expression, timeout=60):
        """The value of ``expression`` (awaited when it is a promise), as
        JSON; an exception in the page fails the test."""
        answer = self.browser._websocket_request(
            "Runtime.evaluate",
            params={
                "expression": expression,
                "awaitPromise": True,
                "returnByValue": True,
            },
            timeout=timeout,
        )
        if "exceptionDetails" in answer:
            details = answer["exceptionDetails"]
            error = details.get("exception", {}).get("description", details)
            self.test.fail(f"JavaScript failed: {error}")
        return answer["result"].get("value")

    def wait(self, condition, timeout=30):
        self.test.assertTrue(
            self.browser._wait_ready(condition, timeout=timeout),
            f"the page never met: {condition}",
        )

    def open(self, url):
        self.browser.navigate_to(self.test.base_url() + url, wait_stop=True)
        self.settle()

    def settle(self):
        """Wait until Odoo's frontend started and the chatter, if the page
        has one, is shown: what axe-core checks is then the whole page."""
        self.wait("document.readyState === 'complete'")
        self.wait("!!(window.odoo && odoo.__WOWL_DEBUG__)")
        self.wait(
            "!document.querySelector('.o_portal_chatter') || !!document"
            ".querySelector('#chatterRoot')?.shadowRoot?.querySelector('.o-mail-Chatter')"
        )
        # no colour still fading (a button's transition after a key press):
        # axe-core reads the colours as they are now
        self.wait("document.getAnimations().every((a) => a.playState !== 'running')")

    def press(self, key, shift=False):
        code, key_code, text = KEYS[key]
        params = {
            "key": key,
            "code": code,
            "windowsVirtualKeyCode": key_code,
            "modifiers": 8 if shift else 0,
        }
        down = dict(params, type="keyDown", text=text) if text else None
        self.browser._websocket_request(
            "Input.dispatchKeyEvent", params=down or dict(params, type="rawKeyDown")
        )
        self.browser._websocket_request(
            "Input.dispatchKeyEvent", params=dict(params, type="keyUp")
        )

    def type(self, text):
        self.browser._websocket_request("Input.insertText", params={"text": text})

    def axe_violations(self, context="document"):
        """axe-core's serious and critical WCAG 2 A/AA violations on the page
        as it is now, each with the elements it found."""
        if not self.evaluate("!!window.axe"):
            self.test.assertTrue(
                AXE_PATH.is_file(),
                f"axe-core is missing at {AXE_PATH}: run `npm ci` in the "
                "repository (the test set-up does), or set LCA_AXE_CORE",
            )
            self.evaluate(AXE_PATH.read_text())
        return self.evaluate(
            AXE_RUN.replace("CONTEXT", context).replace("TAGS", json.dumps(AXE_TAGS))
        )


class BrowserCaseMixin:
    """For an HttpCase: ``with self.browser_page(url, size=PHONE) as page``."""

    @contextmanager
    def browser_page(self, url, login=None, size=DESKTOP, phone=False):
        self.browser_size = size
        self.touch_enabled = phone
        browser = ChromeBrowser(self, headless=True)
        with compat.browser_requests(self, browser):
            try:
                self.authenticate(login, login, browser=browser)
                self.http_request_strict_check = True
                self.cr.flush()
                self.cr.clear()
                if phone:
                    width, height = (int(x) for x in size.split("x"))
                    browser._websocket_request(
                        "Emulation.setDeviceMetricsOverride",
                        params={
                            "width": width,
                            "height": height,
                            "deviceScaleFactor": 3,
                            "mobile": True,
                        },
                    )
                page = BrowserPage(browser, self)
                page.open(url)
                yield page
                # what the last page still loads finishes before the browser stops
                page.settle()
                failure = browser._result.done() and browser._result.exception()
                self.assertFalse(
                    failure or browser.had_failure,
                    f"the page logged an error: {failure}",
                )
            finally:
                browser.stop()
                self._wait_remaining_requests()
        self.env.invalidate_all()

"""Take the README's backend pictures from the running demo (make demo).

Logs in as admin with requests, drives headless Chromium over the Chrome
DevTools Protocol with that session, and saves PNGs under docs/img/:

- project-tab.png: the demo project's form with its Client Approval tab open;
- overview.png: the Client Approvals list, without its default filter;
- analysis-graph.png: the Client Approval Analysis' graph, revenue awaiting
  each client by age;
- letter-pdf.png: the first page of an approved letter's PDF;
- portal-phone.png: the client's page of a letter awaiting the client, as a
  phone (390 x 844) shows it, halfway down its lines (PHONE_URL, the letter's
  token link, given by scripts/screenshots.sh).

Run by scripts/screenshots.sh; PORT (default 8069) and DEMO_DB (default
lca_demo) choose the server and the database.
"""

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket

PORT = os.environ.get("PORT", "8069")
DB = os.environ.get("DEMO_DB", "lca_demo")
BASE = f"http://localhost:{PORT}"
OUT = Path(__file__).resolve().parent.parent / "docs" / "img"
PROJECT = "Warehouse System Rollout"
REPORT = "lift_client_approval.report_timesheet_letter"
TIMEOUT = 30


def say(message):
    """Print a progress line like the shell scripts' `say`."""
    print(f"\033[1m[screenshots]\033[0m {message}", flush=True)


def login():
    """Return a requests session logged in as admin on the demo database."""
    session = requests.Session()
    page = session.get(f"{BASE}/web/login", params={"db": DB}, timeout=TIMEOUT)
    page.raise_for_status()
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    reply = session.post(
        f"{BASE}/web/login",
        data={"login": "admin", "password": "admin", "csrf_token": token, "db": DB},
        timeout=TIMEOUT,
    )
    reply.raise_for_status()
    if "/web/login" in reply.url:
        sys.exit("screenshots: could not log in as admin/admin")
    return session


def call_kw(session, model, method, *args, **kwargs):
    """Call a model method through JSON-RPC and return its result."""
    reply = session.post(
        f"{BASE}/web/dataset/call_kw",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": kwargs,
            },
        },
        timeout=TIMEOUT,
    ).json()
    if "error" in reply:
        sys.exit(f"screenshots: {model}.{method}: {reply['error']['data']['message']}")
    return reply["result"]


def approved_letter(session):
    """Return the id of an approved letter, one with expenses if possible."""
    for domain in (
        [("state", "=", "approved"), ("expense_ids", "!=", False)],
        [("state", "=", "approved")],
    ):
        ids = call_kw(session, "lift.client.approval", "search", domain, limit=1)
        if ids:
            return ids[0]
    sys.exit("screenshots: no approved letter in the demo")


def save_pdf_page(session, letter_id, png):
    """Save the first page of the letter's PDF as a PNG."""
    reply = session.get(f"{BASE}/report/pdf/{REPORT}/{letter_id}", timeout=120)
    reply.raise_for_status()
    if not reply.content.startswith(b"%PDF"):
        sys.exit("screenshots: the report did not answer with a PDF")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "letter.pdf"
        pdf.write_bytes(reply.content)
        # -singlefile: the first page only, written as <prefix>.png.
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-singlefile", pdf, png.with_suffix("")],
            check=True,
            timeout=TIMEOUT,
        )


class Browser:
    """Headless Chromium with one tab, driven over the DevTools Protocol."""

    def __init__(self, session_id):
        self.profile = tempfile.mkdtemp(prefix="lca-chromium-")
        self.process = subprocess.Popen(
            [
                "/usr/bin/chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.ws = None
        self.last_id = 0
        try:
            tab = requests.put(
                f"http://127.0.0.1:{self._port()}/json/new?about:blank", timeout=TIMEOUT
            ).json()
            self.ws = websocket.create_connection(
                tab["webSocketDebuggerUrl"], timeout=TIMEOUT, suppress_origin=True
            )
            self.send(
                "Network.setCookie",
                name="session_id",
                value=session_id,
                url=BASE,
                httpOnly=True,
            )
        except BaseException:
            self.close()
            raise

    def _port(self):
        """Wait for Chromium to write the DevTools port into its profile."""
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if port_file.exists() and port_file.read_text().strip():
                return port_file.read_text().split()[0]
            if self.process.poll() is not None:
                sys.exit("screenshots: chromium exited at start")
            time.sleep(0.2)
        sys.exit("screenshots: chromium gave no DevTools port")

    def send(self, method, **params):
        """Send a DevTools command and return its result, skipping events."""
        self.last_id += 1
        self.ws.send(
            json.dumps({"id": self.last_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.last_id:
                if "error" in message:
                    sys.exit(f"screenshots: {method}: {message['error']}")
                return message["result"]

    def evaluate(self, expression):
        """Run JavaScript in the page and return its value."""
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result["result"].get("value")

    def wait_for(self, selector):
        """Wait until the selector matches and Odoo has finished loading."""
        ready = (
            f"!!document.querySelector({json.dumps(selector)})"
            " && !document.querySelector('.o_loading_indicator, .o_blockUI')"
        )
        deadline = time.monotonic() + TIMEOUT
        while not self.evaluate(ready):
            if time.monotonic() > deadline:
                sys.exit(f"screenshots: {selector} did not appear")
            time.sleep(0.25)
        time.sleep(1)  # let fonts, avatars and transitions settle

    def open(self, path, selector, width=1280, height=800, phone=False):
        """Load a page of the demo in a window of that size (a phone's, with
        touch, when ``phone``), wait for selector."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=2 if phone else 1,
            mobile=phone,
        )
        self.send("Emulation.setTouchEmulationEnabled", enabled=phone)
        self.send("Page.navigate", url=BASE + path)
        self.wait_for(selector)

    def click(self, selector, then):
        """Click the first element matching selector and wait for then."""
        if not self.evaluate(
            f"(el => el && (el.click(), true))"
            f"(document.querySelector({json.dumps(selector)}))"
        ):
            sys.exit(f"screenshots: nothing to click at {selector}")
        self.wait_for(then)

    def screenshot(self, png):
        """Save the visible page as a PNG, without Odoo's passing notifications.

        Such as "The page is out of date", which Odoo broadcasts when it builds
        an asset bundle, as it does on the first pages after an update.
        """
        self.evaluate(
            "document.querySelectorAll('.o_notification').forEach(n => n.remove())"
        )
        data = self.send("Page.captureScreenshot", format="png")["data"]
        png.write_bytes(base64.b64decode(data))

    def close(self):
        """Stop Chromium and remove its profile."""
        if self.ws:
            self.ws.close()
        # SIGTERM lets Chromium stop its helper processes; SIGKILL if it hangs.
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=TIMEOUT)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    """Take the pictures of the backend and the PDF letter."""
    OUT.mkdir(parents=True, exist_ok=True)
    session = login()
    projects = call_kw(
        session, "project.project", "search", [("name", "=", PROJECT)], limit=1
    )
    if not projects:
        sys.exit(f"screenshots: no project {PROJECT!r} in the demo")

    browser = Browser(session.cookies["session_id"])
    try:
        browser.open(
            f"/odoo/action-project.open_view_project_all/{projects[0]}",
            ".o_form_view .o_notebook",
        )
        browser.click(
            '.o_notebook a.nav-link[name="client_approval"]',
            '.o_notebook a.nav-link.active[name="client_approval"]',
        )
        browser.screenshot(OUT / "project-tab.png")
        say("saved docs/img/project-tab.png")

        browser.open(
            "/odoo/action-lift_client_approval.lift_client_approval_action_all",
            ".o_list_view .o_data_row",
            width=1920,
            height=1000,
        )
        # Drop the default "Awaiting the Client" filter: letters in every state.
        browser.click(
            ".o_searchview_facet .o_facet_remove",
            "body:not(:has(.o_searchview_facet)):has(.o_list_view .o_data_row)",
        )
        browser.screenshot(OUT / "overview.png")
        say("saved docs/img/overview.png")

        browser.open(
            "/odoo/action-lift_client_approval.action_lift_client_approval_analysis",
            ".o_graph_renderer canvas",
            width=1280,
            height=720,
        )
        browser.screenshot(OUT / "analysis-graph.png")
        say("saved docs/img/analysis-graph.png")

        if os.environ.get("PHONE_URL"):
            # as the client sees it: by the e-mail's link, not logged in
            browser.send("Network.deleteCookies", name="session_id", url=BASE)
            browser.open(
                os.environ["PHONE_URL"], ".o_web_sign_signature", 390, 844, phone=True
            )
            browser.evaluate(
                "document.querySelector('.o_client_approval_line:nth-child(2)')"
                ".scrollIntoView({block: 'start'})"
            )
            time.sleep(0.5)
            browser.screenshot(OUT / "portal-phone.png")
            say("saved docs/img/portal-phone.png")
    finally:
        browser.close()

    save_pdf_page(session, approved_letter(session), OUT / "letter-pdf.png")
    say("saved docs/img/letter-pdf.png")


if __name__ == "__main__":
    main()

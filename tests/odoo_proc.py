"""Odoo in separate processes, as a user runs it: throw-away databases copied
from the template databases that scripts/test.sh builds, `odoo-bin` and its
shell on them, and Odoo served on a free port of localhost. Used by the
repository-level tests, the benchmarks and the load test."""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
# The config files and template databases of the Odoo tree that the scripts
# run on (scripts/common.sh sets these for each tree).
CONF_DIR = Path(os.environ.get("LCA_CONF_DIR") or REPO / ".odoo")
TEMPLATE_NODEMO = os.environ.get("LCA_TEMPLATE_NODEMO", "lca_base_nodemo")
TEMPLATE_DEMO = os.environ.get("LCA_TEMPLATE_DEMO", "lca_base_demo")
ODOO = REPO / "scripts" / "odoo.sh"
DATA_DIR = Path(
    os.environ.get("LCA_DATA_DIR")
    or Path.home() / ".local" / "share" / "lift_client_approval"
)
# For `OdooDatabase.shell`: ``sent_letter(label, lines)`` makes a client, an
# employee and a project with client approval, logs ``lines`` timesheet lines
# ("Work 0", "Work 1", ...) and returns their letter, sent to the client.
SHELL_SENT_LETTER = """
import datetime
env.company.client_approval_trigger = "submit"

def sent_letter(label, lines, hours=1.5):
    client = env["res.partner"].create({
        "name": f"Client {label}", "email": f"client-{label}@example.com"})
    employee = env["hr.employee"].create({
        "name": f"Employee {label}", "work_email": f"employee-{label}@example.com"})
    project = env["project.project"].create({
        "name": f"Project {label}", "partner_id": client.id,
        "allow_timesheets": True, "allow_billable": True,
        "client_approval_required": True, "client_approval_period": "month"})
    env["account.analytic.line"].create([{
        "name": f"Work {line}", "project_id": project.id,
        "employee_id": employee.id, "unit_amount": hours,
        "date": datetime.date(2026, 10, 1 + line % 28)} for line in range(lines)])
    letter = project.client_approval_ids
    letter.action_submit()
    letter._portal_ensure_token()
    return letter
"""


def tree_series():
    """The series of the Odoo tree the tests run on (``19.0``)."""
    release = (Path(os.environ["ODOO_SRC"]) / "odoo" / "release.py").read_text()
    major, minor = re.search(r"version_info = \((\d+), (\d+)", release).groups()
    return f"{major}.{minor}"


LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) ", re.M)


class OdooDatabase:
    """A throw-away database copied from a template (or, without template,
    an existing database), and Odoo run on it."""

    def __init__(self, template, conf, name=None):
        self.name = name or f"lca_pkg_{uuid.uuid4().hex[:8]}"
        self.conf = conf
        if not template:
            return
        self.drop()
        subprocess.run(["createdb", "-T", template, self.name], check=True)
        filestore = DATA_DIR / "filestore" / template
        if filestore.is_dir():
            shutil.copytree(filestore, DATA_DIR / "filestore" / self.name)

    def odoo(self, *args, stdin=None, command=()):
        """Run odoo-bin (or one of its ``command``s); return (exit code, log)."""
        proc = subprocess.run(
            [str(ODOO), *command, "-c", str(self.conf), "-d", self.name, *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=1200,
            env=dict(os.environ),
        )
        return proc.returncode, proc.stdout + proc.stderr

    def shell(self, code):
        return self.odoo("--log-level=warn", stdin=code, command=("shell",))

    def sql(self, query):
        return subprocess.run(
            ["psql", "-d", self.name, "-tAc", query],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    def wait_for_confirmations(self, timeout=120):
        """Wait until the cron worker has sent every queued approval
        confirmation; return whether it did within ``timeout`` seconds."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            pending = self.sql(
                "SELECT count(*) FROM lift_client_approval WHERE confirmation_pending"
            )
            if pending == "0":
                return True
            time.sleep(0.5)
        return False

    def drop(self):
        subprocess.run(
            ["dropdb", "--if-exists", "--force", self.name],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(DATA_DIR / "filestore" / self.name, ignore_errors=True)


def problems(log):
    """The log lines at WARNING level or above."""
    return [
        line
        for line in log.splitlines()
        if (match := LOG_LINE.match(line))
        and match.group(1) in ("WARNING", "ERROR", "CRITICAL")
    ]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OdooServer:
    """Odoo serving one database on a free port of localhost, with a cron
    worker (which sends the approval confirmations), in a process group of
    its own so that it can be killed outright, workers included."""

    def __init__(self, db, *args, workers=2, cron_workers=1, log_path=None):
        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = [
            str(ODOO),
            "-c",
            str(db.conf),
            "-d",
            db.name,
            f"--db-filter=^{db.name}$",
            f"--http-port={self.port}",
            # its websocket process: a port of its own, so that several
            # servers run side by side
            f"--gevent-port={free_port()}",
            f"--workers={workers}",
            f"--max-cron-threads={cron_workers}",
            *(args or ["--log-level=warn"]),
        ]
        self.log_path = log_path
        self.proc = None

    def start(self, timeout=120):
        log = open(self.log_path, "a") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.proc = subprocess.Popen(
            self.args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"Odoo stopped at start (exit {self.proc.returncode})"
                )
            try:
                if requests.get(f"{self.url}/web/health", timeout=2).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"Odoo did not answer on {self.url} within {timeout}s")

    def stop(self):
        """Stop gracefully; kill whatever is left after 30 s."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None

    def kill(self):
        """SIGKILL the server and its workers at once, mid-request or not."""
        if self.proc:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=30)
        self.proc = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

"""Two browsers approve the same timesheet letter at the same moment against a
real Odoo server: exactly one answer takes effect, the other gets a clear
message, and the confirmation e-mail goes out once."""

import re
import subprocess
import threading

import pytest
import requests
from odoo_proc import ODOO, OdooServer

SETUP = """
from odoo import Command
env.company.client_approval_trigger = "submit"
client = env["res.partner"].create({"name": "Race Client", "email": "race@example.com"})
product = env["product.product"].create({
    "name": "Race T&M", "type": "service", "invoice_policy": "delivery",
    "service_type": "timesheet"})
employee = env["hr.employee"].create({"name": "Race Employee"})
project = env["project.project"].create({
    "name": "Race", "partner_id": client.id, "allow_timesheets": True,
    "allow_billable": True, "client_approval_required": True,
    "client_approval_period": "week"})
for week in range(LETTERS):
    line = env["account.analytic.line"].create({
        "name": "Race work", "project_id": project.id, "employee_id": employee.id,
        "date": "2026-03-%02d" % (2 + 7 * week), "unit_amount": 3})
    letter = line.client_approval_id
    letter.action_submit()
    letter._portal_ensure_token()
    print("LETTER", letter.id, letter.access_token)
env.cr.commit()
"""

LETTERS = 3

OVERDUE = """
import datetime
letters = env["lift.client.approval"].search([("state", "=", "sent")])
letters.write({"deadline": datetime.date.today() - datetime.timedelta(days=3)})
env.cr.commit()
print("OVERDUE", len(letters))
"""

DAILY_RUN = """
env["lift.client.approval"]._cron_client_approval_daily()
env.cr.commit()
print("RUN DONE")
"""


@pytest.fixture
def letters_db(make_db):
    """A database with the addon and LETTERS letters awaiting the client."""
    db = make_db(demo=False)
    rc, log = db.odoo("-i", "lift_client_approval", "--stop-after-init")
    assert rc == 0, log[-2000:]
    rc, log = db.shell(SETUP.replace("LETTERS", str(LETTERS)))
    assert rc == 0, log[-2000:]
    letters = [
        (int(letter_id), token)
        for letter_id, token in re.findall(r"^LETTER (\d+) (\S+)$", log, re.M)
    ]
    assert len(letters) == LETTERS
    return db, letters


@pytest.fixture
def server(letters_db):
    db, letters = letters_db
    with OdooServer(db) as odoo:
        yield odoo.url, db, letters


def test_two_browsers_approve_the_same_letter(server):
    url, db, letters = server
    for letter_id, token in letters:
        page_url = f"{url}/my/client-approvals/{letter_id}?access_token={token}"
        browsers = []
        for _index in range(2):
            session = requests.Session()
            page = session.get(page_url, timeout=30).text
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
            browsers.append((session, csrf))
        barrier = threading.Barrier(2)
        answers = []

        def approve(
            session,
            csrf,
            token=token,
            letter_id=letter_id,
            barrier=barrier,
            answers=answers,
        ):
            barrier.wait()
            try:
                response = session.post(
                    f"{url}/my/client-approvals/{letter_id}/decide",
                    data={
                        "csrf_token": csrf,
                        "access_token": token,
                        "round": "1",
                        "approve_all": "1",
                    },
                    timeout=300,
                )
            except requests.RequestException as error:
                answers.append((None, repr(error)))
                return
            answers.append((response.status_code, response.text))

        threads = [threading.Thread(target=approve, args=b) for b in browsers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        statuses = sorted(str(status) for status, _text in answers)
        assert statuses == ["200", "400"], answers
        refused = next(text for status, text in answers if status == 400)
        assert (
            "Somebody else is answering" in refused
            or "not awaiting your answer" in refused
        )
        assert (
            db.sql(f"SELECT state FROM lift_client_approval WHERE id = {letter_id}")
            == "approved"
        )
        assert db.wait_for_confirmations(), "the confirmation was not sent"
        confirmations = db.sql(
            "SELECT count(*) FROM mail_message WHERE model = 'lift.client.approval' "
            f"AND res_id = {letter_id} AND subject LIKE '%approved (Ref%'"
        )
        assert confirmations == "1"


def test_two_daily_runs_at_once_remind_once(letters_db):
    """Two workers run the daily reminders at the same moment: each overdue
    letter is reminded exactly once."""
    db, letters = letters_db
    rc, log = db.shell(OVERDUE)
    assert rc == 0 and f"OVERDUE {LETTERS}" in log, log[-2000:]
    runs = [
        subprocess.Popen(
            [str(ODOO), "shell", "-c", str(db.conf), "-d", db.name, "--log-level=warn"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _index in range(2)
    ]
    outputs = [run.communicate(DAILY_RUN, timeout=300)[0] for run in runs]
    for run, output in zip(runs, outputs, strict=True):
        assert run.returncode == 0 and "RUN DONE" in output, output[-2000:]
    for letter_id, _token in letters:
        reminders = db.sql(
            "SELECT count(*) FROM mail_message WHERE model = 'lift.client.approval' "
            f"AND res_id = {letter_id} AND subject LIKE 'Reminder:%'"
        )
        assert reminders == "1", (letter_id, reminders)
        count = db.sql(
            f"SELECT reminder_count FROM lift_client_approval WHERE id = {letter_id}"
        )
        assert count == "1"

"""Benchmark 4: the daily run (automatic approvals, reminders, digests) with
N letters awaiting the client past their deadline: time and queries per
letter, with one reminder e-mail per letter and with one digest per client.
Run through `run.sh`: the letters are committed to its throw-away
database; the measures are rolled back."""

import datetime
import os
import sys

sys.path.insert(0, os.environ["BENCH_SRC"])
from benchlib import commit_and_vacuum, make_project, measure  # noqa: E402
from table import report  # noqa: E402

LETTERS = int(os.environ.get("BENCH_DAILY_LETTERS", "2000"))
CLIENTS = 20
WEEKS = 10


def setup(env):
    """LETTERS letters awaiting the client, CLIENTS clients with a project
    each, one letter a week per employee; all past their deadline."""
    env.company.client_approval_trigger = "submit"
    per_client = LETTERS // CLIENTS
    monday = datetime.date(2026, 1, 5)
    for client in range(CLIENTS):
        _order, project, employees = make_project(
            env, True, f"daily {client}", period="week"
        )
        env["account.analytic.line"].create(
            [
                {
                    "name": "Work",
                    "project_id": project.id,
                    "employee_id": employees[index % len(employees)].id,
                    "date": monday + datetime.timedelta(weeks=index // len(employees)),
                    "unit_amount": 4,
                }
                for index in range(per_client)
            ]
        )
    letters = env["lift.client.approval"].search([("state", "=", "draft")])
    letters.with_context(lift_client_approval_no_mail=True).action_submit()
    letters.write({"deadline": datetime.date.today() - datetime.timedelta(days=3)})
    env.flush_all()
    return letters


def daily_run(env, letters):
    def run():
        mails = env["mail.mail"].search_count([])
        env["lift.client.approval"]._cron_client_approval_daily()
        env.flush_all()
        return {
            "reminded": env["lift.client.approval"].search_count(
                [("id", "in", letters.ids), ("reminder_count", "=", 1)]
            ),
            "mails": env["mail.mail"].search_count([]) - mails,
        }

    return run


def main(env):
    letters = setup(env)
    commit_and_vacuum(env)
    assert len(letters) == LETTERS and set(letters.mapped("state")) == {"sent"}
    rows, results = [], {"letters": LETTERS, "clients": CLIENTS}
    for key, digest in (("reminders", False), ("digest", True)):
        env.company.client_approval_digest = digest
        env.flush_all()
        result = measure(env, daily_run(env, letters))
        assert result["result"]["reminded"] == LETTERS, result
        expected_mails = CLIENTS if digest else LETTERS
        assert result["result"]["mails"] == expected_mails, result
        result["ms_per_letter"] = round(1000 * result["seconds"] / LETTERS, 2)
        result["queries_per_letter"] = round(result["queries"] / LETTERS, 2)
        results[key] = result
        rows.append(
            [
                key,
                result["seconds"],
                result["ms_per_letter"],
                result["queries"],
                result["queries_per_letter"],
                result["result"]["mails"],
            ]
        )
    report(
        f"Benchmark 4: the daily run with {LETTERS} overdue letters of "
        f"{CLIENTS} clients",
        ["e-mails", "seconds", "ms/letter", "queries", "queries/letter", "mails"],
        rows,
        results,
        "daily",
    )
    env.cr.rollback()


main(env)  # noqa: F821 - `env` is given by odoo shell

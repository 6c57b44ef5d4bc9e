"""Benchmark 5: opening the Client Approval Analysis (grouped by client and
age, as its default graph does) on a large history, next to opening Odoo's
own Timesheets analysis (grouped by project) on the same data, in one run.

The history is made in SQL, copies of one real letter and one real timesheet
line (every column as Odoo wrote it), so that 100,000 letters and 1,000,000
lines take a minute rather than hours: BENCH_LETTERS letters of
BENCH_LINES_PER_LETTER lines each, for BENCH_CLIENTS clients, over two years,
a tenth of them awaiting the client. Run through `run.sh`; committed to its
throw-away database."""

import datetime
import os
import sys

sys.path.insert(0, os.environ["BENCH_SRC"])
from benchlib import RUNS, best_of, commit_and_vacuum, make_project  # noqa: E402
from table import report  # noqa: E402

from odoo.addons.lift_client_approval import compat  # noqa: E402

LETTERS = int(os.environ.get("BENCH_LETTERS", "100000"))
LINES_PER_LETTER = int(os.environ.get("BENCH_LINES_PER_LETTER", "10"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "1000"))


def columns(env, table):
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name <> 'id' ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in env.cr.fetchall()]


def copy_rows(env, table, template_id, count, replace):
    """Insert ``count`` copies of row ``template_id`` of ``table``, with the
    columns in ``replace`` ({column: SQL expression of g, 1..count})."""
    names = columns(env, table)
    # the expressions' own % are SQL's modulo, not placeholders
    values = [replace.get(name, f"t.{name}").replace("%", "%%") for name in names]
    env.cr.execute(
        f"INSERT INTO {table} ({', '.join(names)}) "  # noqa: S608 - names from the catalogue
        f"SELECT {', '.join(values)} FROM {table} t, generate_series(1, %s) g "
        "WHERE t.id = %s",
        [count, template_id],
    )


def setup(env):
    _order, project, employees = make_project(env, True, "analysis")
    clients = env["res.partner"].create(
        [
            {"name": f"Analysis client {index}", "is_company": True}
            for index in range(CLIENTS)
        ]
    )
    line = env["account.analytic.line"].create(
        {
            "name": "Work",
            "project_id": project.id,
            "employee_id": employees[0].id,
            "date": "2025-01-06",
            "unit_amount": 1,
        }
    )
    letter = line.client_approval_id
    letter.with_context(lift_client_approval_no_mail=True).action_submit()
    env.flush_all()
    first_client = clients[0].id
    today = datetime.date.today()
    # letters: a tenth awaiting the client (0 to 60 days), the rest approved
    copy_rows(
        env,
        "lift_client_approval",
        letter.id,
        LETTERS,
        {
            "name": "'BENCH/' || g",
            "partner_id": f"{first_client} + g % {CLIENTS}",
            "date_start": "DATE '2024-01-01' + (g % 700)",
            "date_end": "DATE '2024-01-01' + (g % 700) + 6",
            "state": "CASE WHEN g % 10 = 0 THEN 'sent' ELSE 'approved' END",
            "sent_date": f"TIMESTAMP '{today}' - make_interval(days => g % 60)",
            "first_sent_date": f"TIMESTAMP '{today}' - make_interval(days => g % 60)",
            "deadline": f"DATE '{today}' - (g % 60) + 5",
            "decided_on": "CASE WHEN g % 10 = 0 THEN NULL ELSE "
            f"TIMESTAMP '{today}' - make_interval(days => g % 60) "
            "+ make_interval(days => g % 13) END",
            "decided_by": "CASE WHEN g % 10 = 0 THEN NULL ELSE 'client' END",
            "decided_line_count": str(LINES_PER_LETTER),
            "rejected_line_count": "g % 2",
            "total_hours": str(LINES_PER_LETTER),
            "amount_estimated": str(100 * LINES_PER_LETTER),
            "access_token": "md5(g::text)",
        },
    )
    env.cr.execute(
        "SELECT min(id) FROM lift_client_approval WHERE name LIKE 'BENCH/%%'"
    )
    first_letter = env.cr.fetchone()[0]
    copy_rows(
        env,
        "account_analytic_line",
        line.id,
        LETTERS * LINES_PER_LETTER,
        {
            "client_approval_id": f"{first_letter} + (g - 1) / {LINES_PER_LETTER}",
            "client_approval_state": "'approved'",
            "date": f"DATE '2024-01-01' + (g / {LINES_PER_LETTER} % 700)",
            "employee_id": f"{employees[0].id} + g % {len(employees)}",
        },
    )
    env.invalidate_all()
    commit_and_vacuum(env)


def open_analysis(env):
    return len(
        compat.web_read_group(
            env["lift.client.approval.analysis"],
            [("state", "=", "sent")],
            ["amount:sum", "lead_time_days:avg", "lead_time_median:avg"],
            ["commercial_partner_id", "age_bucket"],
        )["groups"]
    )


def open_analysis_all(env):
    return len(
        compat.web_read_group(
            env["lift.client.approval.analysis"],
            [],
            ["amount:sum", "lead_time_days:avg", "lead_time_median:avg"],
            ["commercial_partner_id"],
        )["groups"]
    )


def open_timesheets(env):
    return len(
        compat.web_read_group(
            env["timesheets.analysis.report"],
            [],
            ["unit_amount:sum", "amount:sum"],
            ["project_id"],
        )["groups"]
    )


def main(env):
    setup(env)
    env.cr.execute("SELECT count(*) FROM lift_client_approval")
    letters = env.cr.fetchone()[0]
    env.cr.execute("SELECT count(*) FROM account_analytic_line")
    lines = env.cr.fetchone()[0]
    best = best_of(
        env,
        {
            "analysis": lambda: open_analysis(env),
            "analysis_all": lambda: open_analysis_all(env),
            "timesheets": lambda: open_timesheets(env),
        },
    )
    base = best["timesheets"]["seconds"]
    rows = [
        [
            label,
            best[key]["seconds"],
            best[key]["queries"],
            best[key]["result"],
            round(best[key]["seconds"] / base, 2),
        ]
        for key, label in (
            ("analysis", "awaiting, by client and age"),
            ("analysis_all", "all letters, by client"),
            ("timesheets", "Odoo's Timesheets analysis, by project"),
        )
    ]
    report(
        f"Benchmark 5: opening the analysis, {letters} letters, {lines} "
        f"timesheet lines (best of {RUNS})",
        ["view", "seconds", "queries", "groups", "ratio"],
        rows,
        {"letters": letters, "lines": lines, "results": best},
        "analysis",
    )


main(env)  # noqa: F821 - `env` is odoo shell's

"""Shared by the benchmarks that run inside `odoo shell`: test data, a measure
that is rolled back afterwards, and measures taken in turns."""

import datetime
import os
import subprocess
import time

from odoo import Command

EMPLOYEES = 10
FIRST_DAY = datetime.date(2026, 1, 5)
# measures of each side, taken in turns; the fastest counts (BENCH_RUNS)
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def make_project(env, approval, label, period="month"):
    """A time-and-materials sale order line, its project (client approval on
    or off) and EMPLOYEES employees."""
    product = env["product.product"].create(
        {
            "name": f"Bench T&M {label}",
            "type": "service",
            "invoice_policy": "delivery",
            "service_type": "timesheet",
            "list_price": 100,
        }
    )
    partner = env["res.partner"].create(
        {"name": f"Bench client {label}", "email": "bench@example.com"}
    )
    order = env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [Command.create({"product_id": product.id})],
        }
    )
    order.action_confirm()
    project = env["project.project"].create(
        {
            "name": f"Bench {label}",
            "partner_id": partner.id,
            "allow_timesheets": True,
            "allow_billable": True,
            "sale_line_id": order.order_line.id,
            "client_approval_required": approval,
            "client_approval_period": period,
        }
    )
    employees = env["hr.employee"].create(
        [{"name": f"Bench {label} {index}"} for index in range(EMPLOYEES)]
    )
    return order, project, employees


def timesheet_vals(project, employees, start, stop, chronological=False):
    """Lines start..stop-1 of half an hour each, spread over the employees:
    over the first half of 2026 in any order, or ``chronological``ly, the way
    a team logs them: four lines an employee a day, day after day."""
    per_day = 4 * len(employees)
    return [
        {
            "name": f"Work {index}",
            "project_id": project.id,
            "employee_id": employees[index % len(employees)].id,
            "date": (
                FIRST_DAY + datetime.timedelta(days=index // per_day)
                if chronological
                else f"2026-{1 + index % 6:02d}-{1 + index % 28:02d}"
            ),
            "unit_amount": 0.5,
        }
        for index in range(start, stop)
    ]


def measure(env, func):
    """Run ``func`` (flushed) and roll it back: seconds, queries and what it
    returned, read before the rollback."""
    savepoint = env.cr.savepoint(flush=True)
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    seconds = time.perf_counter() - start
    queries = env.cr.sql_log_count - queries
    savepoint.rollback()
    savepoint.close()
    env.invalidate_all()
    return {"seconds": round(seconds, 3), "queries": queries, "result": result}


def best_of(env, funcs, runs=None):
    """The fastest of ``runs`` (BENCH_RUNS, 5) measures of each function,
    taken in turns (a, b, a, b, ...) so that both meet the same caches and
    machine load: on 2 cores a single measure varies by several percent."""
    best = {}
    for _run in range(runs or RUNS):
        for key, func in funcs.items():
            result = measure(env, func)
            if key not in best or result["seconds"] < best[key]["seconds"]:
                best[key] = result
    return best


def commit_and_vacuum(env):
    """Commit the test data (on the throw-away database) and let PostgreSQL
    tidy the tables, as autovacuum does on a database in use: rows written
    several times in one transaction are otherwise slower to update again."""
    env.cr.commit()
    subprocess.run(
        ["psql", "-q", "-d", env.cr.dbname, "-c", "VACUUM ANALYZE"], check=True
    )

"""Benchmark 2: delivered quantities and invoice creation for a sale order
with N timesheet lines, client approval on versus off, in one run on the same
database. Run through `run.sh`: the sale orders are committed to its
throw-away database; the measures are rolled back."""

import os
import sys

sys.path.insert(0, os.environ["BENCH_SRC"])
from benchlib import (  # noqa: E402
    RUNS,
    best_of,
    commit_and_vacuum,
    make_project,
    timesheet_vals,
)
from table import report  # noqa: E402

LINES = int(os.environ.get("BENCH_LINES", "20000"))


def setup(env, approval, lines=LINES):
    order, project, employees = make_project(env, approval, f"invoicing {approval}")
    for start in range(0, lines, 2000):
        env["account.analytic.line"].create(
            timesheet_vals(project, employees, start, min(start + 2000, lines))
        )
    if approval:
        letters = env["lift.client.approval"].search([("project_id", "=", project.id)])
        for letter in letters.with_context(lift_client_approval_no_mail=True):
            letter.action_submit()
            letter.client_decide(letter._get_pending_decisions("approved"))
    env.flush_all()
    return order


def invoice(env, order):
    """Recompute the delivered quantity, then invoice: what the user waits
    for when they click Create Invoice."""

    def run():
        order.order_line._compute_qty_delivered()
        env.flush_all()
        move = order._create_invoices()
        return {
            "qty_delivered": order.order_line.qty_delivered,
            "invoiced_lines": env["account.analytic.line"].search_count(
                [("timesheet_invoice_id", "=", move.id)]
            ),
        }

    return run


def main(env):
    for approval in (False, True):  # warm the caches of both paths
        invoice(env, setup(env, approval, lines=50))()
    orders = {"off": setup(env, False), "on": setup(env, True)}
    commit_and_vacuum(env)
    best = best_of(env, {key: invoice(env, order) for key, order in orders.items()})
    for row in best.values():
        assert row["result"]["qty_delivered"] == LINES / 2, row
        assert row["result"]["invoiced_lines"] == LINES, row
    ratio = round(best["on"]["seconds"] / best["off"]["seconds"], 3)
    report(
        f"Benchmark 2: delivered quantities and invoice of {LINES} timesheet "
        f"lines (best of {RUNS})",
        ["approval", "seconds", "queries"],
        [[key, best[key]["seconds"], best[key]["queries"]] for key in ("off", "on")]
        + [["ratio on/off", ratio, "target <= 1.10"]],
        {"lines": LINES, **best, "ratio": ratio, "target": 1.10},
        "invoicing",
    )
    env.cr.rollback()


main(env)  # noqa: F821 - `env` is given by odoo shell

"""Benchmark 1: logging N timesheet lines in batches on a project with client
approval versus one without: what finding or creating the timesheet letters
costs. The lines come day after day, as a team logs them (ten employees, four
lines each a day, weekly letters). Run through `run.sh`: the projects
are committed to its throw-away database; the measures are rolled back."""

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

LINES = int(os.environ.get("BENCH_LOG_LINES", "5000"))
BATCH = int(os.environ.get("BENCH_LOG_BATCH", "100"))


def log_lines(env, project, employees):
    def run():
        Line = env["account.analytic.line"]
        for start in range(0, LINES, BATCH):
            Line.create(
                timesheet_vals(
                    project,
                    employees,
                    start,
                    min(start + BATCH, LINES),
                    chronological=True,
                )
            )
            env.flush_all()
        return {
            "lines": Line.search_count([("project_id", "=", project.id)]),
            "letters": env["lift.client.approval"].search_count(
                [("project_id", "=", project.id)]
            ),
        }

    return run


def main(env):
    funcs = {}
    for key, approval in (("off", False), ("on", True)):
        _order, project, employees = make_project(
            env, approval, f"logging {key}", period="week"
        )
        funcs[key] = log_lines(env, project, employees)
    commit_and_vacuum(env)
    best = best_of(env, funcs)
    assert best["off"]["result"] == {"lines": LINES, "letters": 0}, best["off"]
    assert best["on"]["result"]["lines"] == LINES, best["on"]
    ratio = round(best["on"]["seconds"] / best["off"]["seconds"], 3)
    query_ratio = round(best["on"]["queries"] / best["off"]["queries"], 3)
    target = 1.05 if BATCH > 1 else 1.10
    report(
        f"Benchmark 1: logging {LINES} timesheet lines in batches of {BATCH} "
        f"(best of {RUNS})",
        ["approval", "seconds", "queries", "letters"],
        [
            [
                key,
                best[key]["seconds"],
                best[key]["queries"],
                best[key]["result"]["letters"],
            ]
            for key in ("off", "on")
        ]
        + [["ratio on/off", ratio, query_ratio, f"target <= {target}, 1.3"]],
        {
            "lines": LINES,
            "batch": BATCH,
            **best,
            "ratio": ratio,
            "query_ratio": query_ratio,
            "target": target,
            "query_target": 1.3,
        },
        "logging" if BATCH == 100 else f"logging-batch{BATCH}",
    )
    env.cr.rollback()


main(env)  # noqa: F821 - `env` is given by odoo shell

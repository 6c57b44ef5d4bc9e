"""Benchmark 3: server time and queries of the client's approval page with
10, 100 and 300 lines, next to Odoo's own sale order page (portal, token
link) with as many lines, on the same server and database; and the
approver's inbox with 50 letters of 10 lines, next to the order of 300.

The server's own figures are read from its log: Odoo ends each request's
line with its query count, time in queries and the remaining time. Run
through run.sh (BENCH_DB names a database with the addon installed); the
data it adds stays in that throw-away database."""

import os
import re
import statistics
import sys
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
from odoo_proc import (  # noqa: E402
    CONF_DIR,
    SHELL_SENT_LETTER,
    OdooDatabase,
    OdooServer,
)
from table import report  # noqa: E402

SIZES = [
    int(size) for size in os.environ.get("BENCH_PORTAL_SIZES", "10,100,300").split(",")
]
REQUESTS = int(os.environ.get("BENCH_PORTAL_REQUESTS", "15"))
INBOX_LETTERS = int(os.environ.get("BENCH_INBOX_LETTERS", "50"))
WARMUP = 3

SEED = """
from odoo import Command
product = env["product.product"].create({
    "name": "Bench portal T&M", "type": "service", "invoice_policy": "delivery",
    "service_type": "timesheet", "list_price": 95})
for size in SIZES:
    letter = sent_letter(f"portal-{size}", size, hours=0.25)
    print("PAGE", size, "letter", letter.get_portal_url())
    order = env["sale.order"].create({
        "partner_id": letter.partner_id.id,
        "order_line": [Command.create({
            "product_id": product.id, "name": f"Service {line}",
            "product_uom_qty": 1 + line % 5}) for line in range(size)]})
    order.action_confirm()
    print("PAGE", size, "order", order.get_portal_url())
# one approver with INBOX letters of 10 lines: 5 projects, one employee a
# letter each (monthly letters of October)
inbox_client = env["res.partner"].create(
    {"name": "Client inbox", "email": "client-inbox@example.com"})
employees = env["hr.employee"].create(
    [{"name": f"Employee inbox {n}"} for n in range(INBOX // 5)])
for number in range(5):
    project = env["project.project"].create({
        "name": f"Project inbox {number}", "partner_id": inbox_client.id,
        "allow_timesheets": True, "allow_billable": True,
        "client_approval_required": True, "client_approval_period": "month"})
    env["account.analytic.line"].create([{
        "name": f"Work {line}", "project_id": project.id,
        "employee_id": employee.id, "unit_amount": 0.25,
        "date": datetime.date(2026, 10, 1 + line)}
        for employee in employees for line in range(10)])
    project.client_approval_ids.action_submit()
Letter = env["lift.client.approval"]
assert len(Letter._get_inbox_letters(inbox_client)) == INBOX
inbox_token = Letter._get_inbox_token(inbox_client)
print("PAGE", INBOX, "inbox", "/my/client-approvals/inbox?access_token=" + inbox_token)
env.cr.commit()
"""

# "GET /path?... HTTP/1.1" 200 - <queries> <query time> <remaining time>
PERF = re.compile(r'"GET (\S+) HTTP/[\d.]+" (\d+) - (\d+) ([\d.]+) ([\d.]+)')


def main():
    db = OdooDatabase(None, CONF_DIR / "bench.conf", name=os.environ["BENCH_DB"])
    rc, log = db.shell(
        SHELL_SENT_LETTER
        + SEED.replace("SIZES", repr(SIZES)).replace("INBOX", repr(INBOX_LETTERS))
    )
    assert rc == 0, log[-3000:]
    pages = {
        (int(size), kind): path
        for size, kind, path in re.findall(r"^PAGE (\d+) (\w+) (\S+)$", log, re.M)
    }
    log_path = CONF_DIR / "logs" / "bench-portal.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.write_text("")
    server = OdooServer(
        db,
        "--log-level=warn",
        "--log-handler=werkzeug:INFO",
        workers=0,
        log_path=log_path,
    )
    with server:
        for (size, kind), path in pages.items():
            session = requests.Session()  # each page as a new visitor sees it
            for index in range(WARMUP + REQUESTS):
                response = session.get(
                    f"{server.url}{path}&bench={size}-{kind}-{index}", timeout=120
                )
                assert response.status_code == 200, (path, response.status_code)
                last = {
                    "letter": f"Work {size - 1}",
                    "order": f"Service {size - 1}",
                    "inbox": "Work 9",
                }[kind]
                assert last in response.text, (path, "the last line is not shown")
    measures = {}
    for match in PERF.finditer(log_path.read_text()):
        path, status, queries, query_time, other_time = match.groups()
        bench = re.search(r"bench=(\d+)-(\w+)-(\d+)", path)
        if not bench or int(bench.group(3)) < WARMUP:
            continue
        key = (int(bench.group(1)), bench.group(2))
        measures.setdefault(key, []).append(
            (int(queries), float(query_time) + float(other_time))
        )
    results, rows = {}, []
    for size in SIZES:
        row = {}
        for kind in ("letter", "order"):
            values = measures[(size, kind)]
            assert len(values) == REQUESTS, (size, kind, len(values))
            row[kind] = {
                "queries": max(queries for queries, _seconds in values),
                "ms_median": round(1000 * statistics.median(s for _q, s in values), 1),
            }
        row["ratio"] = round(row["letter"]["ms_median"] / row["order"]["ms_median"], 2)
        results[size] = row
        rows.append(
            [
                size,
                row["letter"]["queries"],
                row["letter"]["ms_median"],
                row["order"]["queries"],
                row["order"]["ms_median"],
                row["ratio"],
            ]
        )
    inbox = measures[(INBOX_LETTERS, "inbox")]
    assert len(inbox) == REQUESTS, ("inbox", len(inbox))
    largest = max(SIZES)
    results["inbox"] = {
        "letters": INBOX_LETTERS,
        "lines": INBOX_LETTERS * 10,
        "queries": max(queries for queries, _seconds in inbox),
        "ms_median": round(1000 * statistics.median(s for _q, s in inbox), 1),
    }
    results["inbox"]["ratio_to_order"] = round(
        results["inbox"]["ms_median"] / results[largest]["order"]["ms_median"], 2
    )
    rows.append(
        [
            f"inbox {INBOX_LETTERS} x 10",
            results["inbox"]["queries"],
            results["inbox"]["ms_median"],
            results[largest]["order"]["queries"],
            results[largest]["order"]["ms_median"],
            results["inbox"]["ratio_to_order"],
        ]
    )
    flat = len({results[size]["letter"]["queries"] for size in SIZES}) == 1
    results["queries_flat"] = flat
    results["target_ratio"] = 1.5
    report(
        f"Benchmark 3: the portal page, server time (median of {REQUESTS}) and "
        "queries, letter versus sale order",
        ["lines", "letter queries", "letter ms", "order queries", "order ms", "ratio"],
        rows + [["queries flat", flat, "", "", "target ratio", "<= 1.5"]],
        results,
        "portal",
    )


if __name__ == "__main__":
    main()

"""Load and concurrency test: Odoo served with workers on localhost, driven
over HTTP the way clients' browsers drive it. Bounded: a fixed number of
requests, each with a timeout, and Odoo stopped at the end whatever happens.

1. CLIENTS clients at once, each opening its own letter by its token link and
   approving it: no error, each letter approved once, one confirmation e-mail
   each; latency p50/p95.
2. SAME_LETTER approvals of one letter at the same moment: one succeeds, the
   others are told the letter is already decided (or being decided), no
   server error, one confirmation e-mail.
3. Odoo killed (SIGKILL, workers included) in the middle of a batch of
   approvals, then restarted: every letter is decided whole or not at all;
   the clients then answer again and every letter ends approved once.

4. What one answer costs the server, one request at a time: COST approvals
   of a letter with a typed signature next to as many acceptances of a
   quotation with a signature by Odoo's own portal (/my/orders/<id>/accept),
   in the same run: queries and time as Odoo logs them for each request.

With SERVERS above 1, as a firm that outgrows one machine runs Odoo: that
many Odoo servers (each with WORKERS workers) on one database and one
filestore, the scheduled actions on the first alone, the clients spread over
all of them, and in 3 one server killed while the others go on: the clients
whose answer it lost answer again on another.

Run through run.sh; prints a table, writes JSON and exits non-zero when a
check fails."""

import contextlib
import json
import os
import re
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from odoo_proc import (  # noqa: E402
    CONF_DIR,
    SHELL_SENT_LETTER,
    TEMPLATE_NODEMO,
    OdooDatabase,
    OdooServer,
)

CLIENTS = int(os.environ.get("LOAD_CLIENTS", "50"))
SAME_LETTER = int(os.environ.get("LOAD_SAME_LETTER", "20"))
KILL_BATCH = int(os.environ.get("LOAD_KILL_BATCH", "30"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "4"))
SERVERS = int(os.environ.get("LOAD_SERVERS", "1"))
COST = int(os.environ.get("LOAD_COST", "10"))
# Requests in flight at once on each server, the others waiting their turn as
# a proxy in front of Odoo holds them (0: none, every client connects at
# once). Odoo's own listen queue is 8 connections a worker: past it, the
# kernel resets new connections.
PROXY_QUEUE = int(os.environ.get("LOAD_PROXY_QUEUE", "0"))
_QUEUES = {}


def in_turn(url):
    """The proxy's queue of ``url``'s server (a lock-free stand-in when
    there is none)."""
    if not PROXY_QUEUE:
        return contextlib.nullcontext()
    base = url.split("/my/", 1)[0]
    return _QUEUES.setdefault(base, threading.BoundedSemaphore(PROXY_QUEUE))


TIMEOUT = 120  # seconds, for any one request
# a typed signature, as the page sends it (a small PNG, base64)
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAHgAAAAoCAIAAAC6iKlyAAABQUlEQVR42u2aSw7DIAxE69z/"
    "znTVigaUgr8YxotuItXMy5iAgUopL4R9XEAA0ACNAGiABmgEQAO0NIjo+3tIkPOGpQv3hE3T"
    "FUK5fOKBfm7/NoqcHF0nvmV8eJQdcS3HA3RtZMabyEi5lWALehbfyCvJZWRz0GyHZrT2UMla"
    "iJEbMwvu8XEqg9YFtPJMMj0rKmqw4LKmtRlKdUBb41gHN//bk6jAw2cSyQBEoP2VR1lbnpcJ"
    "OraWnbOr+IkDepHFgMMwFFNQ6t2E3XjU/3kC9LKrWn0oFuvUqRbEyvs0nZnUrkT+bBxTdR6E"
    "ozUtWRppXebqpTFwO/ipD3qD7vCgS9yUdkDnbQrPQvRU+gN6s1OlB1H+Sqk9wdvyTLo2b0jJ"
    "0jn3o28n0973LE67iB5VssddCYsyFu7eATRAIwAaoI+PNwwwHP9URtbiAAAAAElFTkSuQmCC"
)

SEED = """
from odoo import Command
for group, count, lines in (
    ("clients", CLIENTS, 5), ("same", 1, 5), ("kill", KILL_BATCH, 60),
    ("cost", COST, 5),
):
    for index in range(count):
        letter = sent_letter(f"{group}-{index}", lines)
        print("LETTER", group, letter.id, letter.access_token)
product = env["product.product"].create({
    "name": "Load quotation service", "type": "service", "list_price": 150})
for index in range(COST):
    partner = env["res.partner"].create({
        "name": f"Quotation client {index}", "email": f"quote-{index}@example.com"})
    order = env["sale.order"].create({
        "partner_id": partner.id, "require_signature": True,
        "require_payment": False,
        "order_line": [Command.create({"product_id": product.id, "name": f"Line {n}"})
                       for n in range(5)]})
    order.action_quotation_sent()
    order._portal_ensure_token()
    print("ORDER", order.id, order.access_token)
env.cr.commit()
"""
# "POST /path HTTP/1.1" 200 - <queries> <query time> <remaining time>
PERF = re.compile(r'"POST (\S+) HTTP/[\d.]+" (\d+) - (\d+) ([\d.]+) ([\d.]+)')

CONFIRMATION = "subject LIKE '% approved (Ref %'"


def joined(results, *keys):
    return " / ".join(str(results.get(key)) for key in keys)


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))]


class Client:
    """One client's browser: opens the letter by its link, approves all."""

    def __init__(self, url, letter_id, token):
        self.session = requests.Session()
        self.page_url = f"{url}/my/client-approvals/{letter_id}?access_token={token}"
        self.decide_url = f"{url}/my/client-approvals/{letter_id}/decide"
        self.token = token
        self.csrf = None

    def open(self):
        with in_turn(self.page_url):
            response = self.session.get(self.page_url, timeout=TIMEOUT)
        response.raise_for_status()
        match = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
        round_ = re.search(r'name="round" value="(\d+)"', response.text)
        if not match or not round_:
            raise AssertionError(f"no approval form on {self.page_url}")
        self.csrf, self.round = match.group(1), round_.group(1)

    def approve(self):
        with in_turn(self.decide_url):
            return self._post()

    def _post(self):
        return self.session.post(
            self.decide_url,
            data={
                "csrf_token": self.csrf,
                "access_token": self.token,
                "round": self.round,
                "approve_all": "1",
                "signer_name": "Load Client",
                "signature": f"data:image/png;base64,{SIGNATURE}",
            },
            timeout=TIMEOUT,
        )


class LoadTest:
    def __init__(self):
        self.db = OdooDatabase(
            TEMPLATE_NODEMO,
            CONF_DIR / "test.conf",
            name=os.environ.get("LOAD_DB", "lca_load"),
        )
        self.log_path = CONF_DIR / "logs" / "load-odoo.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path.write_text("")
        self.failures = []
        self.results = {}

    def check(self, ok, message):
        print(("  ok    " if ok else "  FAIL  ") + message)
        if not ok:
            self.failures.append(message)

    def servers(self):
        """SERVERS Odoo servers with workers on the one database (and, by the
        one config file, the one filestore); the scheduled actions run on
        the first alone. The PDF letters take their styles from Odoo itself,
        as on a production server."""
        servers = [
            OdooServer(
                self.db,
                "--log-level=warn",
                "--log-handler=werkzeug:INFO",
                workers=WORKERS,
                cron_workers=1 if index == 0 else 0,
                log_path=self.log_path,
            )
            for index in range(SERVERS)
        ]
        self.db.sql(
            "INSERT INTO ir_config_parameter (key, value) VALUES "
            f"('report.url', '{servers[0].url}') ON CONFLICT (key) DO UPDATE "
            "SET value = EXCLUDED.value"
        )
        return servers

    def seed(self):
        rc, log = self.db.odoo("-i", "lift_client_approval", "--stop-after-init")
        assert rc == 0, log[-3000:]
        code = SHELL_SENT_LETTER + (
            SEED.replace("CLIENTS", str(CLIENTS))
            .replace("KILL_BATCH", str(KILL_BATCH))
            .replace("COST", str(COST))
        )
        rc, log = self.db.shell(code)
        assert rc == 0, log[-3000:]
        self.letters = {}
        for group, letter_id, token in re.findall(
            r"^LETTER (\w+) (\d+) (\S+)$", log, re.M
        ):
            self.letters.setdefault(group, []).append((int(letter_id), token))
        self.orders = [
            (int(order_id), token)
            for order_id, token in re.findall(r"^ORDER (\d+) (\S+)$", log, re.M)
        ]

    def confirmations(self, letter_ids):
        """letter id -> (confirmation messages, e-mails queued for them)."""
        rows = self.db.sql(
            "SELECT m.res_id, count(DISTINCT m.id), count(mm.id) FROM mail_message m "
            "LEFT JOIN mail_mail mm ON mm.mail_message_id = m.id "
            f"WHERE m.model = 'lift.client.approval' AND m.{CONFIRMATION} "
            f"AND m.res_id IN ({','.join(map(str, letter_ids))}) GROUP BY m.res_id"
        )
        counts = {letter_id: (0, 0) for letter_id in letter_ids}
        for row in rows.splitlines():
            res_id, messages, mails = map(int, row.split("|"))
            counts[res_id] = (messages, mails)
        return counts

    def states(self, letter_ids):
        """letter id -> (state, pending lines, approved lines, whether its
        confirmation is queued)."""
        rows = self.db.sql(
            "SELECT l.id, l.state, count(*) FILTER (WHERE t.client_approval_state "
            "= 'pending'), count(*) FILTER (WHERE t.client_approval_state = "
            "'approved'), coalesce(l.confirmation_pending, false) "
            "FROM lift_client_approval l JOIN account_analytic_line t "
            f"ON t.client_approval_id = l.id WHERE l.id IN "
            f"({','.join(map(str, letter_ids))}) GROUP BY l.id, l.state"
        )
        return {
            int(letter_id): (state, int(pending), int(approved), queued == "t")
            for letter_id, state, pending, approved, queued in (
                row.split("|") for row in rows.splitlines()
            )
        }

    def check_approved_once(self, letter_ids, label):
        start = time.perf_counter()
        # each approval starts the job; a start that comes as the job is
        # finishing is dropped by Odoo, and the job's next minute sends it
        sent = self.db.wait_for_confirmations(3 * TIMEOUT)
        seconds = round(time.perf_counter() - start, 1)
        self.results.setdefault("confirmations_sent_after_s", {})[label] = seconds
        self.check(
            sent,
            f"{label}: the cron worker sent the queued confirmations ({seconds} s)",
        )
        states = self.states(letter_ids)
        self.check(
            all(
                state == "approved" and not pending
                for state, pending, *_ in states.values()
            )
            and len(states) == len(letter_ids),
            f"{label}: all {len(letter_ids)} letters approved, no line left pending",
        )
        confirmations = self.confirmations(letter_ids)
        self.check(
            all(messages == 1 for messages, _mails in confirmations.values()),
            f"{label}: exactly one confirmation message per letter",
        )
        self.check(
            all(mails == 1 for _messages, mails in confirmations.values()),
            f"{label}: exactly one confirmation e-mail queued per letter",
        )

    # --------------------------------------------------------------
    def many_clients(self, urls):
        print(
            f"\n1. {CLIENTS} clients approve their own letters at once, "
            f"on {len(urls)} server(s)"
        )
        clients = [
            Client(urls[index % len(urls)], *letter)
            for index, letter in enumerate(self.letters["clients"])
        ]
        barrier = threading.Barrier(len(clients))

        def one(client):
            start = time.perf_counter()
            client.open()
            opened = time.perf_counter() - start
            barrier.wait(timeout=TIMEOUT)
            start = time.perf_counter()
            response = client.approve()
            return response.status_code, opened, time.perf_counter() - start, response

        with ThreadPoolExecutor(len(clients)) as pool:
            answers = list(pool.map(one, clients))
        statuses = [status for status, *_rest in answers]
        self.check(
            statuses == [200] * len(clients),
            f"every approval answered 200 (got {sorted(set(statuses))})",
        )
        self.check(
            all(
                "approved" in response.url or "decided" in response.url
                for *_rest, response in answers
            ),
            "every client was sent back to their letter with the confirmation",
        )
        self.check_approved_once(
            [letter[0] for letter in self.letters["clients"]], "clients"
        )
        opened = [answer[1] for answer in answers]
        approved = [answer[2] for answer in answers]
        self.results["many_clients"] = {
            "clients": len(clients),
            "errors": sum(status != 200 for status in statuses),
            "open_p50_s": round(percentile(opened, 0.5), 3),
            "open_p95_s": round(percentile(opened, 0.95), 3),
            "approve_p50_s": round(percentile(approved, 0.5), 3),
            "approve_p95_s": round(percentile(approved, 0.95), 3),
        }

    def same_letter(self, urls):
        print(
            f"\n2. {SAME_LETTER} approvals of the same letter at the same moment, "
            f"on {len(urls)} server(s)"
        )
        ((letter_id, token),) = self.letters["same"]
        clients = [
            Client(urls[index % len(urls)], letter_id, token)
            for index in range(SAME_LETTER)
        ]
        for client in clients:
            client.open()
        barrier = threading.Barrier(len(clients))

        def one(client):
            barrier.wait(timeout=TIMEOUT)
            return client.approve()

        with ThreadPoolExecutor(len(clients)) as pool:
            responses = list(pool.map(one, clients))
        won = [r for r in responses if r.status_code == 200]
        refused = [r for r in responses if r.status_code == 400]
        self.check(len(won) == 1, f"exactly one approval succeeded ({len(won)})")
        self.check(
            len(refused) == SAME_LETTER - 1
            and all(
                "not awaiting your answer" in r.text
                or "Somebody else is answering" in r.text
                for r in refused
            ),
            f"the {SAME_LETTER - 1} others were told it is already decided "
            f"({len(refused)} refused, statuses "
            f"{sorted({r.status_code for r in responses})})",
        )
        self.check_approved_once([letter_id], "same letter")
        self.results["same_letter"] = {
            "attempts": SAME_LETTER,
            "succeeded": len(won),
            "refused": len(refused),
            "server_errors": sum(r.status_code >= 500 for r in responses),
            "already_decided": sum(
                "not awaiting your answer" in r.text for r in refused
            ),
            "being_decided": sum(
                "Somebody else is answering" in r.text for r in refused
            ),
        }

    def killed_mid_batch(self, servers):
        """The last server is killed; with one server it is restarted and
        the clients answer again on it, with more they answer again on the
        first while the killed one is restarted."""
        server = servers[-1]
        print(
            f"\n3. Odoo killed in the middle of {KILL_BATCH} approvals"
            + (", then restarted" if len(servers) == 1 else ", the others going on")
        )
        letters = self.letters["kill"]
        clients = [
            Client(servers[index % len(servers)].url, *letter)
            for index, letter in enumerate(letters)
        ]
        for client in clients:
            client.open()
        answers = {}

        def one(client):
            try:
                answers[client] = client.approve().status_code
            except requests.RequestException as error:
                answers[client] = type(error).__name__

        pool = ThreadPoolExecutor(8)
        for client in clients:
            pool.submit(one, client)
        # kill once some letters are decided and others are being decided
        ids = ",".join(str(letter_id) for letter_id, _token in letters)
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            done = int(
                self.db.sql(
                    f"SELECT count(*) FROM lift_client_approval WHERE id IN ({ids}) "
                    "AND state = 'approved'"
                )
            )
            if done >= KILL_BATCH // 3:
                break
            time.sleep(0.05)
        in_flight = int(
            self.db.sql(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                f"'{self.db.name}' AND xact_start IS NOT NULL "
                "AND pid <> pg_backend_pid()"
            )
        )
        server.kill()
        pool.shutdown(wait=True)
        states = self.states([letter_id for letter_id, _token in letters])
        whole = [s for s in states.values() if s[0] == "approved" and not s[1]]
        untouched = [s for s in states.values() if s[0] == "sent" and not s[2]]
        self.check(
            len(whole) + len(untouched) == KILL_BATCH,
            f"after the kill: {len(whole)} letters approved whole, "
            f"{len(untouched)} untouched, none half-decided "
            f"({in_flight} transactions were open at the kill)",
        )
        confirmations = self.confirmations([letter_id for letter_id, _token in letters])
        self.check(
            all(
                bool(confirmations[letter_id][0] or states[letter_id][3])
                == (states[letter_id][0] == "approved")
                for letter_id, _token in letters
            ),
            "a confirmation is sent or queued for exactly the approved letters",
        )
        self.results["killed"] = {
            "letters": KILL_BATCH,
            "approved_before_kill": len(whole),
            "untouched": len(untouched),
            "half_decided": KILL_BATCH - len(whole) - len(untouched),
            "transactions_open_at_kill": in_flight,
            "answers": sorted({str(answer) for answer in answers.values()}),
        }
        if len(servers) == 1:
            print("  restarting Odoo; the clients whose answer was lost answer again")
            server.start()
        else:
            print("  the clients whose answer was lost answer again on another server")
        retry = [
            Client(servers[0].url, letter_id, token)
            for letter_id, token in letters
            if states[letter_id][0] == "sent"
        ]
        statuses = []
        for client in retry:
            client.open()
            statuses.append(client.approve().status_code)
        self.check(
            statuses == [200] * len(retry),
            f"the {len(retry)} retried approvals succeeded ({sorted(set(statuses))})",
        )
        self.check_approved_once(
            [letter_id for letter_id, _token in letters], "after restart"
        )
        if server.proc is None:
            server.start()

    def cost_of_one_answer(self, url):
        print(
            f"\n4. what one answer costs, one at a time: {COST} approvals next to "
            f"{COST} acceptances of a quotation (Odoo's portal), both signed"
        )
        mark = len(self.log_path.read_text())
        for letter in self.letters["cost"]:
            client = Client(url, *letter)
            client.open()
            self.check(client.approve().status_code == 200, "an approval answered 200")
        for order_id, token in self.orders:
            session = requests.Session()
            session.get(f"{url}/my/orders/{order_id}?access_token={token}")
            answer = session.post(
                f"{url}/my/orders/{order_id}/accept?access_token={token}",
                json={
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"name": "Load Client", "signature": SIGNATURE},
                },
                timeout=TIMEOUT,
            ).json()
            self.check(
                "error" not in answer and "error" not in answer.get("result", {}),
                f"a quotation was accepted ({str(answer)[:120]})",
            )
        costs = {"approval": [], "quotation": []}
        for path, status, queries, query_time, other_time in PERF.findall(
            self.log_path.read_text()[mark:]
        ):
            path = path.split("?")[0]
            kind = (
                "approval"
                if path.endswith("/decide")
                else "quotation"
                if path.endswith("/accept")
                else None
            )
            if kind and status in ("200", "303"):
                costs[kind].append(
                    (int(queries), float(query_time) + float(other_time))
                )
        self.results["cost"] = {}
        for kind, rows in costs.items():
            self.check(len(rows) == COST, f"{COST} {kind} requests in Odoo's log")
            if rows:
                self.results["cost"][kind] = {
                    "queries_median": statistics.median(q for q, _t in rows),
                    "server_s_median": round(statistics.median(t for _q, t in rows), 3),
                }

    def run(self):
        start = time.time()
        try:
            self.seed()
            servers = self.servers()
            try:
                for server in servers:
                    server.start()
                urls = [server.url for server in servers]
                self.many_clients(urls)
                self.same_letter(urls)
                self.killed_mid_batch(servers)
                if COST:
                    self.cost_of_one_answer(urls[0])
            finally:
                for server in servers:
                    server.stop()
            errors = [
                line
                for line in self.log_path.read_text().splitlines()
                if re.search(r" (ERROR|CRITICAL) ", line)
            ]
            self.check(not errors, f"no error in Odoo's log ({len(errors)} lines)")
        finally:
            self.db.drop()
        self.results["servers"] = SERVERS
        self.results["workers_per_server"] = WORKERS
        self.results["proxy_queue"] = PROXY_QUEUE
        self.results["seconds"] = round(time.time() - start, 1)
        self.results["failures"] = self.failures
        self.report()
        return not self.failures

    def report(self):
        many = self.results.get("many_clients", {})
        same = self.results.get("same_letter", {})
        killed = self.results.get("killed", {})
        print(
            f"\nLoad test ({SERVERS} Odoo server(s) with {WORKERS} workers each, "
            f"one database"
            + (f", {PROXY_QUEUE} requests in flight a server" if PROXY_QUEUE else "")
            + f"), {self.results['seconds']} s"
        )
        rows = [
            ("clients approving at once", many.get("clients")),
            ("  errors", many.get("errors")),
            (
                "  open the letter p50 / p95 (s)",
                joined(many, "open_p50_s", "open_p95_s"),
            ),
            ("  approve p50 / p95 (s)", joined(many, "approve_p50_s", "approve_p95_s")),
            ("approvals of one letter at once", same.get("attempts")),
            (
                "  succeeded / refused / 5xx",
                joined(same, "succeeded", "refused", "server_errors"),
            ),
            ("letters in the killed batch", killed.get("letters")),
            (
                "  approved / untouched / half",
                joined(killed, "approved_before_kill", "untouched", "half_decided"),
            ),
            (
                "one approval: queries / server s",
                joined(
                    self.results.get("cost", {}).get("approval", {}),
                    "queries_median",
                    "server_s_median",
                ),
            ),
            (
                "one quotation accepted: queries / s",
                joined(
                    self.results.get("cost", {}).get("quotation", {}),
                    "queries_median",
                    "server_s_median",
                ),
            ),
            ("checks failed", len(self.failures)),
        ]
        for label, value in rows:
            print(f"{label:<36}{value!s:>16}")
        out = (
            CONF_DIR
            / "benchmarks"
            / ("load.json" if SERVERS == 1 else f"load-{SERVERS}-servers.json")
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(self.results, indent=2))
        print(f"saved {out}")


if __name__ == "__main__":
    sys.exit(0 if LoadTest().run() else 1)

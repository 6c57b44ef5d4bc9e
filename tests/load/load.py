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

Run through run.sh; prints a table, writes JSON and exits non-zero when a
check fails."""

import json
import os
import re
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
TIMEOUT = 120  # seconds, for any one request

SEED = """
for group, count, lines in (
    ("clients", CLIENTS, 5), ("same", 1, 5), ("kill", KILL_BATCH, 60)
):
    for index in range(count):
        letter = sent_letter(f"{group}-{index}", lines)
        print("LETTER", group, letter.id, letter.access_token)
env.cr.commit()
"""

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
        response = self.session.get(self.page_url, timeout=TIMEOUT)
        response.raise_for_status()
        match = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
        round_ = re.search(r'name="round" value="(\d+)"', response.text)
        if not match or not round_:
            raise AssertionError(f"no approval form on {self.page_url}")
        self.csrf, self.round = match.group(1), round_.group(1)

    def approve(self):
        return self.session.post(
            self.decide_url,
            data={
                "csrf_token": self.csrf,
                "access_token": self.token,
                "round": self.round,
                "approve_all": "1",
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

    def server(self):
        """Odoo with workers; the PDF letters it renders take their styles
        from Odoo itself, as on a production server."""
        server = OdooServer(
            self.db,
            "--log-level=warn",
            "--log-handler=werkzeug:INFO",
            workers=WORKERS,
            log_path=self.log_path,
        )
        self.db.sql(
            "INSERT INTO ir_config_parameter (key, value) VALUES "
            f"('report.url', '{server.url}') ON CONFLICT (key) DO UPDATE "
            "SET value = EXCLUDED.value"
        )
        return server

    def seed(self):
        rc, log = self.db.odoo("-i", "lift_client_approval", "--stop-after-init")
        assert rc == 0, log[-3000:]
        code = SHELL_SENT_LETTER + SEED.replace("CLIENTS", str(CLIENTS)).replace(
            "KILL_BATCH", str(KILL_BATCH)
        )
        rc, log = self.db.shell(code)
        assert rc == 0, log[-3000:]
        self.letters = {}
        for group, letter_id, token in re.findall(
            r"^LETTER (\w+) (\d+) (\S+)$", log, re.M
        ):
            self.letters.setdefault(group, []).append((int(letter_id), token))

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
    def many_clients(self, url):
        print(f"\n1. {CLIENTS} clients approve their own letters at once")
        clients = [Client(url, *letter) for letter in self.letters["clients"]]
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

    def same_letter(self, url):
        print(f"\n2. {SAME_LETTER} approvals of the same letter at the same moment")
        ((letter_id, token),) = self.letters["same"]
        clients = [Client(url, letter_id, token) for _index in range(SAME_LETTER)]
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

    def killed_mid_batch(self, server):
        print(
            f"\n3. Odoo killed in the middle of {KILL_BATCH} approvals, then restarted"
        )
        letters = self.letters["kill"]
        clients = [Client(server.url, *letter) for letter in letters]
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
        print("  restarting Odoo; the clients whose answer was lost answer again")
        server.start()
        retry = [
            Client(server.url, letter_id, token)
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

    def run(self):
        start = time.time()
        try:
            self.seed()
            server = self.server()
            with server:
                self.many_clients(server.url)
                self.same_letter(server.url)
                self.killed_mid_batch(server)
            errors = [
                line
                for line in self.log_path.read_text().splitlines()
                if re.search(r" (ERROR|CRITICAL) ", line)
            ]
            self.check(not errors, f"no error in Odoo's log ({len(errors)} lines)")
        finally:
            self.db.drop()
        self.results["seconds"] = round(time.time() - start, 1)
        self.results["failures"] = self.failures
        self.report()
        return not self.failures

    def report(self):
        many = self.results.get("many_clients", {})
        same = self.results.get("same_letter", {})
        killed = self.results.get("killed", {})
        print(f"\nLoad test (Odoo with {WORKERS} workers), {self.results['seconds']} s")
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
            ("checks failed", len(self.failures)),
        ]
        for label, value in rows:
            print(f"{label:<36}{value!s:>16}")
        out = CONF_DIR / "benchmarks" / "load.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(self.results, indent=2))
        print(f"saved {out}")


if __name__ == "__main__":
    sys.exit(0 if LoadTest().run() else 1)

"""A module update keeps every decision: the previous released version of the
addon (taken from git) makes a history, the module is updated to this
version with ``-u``, and nothing that history holds is lost or changed; a
letter that was awaiting the client can still be answered."""

import ast
import re
import subprocess
import tarfile
from pathlib import Path

from odoo_proc import REPO, problems, tree_series

MANIFEST = "lift_client_approval/__manifest__.py"

# Run by the previous version: letters in every state, answers with a
# signature and a reference, a waived line, a posted invoice.
HISTORY = """
import base64, datetime, io
from PIL import Image
from odoo import Command

env = env(context=dict(env.context, lift_client_approval_no_mail=True))
env.company.client_approval_trigger = "submit"
buffer = io.BytesIO()
Image.new("RGB", (60, 20), "white").save(buffer, "PNG")
signature = base64.b64encode(buffer.getvalue()).decode()
client = env["res.partner"].create(
    {"name": "Update Client", "is_company": True, "email": "update@example.com"})
approver = env["res.partner"].create({
    "name": "Update Approver", "parent_id": client.id,
    "email": "update.approver@example.com"})
hour = env.ref("uom.product_uom_hour")
product = env["product.product"].create({
    "name": "Consulting (update)", "type": "service", "invoice_policy": "delivery",
    "service_type": "timesheet", "uom_id": hour.id,
    "list_price": 100.0})
order = env["sale.order"].create({
    "partner_id": client.id,
    "order_line": [Command.create({"product_id": product.id})]})
order.action_confirm()
project = env["project.project"].create({
    "name": "Update Project", "partner_id": client.id, "allow_timesheets": True,
    "allow_billable": True, "sale_line_id": order.order_line.id,
    "client_approval_required": True, "client_approval_partner_id": approver.id,
    "client_approval_period": "week"})

def letter(label, hours):
    employee = env["hr.employee"].create({"name": f"Update {label}"})
    lines = env["account.analytic.line"].create([{
        "name": f"{label} {day}", "project_id": project.id,
        "employee_id": employee.id, "date": datetime.date(2026, 3, 2 + day),
        "unit_amount": amount} for day, amount in enumerate(hours)])
    return lines.client_approval_id

def decide(letter, decisions, **kw):
    lines = letter.timesheet_ids.sorted("date")
    letter.client_decide([
        {"res_model": line._name, "res_id": line.id, "decision": decision,
         "comment": "Not on that day" if decision == "rejected" else ""}
        for line, decision in zip(lines, decisions)], **kw)

letter("draft", [1.0])
env.company.client_approval_trigger = "internal_approval"
letter("submitted", [2.0]).action_submit()
env.company.client_approval_trigger = "submit"
sent = letter("sent", [2.0, 3.0])
sent.action_submit()
sent._portal_ensure_token()
approved = letter("approved", [4.0, 1.0])
approved.action_submit()
decide(approved, ["approved", "approved"], signer_name="Ms Update",
       signature=signature, client_reference="PO-UPDATE")
rejected = letter("rejected", [2.0, 2.5])
rejected.action_submit()
decide(rejected, ["approved", "rejected"], signer_name="Mr Update")
cancelled = letter("cancelled", [1.0])
cancelled.action_submit()
cancelled.action_cancel()
waived = letter("waived", [1.5, 0.5])
waived.action_submit()
waived.timesheet_ids.sorted("date")[:1].client_approval_waive("Agreed by phone")
wizard = env["sale.advance.payment.inv"].with_context(
    active_model="sale.order", active_ids=order.ids).create(
    {"advance_payment_method": "delivered"})
wizard.create_invoices()
order.invoice_ids.action_post()
env.cr.commit()
print("SENT", sent.id, sent.access_token)
print("PROJECT", project.id)
"""

ANSWER = """
letter = env["lift.client.approval"].browse(LETTER_ID)
letter.with_context(lift_client_approval_no_mail=True).client_decide(
    letter._get_pending_decisions("approved"), signer_name="After Update")
env.cr.commit()
print("STATE", letter.state, len(letter.decision_ids))
"""


def previous_release():
    """The newest commit whose manifest carries another version than this
    one's and that the tree's series installs (a version written with a
    series is for that series only): the state of the addon as its previous
    version was released. None when the series has no earlier version (19.0
    begins at 1.6.0)."""
    current = ast.literal_eval((REPO / MANIFEST).read_text())["version"]
    series = tree_series()
    commits = subprocess.run(
        ["git", "-C", str(REPO), "log", "--format=%H", "--", MANIFEST],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    for commit in commits:
        for candidate in (commit, f"{commit}~1"):
            shown = subprocess.run(
                ["git", "-C", str(REPO), "show", f"{candidate}:{MANIFEST}"],
                capture_output=True,
                text=True,
            )
            if shown.returncode:
                continue
            version = ast.literal_eval(shown.stdout)["version"]
            if version == current:
                continue
            if version.count(".") > 2 and not version.startswith(series + "."):
                continue
            return candidate, version
    return None


def export(commit, target):
    """The addon as it was at ``commit``, in ``target``."""
    archive = target / "addon.tar"
    subprocess.run(
        ["git", "-C", str(REPO), "archive", "-o", str(archive), commit]
        + ["lift_client_approval"],
        check=True,
    )
    with tarfile.open(archive) as tar:
        tar.extractall(target / "old", filter="data")
    return target / "old"


def snapshot(db, project_id):
    """What the history holds, as plain rows."""
    return {
        "letters": db.sql(
            "SELECT id, name, state, coalesce(signed_by, ''), "
            "coalesce(client_reference, ''), coalesce(access_token, ''), "
            "coalesce(decided_by, ''), submission_count, deadline, "
            "total_hours, partner_id FROM lift_client_approval ORDER BY id"
        ),
        "lines": db.sql(
            "SELECT id, coalesce(client_approval_state, ''), "
            "coalesce(client_approval_comment, ''), unit_amount, "
            "coalesce(client_approval_id, 0), coalesce(timesheet_invoice_id, 0), "
            "coalesce(client_approval_decision_id, 0), "
            "coalesce(client_approval_waive_reason, '') "
            f"FROM account_analytic_line WHERE project_id = {project_id} ORDER BY id"
        ),
        "decisions": db.sql(
            "SELECT id, letter_id, decided_by, coalesce(signer_name, ''), "
            "coalesce(client_reference, ''), round, approved_count, rejected_count "
            "FROM lift_client_approval_decision ORDER BY id"
        ),
        "signatures": db.sql(
            "SELECT res_id, checksum FROM ir_attachment WHERE "
            "res_model = 'lift.client.approval' AND res_field = 'signature' "
            "ORDER BY res_id"
        ),
        "invoiced": db.sql(
            "SELECT sol.qty_delivered, sol.qty_invoiced, "
            "(SELECT sum(aml.quantity) FROM account_move_line aml "
            " JOIN account_move am ON am.id = aml.move_id "
            " JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = aml.id "
            " WHERE rel.order_line_id = sol.id AND am.state = 'posted') "
            "FROM sale_order_line sol JOIN project_project p "
            f"ON p.sale_line_id = sol.id WHERE p.id = {project_id}"
        ),
    }


def test_update_from_the_previous_version_keeps_everything(make_db, tmp_path):
    """On a series without an earlier version, this version updated onto
    itself: the data files loaded again and nothing lost."""
    previous = previous_release()
    if previous:
        commit, version = previous
        old_addon = export(commit, tmp_path)
    else:
        old_addon = REPO
        version = ast.literal_eval((REPO / MANIFEST).read_text())["version"]
    if version.count(".") == 2:
        version = f"{tree_series()}.{version}"
    db = make_db(False)
    old_path = f"--addons-path={_tree_addons(db.conf)},{old_addon}"
    rc, log = db.odoo(old_path, "-i", "lift_client_approval", "--stop-after-init")
    assert rc == 0, log[-3000:]
    assert (
        db.sql(
            "SELECT latest_version FROM ir_module_module "
            "WHERE name = 'lift_client_approval'"
        )
        == version
    )
    rc, log = db.odoo(old_path, "--log-level=warn", stdin=HISTORY, command=("shell",))
    assert rc == 0, log[-3000:]
    sent_id, token = re.search(r"^SENT (\d+) (\S+)$", log, re.M).groups()
    project_id = re.search(r"^PROJECT (\d+)$", log, re.M).group(1)
    before = snapshot(db, project_id)
    states = {row.split("|")[2] for row in before["letters"].splitlines()}
    assert states == {"draft", "submitted", "sent", "approved", "rejected", "cancel"}
    assert before["signatures"], "the approved letter is signed"
    assert "waived" in before["lines"]
    # invoiced: the approved letter's 5 h, the rejected letter's approved 2 h
    # and the waived 1.5 h
    assert float(before["invoiced"].split("|")[1]) == 8.5

    rc, log = db.odoo("-u", "lift_client_approval", "--stop-after-init")
    assert rc == 0, log[-3000:]
    assert problems(log) == []
    assert snapshot(db, project_id) == before

    rc, log = db.shell(ANSWER.replace("LETTER_ID", sent_id))
    assert rc == 0, log[-3000:]
    assert "STATE approved 1" in log
    assert (
        db.sql(f"SELECT access_token FROM lift_client_approval WHERE id = {sent_id}")
        == token
    )


def _tree_addons(conf):
    """The Odoo tree's addons path of ``conf``, without this repository."""
    text = Path(conf).read_text()
    paths = re.search(r"^addons_path = (.*)$", text, re.M).group(1).split(",")
    return ",".join(p for p in paths if Path(p).resolve() != REPO.resolve())

"""1.2.0: the client asks questions on the letter's page (its chatter).

The client, the employee and the internal approver of every letter that went
to its client follow its discussion, as letters sent from now on do. The
lines' decision is no longer indexed (logging hours costs less)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    for table in ("account_analytic_line", "hr_expense"):
        cr.execute(f"DROP INDEX IF EXISTS {table}__client_approval_state_index")
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["lift.client.approval"].search(
        [("state", "in", ("sent", "rejected", "approved"))]
    )._do_subscribe_conversation()

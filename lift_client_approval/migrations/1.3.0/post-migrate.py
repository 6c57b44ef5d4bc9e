"""1.3.0: the letter no longer has a formatter of hours of its own, and
every answer has its record in the audit trail.

- E-mail templates edited in a database before 18.0.1.2.0 may still call the
  formatter (``object._format_hours(...)``): they call Odoo's
  ``format_duration`` now, which shows hours the same way (H:MM).
- Letters answered before the audit trail existed (before 18.0.1.1.0) get a
  decision record from what the letter knows: its signer, reference and date,
  and the lines the client decided. How the answer was given was not kept:
  the record says so (``decided_by`` "unknown")."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    cr.execute(
        """
        UPDATE mail_template
           SET body_html = replace(
                   body_html::text, 'object._format_hours(', 'format_duration('
               )::jsonb
         WHERE model = 'lift.client.approval'
           AND body_html::text LIKE '%%object._format_hours(%%'
        """
    )
    backfill_decisions(api.Environment(cr, SUPERUSER_ID, {}))


def backfill_decisions(env):
    """One decision record for each letter whose decided lines point to
    none; return the records made."""
    undecided = {}
    for model in ("account.analytic.line", "hr.expense"):
        lines = (
            env[model]
            .with_context(active_test=False)
            .search(
                [
                    ("client_approval_id", "!=", False),
                    ("client_approval_state", "in", ("approved", "rejected")),
                    ("client_approval_decision_id", "=", False),
                ]
            )
        )
        for letter, letter_lines in lines.grouped("client_approval_id").items():
            undecided.setdefault(letter, []).append(letter_lines)
    made = env["lift.client.approval.decision"]
    for letter, groups in undecided.items():
        states = [line.client_approval_state for lines in groups for line in lines]
        decided_on = letter.signed_on or letter.write_date
        decision = made.create(
            {
                "letter_id": letter.id,
                "decided_by": "unknown",
                "partner_id": letter.partner_id.id,
                "signer_name": letter.signed_by or False,
                "client_reference": letter.client_reference or False,
                "decided_on": decided_on,
                "round": letter.submission_count,
                "approved_count": states.count("approved"),
                "rejected_count": states.count("rejected"),
            }
        )
        made |= decision
        for lines in groups:
            lines.write({"client_approval_decision_id": decision.id})
        if not letter.decided_by:
            letter.write({"decided_by": "unknown", "decided_on": decided_on})
    return made

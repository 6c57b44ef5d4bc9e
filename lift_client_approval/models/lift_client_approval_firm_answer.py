from odoo import fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_duration

from .rules import estimated_revenue_sql, get_managers

CORRECTION_ACTIVITY = "lift_client_approval.mail_activity_answer_correction"


class LiftClientApproval(models.Model):
    """The firm's answer to the client's corrections: the employee and the
    managers are asked for it; accepting bills the client's figure and keeps
    the rest of the hours worked as a line written off; declining asks the
    client again about the line, with our answer.

    The lines' ``client_approval_accept_correction`` and
    ``client_approval_decline_correction`` check who answers
    (``_check_can("answer_correction")``), then call these in sudo."""

    # one model, laid out in files by responsibility
    _inherit = "lift.client.approval"  # pylint: disable=consider-merging-classes-inherited

    def action_accept_corrections(self):
        """Accept every correction of the client awaiting our answer."""
        self.ensure_one()
        self._get_corrected_lines().client_approval_accept_correction()
        return True

    def action_decline_corrections(self):
        """Decline every correction of the client awaiting our answer, with
        one answer (the wizard asks for it)."""
        self.ensure_one()
        return self._get_corrected_lines().action_client_approval_decline_correction()

    def _get_corrected_lines(self):
        """The letter's lines whose correction awaits our answer, in the
        user's environment (their methods check who answers); only who may
        answer learns there are none."""
        self._check_can("answer_correction")
        lines = self.sudo().timesheet_ids.filtered(
            lambda line: line.client_approval_state == "corrected"
        )
        return lines.with_env(self.env)

    def _do_ask_for_correction_answer(self):
        """The client corrected lines and answered all the others: the
        employee gets an e-mail, the employee and the client approval managers
        an activity."""
        self._send_mail("lift_client_approval.mail_template_employee_corrected")
        for letter in self.sudo():
            users = letter.employee_id.user_id.filtered("active") | get_managers(
                self.env, letter.company_id
            )
            note = self.env._(
                "%(client)s corrected %(count)s line(s) of %(employee)s's hours "
                "of %(period)s: accept or decline each correction.",
                client=letter.partner_id.name,
                count=letter.corrected_count,
                employee=letter.employee_id.name,
                period=letter.period_label,
            )
            for user in users:
                letter.activity_schedule(
                    CORRECTION_ACTIVITY, user_id=user.id, note=note
                )

    def _do_accept_corrections(self, lines):
        """Accept the client's corrections of ``lines`` (timesheets of this
        letter, corrected): each line keeps the hours the client accepts,
        approved; the rest of the hours worked stays in the employee's
        timesheet as a line of its own, written off, never invoiced."""
        self.ensure_one()
        letter = self.sudo()
        user = self.env.user
        now = fields.Datetime.now()
        hours_off = amount_off = 0.0
        for line in lines.sudo():
            correction = line.client_approval_correction_id
            written_off = line.unit_amount - correction.hours_agreed
            amount = letter._get_estimated_revenue(line, written_off)
            correction.write(
                {
                    "state": "accepted",
                    "answered_by_id": user.id,
                    "answered_on": now,
                    "amount_written_off": amount,
                }
            )
            line._client_approval_set_agreed_hours(correction.hours_agreed)
            line.write({"client_approval_state": "approved"})
            correction.write_off_line_id = line._client_approval_write_off(
                written_off, correction
            )
            hours_off += written_off
            amount_off += amount
        letter.write(
            {
                "written_off_hours": letter.written_off_hours + hours_off,
                "written_off_amount": letter.written_off_amount + amount_off,
            }
        )
        letter.message_post(
            body=self.env._(
                "%(user)s accepted the client's correction of %(count)s line(s): "
                "%(hours)s hours written off, kept in the timesheets and never "
                "invoiced.",
                user=user.name,
                count=len(lines),
                hours=format_duration(hours_off),
            )
        )
        letter._do_settle_corrections()

    def _do_decline_corrections(self, lines, reply):
        """Decline the client's corrections of ``lines``: they go back to the
        client, pending, with ``reply``; the client gets one e-mail with the
        letter's link. Nothing else on the letter changes."""
        self.ensure_one()
        letter = self.sudo()
        lines.sudo().client_approval_correction_id.write(
            {
                "state": "declined",
                "answered_by_id": self.env.uid,
                "answered_on": fields.Datetime.now(),
                "reply": reply,
            }
        )
        lines.sudo().write({"client_approval_state": "pending"})
        letter.message_post(
            body=self.env._(
                "%(user)s declined the client's correction of %(count)s line(s), "
                "which go back to the client: %(reply)s",
                user=self.env.user.name,
                count=len(lines),
                reply=reply,
            )
        )
        if letter.state == "corrected":
            letter.write({"state": "sent"})
        if letter.state == "sent":
            letter._send_mail(
                "lift_client_approval.mail_template_client_correction_declined"
            )
        letter._do_settle_corrections()

    def _do_settle_corrections(self):
        """After our answer to corrections: once none waits for it, the
        activities are done; a letter with nothing left to decide is approved
        and confirmed to the client, as after the client's own approval."""
        self.ensure_one()
        self.invalidate_recordset(
            ["pending_count", "rejected_count", "corrected_count"]
        )
        if self.corrected_count:
            return
        self.sudo().activity_feedback([CORRECTION_ACTIVITY])
        if self.state == "corrected" and not self.pending_count:
            self._do_conclude()

    def _get_estimated_revenue(self, line, hours):
        """``hours`` of timesheet ``line`` at the price of its sales order
        item, estimated as every report estimates revenue."""
        line.flush_recordset(["so_line"])
        self.env.cr.execute(
            SQL(
                """
                SELECT %s
                  FROM account_analytic_line aal
             LEFT JOIN sale_order_line sol ON sol.id = aal.so_line
                 WHERE aal.id = %s
                """,
                estimated_revenue_sql("aal", "sol", hours=hours),
                line.id,
            )
        )
        return self.env.cr.fetchone()[0] or 0.0

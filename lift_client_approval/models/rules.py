"""The rules that the letter, its lines, the reports, the wizards and the
portal share. Each is decided here, once, and named after what it decides;
every other place calls it."""

import re

from odoo.tools import SQL

from .. import compat

# Who manages client approval: sends letters, records answers on the
# client's behalf, waives lines, changes projects' settings.
MANAGER_GROUP = "lift_client_approval.group_client_approval_manager"

# A letter that is still open: its lines may change, be submitted again, or
# be released when its project stops requiring the client's approval.
OPEN_STATES = ("draft", "submitted", "sent", "corrected", "rejected")
# A letter under review: awaiting an answer (ours internally, the
# client's, or ours to the client's corrections). Its lines stay as they
# were sent; its employee may take it back, and nobody reopens its lines.
UNDER_REVIEW_STATES = ("submitted", "sent", "corrected")
# The models whose records are a letter's lines.
LINE_MODELS = ("account.analytic.line", "hr.expense")

# The client's decisions on a line. Invoiceable: approved, waived, or none
# needed (a project without client approval). Undecided: the client is
# asked (again) about the line, and it may be waived or released; a line
# the client corrected is undecided until the firm accepts the correction.
# Written off: the part of a line's hours the client's accepted correction
# took off, kept in the employee's timesheet and never invoiced.
APPROVED_STATES = ("approved", "waived")
INVOICEABLE_STATES = (False, *APPROVED_STATES)
UNDECIDED_STATES = ("pending", "rejected", "corrected")
WRITTEN_OFF_STATE = "written_off"
# The one model whose lines the client may correct: hours, not expenses.
CORRECTABLE_MODEL = "account.analytic.line"
# Lines of a project that would join letters if it required approval:
# never decided by the client.
NEVER_DECIDED_STATES = (False, "pending")

# The longest text a client (or a manager) may give, checked on the server
# and offered to the browser as the fields' maxlength.
TEXT_LIMITS = {
    "signer_name": 128,
    "client_reference": 64,
    "comment": 2000,
    "note": 2000,
}


def is_manager(env):
    """Whether the environment's user manages client approval."""
    return env.user.has_group(MANAGER_GROUP)


def get_managers(env, company=None):
    """The active internal users who manage client approval (of
    ``company``, when given), in sudo: who the managers' activities and
    summaries go to."""
    managers = compat.group_users(env.ref(MANAGER_GROUP).sudo()).filtered(
        lambda user: user.active and not user.share
    )
    if company:
        managers = managers.filtered(lambda user: company in user.company_ids)
    return managers


def is_own(env, employee):
    """Whether ``employee`` (hours, an expense or a letter's) is the
    environment's user: the one rule of "own", read from the employee, never
    from a copy a user could write. The addon's own code (sudo) is nobody's
    employee."""
    return not env.su and env.user in employee.sudo().user_id


def days_overdue_sql(letter, today):
    """Days a letter has been past its deadline while it awaits the client
    (0 otherwise), in SQL: the letter's field and the analysis both read it
    (``letter``: the letters' table alias; ``today``: a date)."""
    return SQL(
        "CASE WHEN %(state)s = 'sent' AND %(deadline)s < %(today)s::date "
        "THEN %(today)s::date - %(deadline)s ELSE 0 END",
        state=SQL.identifier(letter, "state"),
        deadline=SQL.identifier(letter, "deadline"),
        today=today,
    )


def estimated_revenue_sql(line, sale_line, hours=None):
    """The estimated revenue of a timesheet line: its hours (or ``hours``,
    a number, such as those a correction writes off) at the price of its
    sales order item (0 without one). The one estimate of every report
    (``line`` and ``sale_line``: the SQL aliases of the timesheet and of its
    sales order item)."""
    return SQL(
        "%s * coalesce(%s, 0)",
        SQL.identifier(line, "unit_amount") if hours is None else SQL("%s", hours),
        SQL.identifier(sale_line, "price_unit"),
    )


def protected_fields(model, field_names, protected):
    """The fields among ``field_names`` that ``protected`` ({field: what
    sets it}) keeps from a plain write, as (their labels, what sets them),
    or None."""
    names = sorted(set(field_names) & set(protected))
    if not names:
        return None
    labels = ", ".join(
        model._fields[name].get_description(model.env)["string"] for name in names
    )
    return labels, "; ".join(dict.fromkeys(protected[name] for name in names))


# Messages given in more than one place.


def msg_rejection_needs_comment(env):
    return env._("Please say why you reject a line: a rejection needs a comment.")


def msg_correction_needs_comment(env):
    return env._("Please say why you correct a line: a correction needs a comment.")


def msg_say_how_client_answered(env):
    return env._(
        "Say how the client gave their answer: a manager records the client's "
        "answer on their behalf, with a note."
    )


def msg_nothing_to_waive(env):
    return env._(
        "Nothing to waive: these lines are approved, waived already or need no "
        "client approval."
    )


# An address a message can be delivered to: one mailbox, a local part of
# the characters addresses are written with, a domain of labels (letters,
# digits, inner hyphens) ending in a top-level domain of letters.
_LOCAL_RE = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*\Z"
)
_LABEL_RE = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z")
# RFC 5321: at most 254 characters in all, 64 before the @
EMAIL_MAX = 254


def valid_email(value):
    """The address ``value`` names, normalized (lower case), when it is one
    address a message can be delivered to; else None. Odoo's
    ``email_normalize`` tidies an address, it does not check one."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if len(value) > EMAIL_MAX or value.count("@") != 1:
        return None
    local, domain = value.split("@")
    labels = domain.split(".")
    if (
        len(local) > 64
        or not _LOCAL_RE.match(local)
        or len(labels) < 2
        or not all(_LABEL_RE.match(label) for label in labels)
        or not labels[-1].isalpha()
        or len(labels[-1]) < 2
    ):
        return None
    return value.lower()


def email_domain(value):
    """The domain of an address (lower case), or None."""
    address = valid_email(value)
    return address.split("@")[1] if address else None

"""What differs between the Odoo series this addon runs on, 18.0 and 19.0.

The addon is one source for both: the same Python files and XML that both
series accept. The few places where Odoo itself changed between the series
are decided here, once, from ``odoo.release.version_info``; no other module
of the addon looks at the version.
"""

from contextlib import contextmanager

from odoo import Command, models
from odoo.release import version_info

SERIES = tuple(version_info[:2])
V19 = SERIES >= (19, 0)

# The groups of a user, and the groups an action is shown to: ``groups_id``
# on 18.0, ``group_ids`` on 19.0. A group's users, those who have it through
# another group included: 18.0 writes implied groups on the user (``users``);
# 19.0 keeps them apart (``user_ids``) and computes them (``all_user_ids``).
GROUPS_FIELD = "group_ids" if V19 else "groups_id"
GROUP_USERS_FIELD = "all_user_ids" if V19 else "users"

# Expenses an employee still works on, before the firm approves them for
# reimbursement (and re-invoicing). 18.0 reports expenses in sheets; 19.0
# approves them one by one.
OPEN_EXPENSE_STATES = (
    ("draft", "submitted") if V19 else ("draft", "reported", "submitted")
)

if V19:
    from odoo.fields import Domain

    def AND(domains):
        """The conjunction of ``domains`` (lists or 19.0's ``Domain``)."""
        return Domain.AND(domains)

else:
    from odoo.osv.expression import AND  # noqa: F401


def constraints(**definitions):
    """Class attributes that declare the model's SQL constraints, for its
    class body: ``locals().update(compat.constraints(name=(sql, message)))``.
    18.0 reads ``_sql_constraints``; 19.0 ignores it and reads
    ``models.Constraint`` attributes instead. The database's constraint is
    ``<table>_<name>`` on both."""
    if V19:
        return {
            f"_{name}": models.Constraint(definition, message)
            for name, (definition, message) in definitions.items()
        }
    return {
        "_sql_constraints": [
            (name, definition, message)
            for name, (definition, message) in definitions.items()
        ]
    }


def group_users(group):
    """A group's users, those who have it through another group included."""
    return group[GROUP_USERS_FIELD]


def set_group_privilege(env, category_xmlid, group_xmlids):
    """Puts the addon's groups in the user form under their category: on
    18.0 a group has a category; on 19.0 a privilege, in the category, that
    this makes (with its own XML id, removed with the addon)."""
    category = env.ref(category_xmlid)
    groups = env["res.groups"].browse(env.ref(xmlid).id for xmlid in group_xmlids)
    if not V19:
        groups.write({"category_id": category.id})
        return
    module, name = category_xmlid.split(".")
    privilege = env["res.groups.privilege"]._load_records(
        [
            {
                "xml_id": f"{module}.{name.replace('module_category', 'privilege')}",
                "values": {
                    "name": category.name,
                    "sequence": category.sequence,
                    # under the category's application, as Odoo's own
                    # privileges are (Services, beside Timesheets)
                    "category_id": (category.parent_id or category).id,
                },
                "noupdate": False,
            }
        ]
    )
    # the user form offers a privilege's groups in their sequence
    for sequence, group in enumerate(groups, start=1):
        group.write({"privilege_id": privilege.id, "sequence": 10 * sequence})


def give_groups(env, xmlids, group_xmlids, only=False):
    """Gives users (or actions) the groups of ``group_xmlids``; ``only``:
    those groups and no others. The field has another name on each
    series (``GROUPS_FIELD``)."""
    groups = [env.ref(xmlid).id for xmlid in group_xmlids]
    commands = [Command.set(groups)] if only else [Command.link(g) for g in groups]
    for xmlid in xmlids:
        env.ref(xmlid).write({GROUPS_FIELD: commands})


def approve_and_post_expenses(expenses, name):
    """Approves ``expenses`` for reimbursement and posts them, as the firm's
    expense manager does: 18.0 in one sheet (``name``), 19.0 one by one.
    Returns what carries the state: the sheet on 18.0, the expenses on 19.0
    (``posted`` once posted, as 18.0's sheet is ``post``)."""
    env = expenses.env
    if V19:
        expenses.action_submit()
        expenses._do_approve()
        action = expenses.action_post()
        if action:  # paid by the employee: Odoo asks for the entry's date
            wizard = env[action["res_model"]].with_context(**action["context"])
            wizard.browse(action["res_id"]).action_post_entry()
        return expenses
    sheet = env["hr.expense.sheet"].create(
        {
            "name": name,
            "employee_id": expenses.employee_id.id,
            "expense_line_ids": [Command.set(expenses.ids)],
        }
    )
    sheet.action_submit_sheet()
    sheet._do_approve()
    sheet.action_sheet_move_post()
    return sheet


# What a posted expense (19.0) or expense sheet (18.0) shows as its state.
POSTED_EXPENSE_STATE = "posted" if V19 else "post"


@contextmanager
def browser_requests(case, browser):
    """Lets ``browser`` reach the test's server while the block runs (an
    HttpCase's server answers only the requests of the running test): 18.0
    marks them by the case's request key, 19.0 by ``allow_requests``."""
    if V19:
        with case.allow_requests(browser=browser):
            yield
        return
    from odoo.tests.common import TEST_CURSOR_COOKIE_NAME  # noqa: PLC0415

    case.http_request_key = case.canonical_tag + "_browser_page"
    try:
        yield
    finally:
        case.http_request_key = case.canonical_tag
        case.opener.cookies[TEST_CURSOR_COOKIE_NAME] = case.http_request_key


def web_read_group(model, domain, aggregates, groupby):
    """The groups a grouped list of ``model`` asks the server for, all
    levels at once: 19.0 takes the group-by before the aggregates and has
    no ``lazy``."""
    if V19:
        return model.web_read_group(domain, groupby, aggregates)
    return model.web_read_group(domain, aggregates, groupby, lazy=False)

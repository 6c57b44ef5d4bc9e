"""What the models and the reports of the addon share."""

from odoo.tools import SQL

# The client's decisions that let a line be delivered and invoiced: approved,
# waived, or none needed (a project without client approval).
INVOICEABLE_STATES = (False, "approved", "waived")


def estimated_revenue_sql(line, sale_line):
    """The estimated revenue of a timesheet line: its hours at the price of
    its sales order item (0 without one). The one estimate of every report
    (``line`` and ``sale_line``: the SQL aliases of the timesheet and of its
    sales order item)."""
    return SQL(
        "%s * coalesce(%s, 0)",
        SQL.identifier(line, "unit_amount"),
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

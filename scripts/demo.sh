#!/usr/bin/env bash
# Run the demo: Odoo with lift_client_approval and its demo data on
# http://localhost:${PORT:-8069}. Safe to run again: the database is kept and
# the addon updated.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$REPO/scripts/setup.sh"

# a database per tree: lca_demo on the default tree, lca_demo_19_0 on
# /opt/odoo/19.0; a database that another tree made is refused (its modules'
# code would not match)
DB=lca_demo
[ "$ODOO_SRC" = "$(realpath -m "$ODOO_SRC_DEFAULT")" ] \
    || DB="lca_demo_$(basename "$ODOO_SRC" | tr -c 'A-Za-z0-9\n' '_')"
DB=${DEMO_DB:-$DB}
PORT=${PORT:-8069}
CONF="$CONF_DIR/demo.conf"
write_conf "$CONF" demo

case "$(module_state "$DB" lift_client_approval)" in
installed)
    made_by=$(db_comment "$DB")
    if [ -n "$made_by" ] && [ "${made_by%@*}" != "$ODOO_SRC" ]; then
        say "database $DB was made by another Odoo tree (${made_by%@*})."
        say "Give this tree its own database (DEMO_DB=other make demo) or drop $DB."
        exit 1
    fi
    say "updating lift_client_approval in database $DB"
    "$ODOO" -c "$CONF" -d "$DB" -u lift_client_approval --stop-after-init --log-level=warn
    ;;
*)
    ensure_base "$LCA_TEMPLATE_DEMO" "$CONF"
    say "creating database $DB with demo data"
    copy_db "$LCA_TEMPLATE_DEMO" "$DB"
    "$ODOO" -c "$CONF" -d "$DB" -i lift_client_approval --stop-after-init --log-level=warn
    psql -d postgres -qc "COMMENT ON DATABASE \"$DB\" IS '$(odoo_fingerprint | sed "s/'/''/g")'"
    ;;
esac

cat <<TXT

  Odoo with lift_client_approval: http://localhost:$PORT/web?db=$DB
  Log in as the administrator (manager):  admin / admin
  Employees and clients of the demo:       see README.md, "The demo"
  Stop with Ctrl+C.

TXT
exec "$ODOO" -c "$CONF" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" "$@"

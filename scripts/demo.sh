#!/usr/bin/env bash
# Run the demo: Odoo with lift_client_approval and its demo data on
# http://localhost:${PORT:-8069}. Safe to run again: the database is kept and
# the addon updated.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$REPO/scripts/setup.sh"

DB=${DEMO_DB:-lca_demo}
PORT=${PORT:-8069}
CONF="$CONF_DIR/demo.conf"
write_conf "$CONF" demo

case "$(module_state "$DB" lift_client_approval)" in
installed)
    say "updating lift_client_approval in database $DB"
    "$ODOO" -c "$CONF" -d "$DB" -u lift_client_approval --stop-after-init --log-level=warn
    ;;
*)
    ensure_base "$LCA_TEMPLATE_DEMO" "$CONF"
    say "creating database $DB with demo data"
    copy_db "$LCA_TEMPLATE_DEMO" "$DB"
    "$ODOO" -c "$CONF" -d "$DB" -i lift_client_approval --stop-after-init --log-level=warn
    ;;
esac

cat <<TXT

  Odoo with lift_client_approval: http://localhost:$PORT/web?db=$DB
  Log in as the administrator (manager):  admin / admin
  Employees and clients of the demo:       see README.md, "The demo"
  Stop with Ctrl+C.

TXT
exec "$ODOO" -c "$CONF" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" "$@"

#!/usr/bin/env bash
# Run Odoo from $ODOO_SRC with this repository's addon, using the venv that
# scripts/setup.sh made. Extra arguments go to odoo-bin.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo/18.0}
VENV=${VENV:-$REPO/.venv}
command=()
case "${1:-}" in
"" | -*) ;;
*) command=("$1"); shift ;; # a sub-command such as shell goes first
esac
exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" "${command[@]}" \
    --addons-path="$ODOO_SRC/odoo/addons,$REPO" "$@"

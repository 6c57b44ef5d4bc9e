#!/usr/bin/env bash
# Run Odoo from $ODOO_SRC with this repository's addon, using the venv that
# scripts/setup.sh made for that tree. Extra arguments go to odoo-bin.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$REPO/scripts/tree.sh"
odoo_layout || {
    echo "[odoo] $ODOO_SRC holds no Odoo addons; run scripts/setup.sh first" >&2
    exit 1
}
command=()
case "${1:-}" in
"" | -*) ;;
*) command=("$1"); shift ;; # a sub-command such as shell goes first
esac
exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" "${command[@]}" \
    --addons-path="$ODOO_ADDONS_PATH,$REPO" "$@"

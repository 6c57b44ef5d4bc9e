#!/usr/bin/env bash
# The load and concurrency test (see load.py): Odoo with workers on a free
# port of localhost, driven over HTTP, stopped at the end. Exits non-zero
# when a check fails. Results: .odoo/benchmarks/load.json.
#   bash tests/load/run.sh
#   LOAD_CLIENTS=100 LOAD_WORKERS=6 bash tests/load/run.sh
#   LOAD_SERVERS=2 LOAD_WORKERS=2 LOAD_CLIENTS=200 bash tests/load/run.sh
#       (two Odoo servers on one database and one filestore: the full run)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/common.sh"
"$REPO/scripts/setup.sh"
write_conf "$CONF_DIR/test.conf" nodemo
ensure_base "$LCA_TEMPLATE_NODEMO" "$CONF_DIR/test.conf"
timeout 1200 "$VENV/bin/python" "$REPO/tests/load/load.py"

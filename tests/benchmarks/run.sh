#!/usr/bin/env bash
# Run the benchmarks on a throw-away copy of the test template database:
#   bash tests/benchmarks/run.sh            (20,000 lines)
#   BENCH_LINES=2000 bash tests/benchmarks/run.sh
# Results are printed and saved as JSON under .odoo/benchmarks/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/common.sh"
"$REPO/scripts/setup.sh"
CONF="$CONF_DIR/bench.conf"
write_conf "$CONF" nodemo
ensure_base lca_base_nodemo "$CONF"
DB=lca_bench
copy_db lca_base_nodemo "$DB"
"$ODOO" -c "$CONF" -d "$DB" -i lift_client_approval --stop-after-init --log-level=warn
mkdir -p "$CONF_DIR/benchmarks"
export BENCH_OUT="$CONF_DIR/benchmarks/invoicing.json"
"$ODOO" shell -c "$CONF" -d "$DB" --log-level=warn --no-http \
    <"$REPO/tests/benchmarks/bench_invoicing.py"
drop_db "$DB"
say "results: $BENCH_OUT"

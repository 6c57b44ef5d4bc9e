#!/usr/bin/env bash
# The benchmarks, each comparing against standard Odoo on the same database in
# the same run, on a throw-away copy of the test template database:
#   bash tests/benchmarks/run.sh                    # all five
#   bash tests/benchmarks/run.sh logging portal     # some of them
# logging (1; logging1: batches of 1), invoicing (2), portal (3), daily (4),
# analysis (5); sizes through BENCH_*
# variables (see each bench_*.py). Tables are printed; the results are saved
# as JSON under .odoo/benchmarks/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/common.sh"
"$REPO/scripts/setup.sh"
CONF="$CONF_DIR/bench.conf"
write_conf "$CONF" nodemo
ensure_base "$LCA_TEMPLATE_NODEMO" "$CONF"
# a database of its own per tree: two trees can be measured side by side
export BENCH_DB="lca_bench_${TREE_ID//[^A-Za-z0-9]/_}" BENCH_SRC="$REPO/tests/benchmarks"
export BENCH_DIR="$CONF_DIR/benchmarks"
mkdir -p "$BENCH_DIR" "$CONF_DIR/logs"
copy_db "$LCA_TEMPLATE_NODEMO" "$BENCH_DB"
trap 'drop_db "$BENCH_DB"' EXIT
"$ODOO" -c "$CONF" -d "$BENCH_DB" -i lift_client_approval --stop-after-init --log-level=warn
for name in "${@:-logging logging1 invoicing portal daily analysis}"; do
    for bench in $name; do
        say "benchmark: $bench"
        case "$bench" in
        portal) "$VENV/bin/python" "$BENCH_SRC/bench_portal.py" ;;
        logging | invoicing | daily | analysis)
            "$ODOO" shell -c "$CONF" -d "$BENCH_DB" --log-level=warn --no-http \
                <"$BENCH_SRC/bench_$bench.py"
            ;;
        logging1) # a user saving lines one by one
            BENCH_LOG_BATCH=1 BENCH_LOG_LINES=${BENCH_LOG_LINES_ONE:-1000} \
                "$ODOO" shell -c "$CONF" -d "$BENCH_DB" --log-level=warn --no-http \
                <"$BENCH_SRC/bench_logging.py"
            ;;
        *) say "unknown benchmark: $bench" && exit 2 ;;
        esac
    done
done
say "results: $BENCH_DIR/"

#!/usr/bin/env bash
# Odoo's own tests of the modules the addon extends, run twice on the Odoo tree
# in ODOO_SRC: once without the addon, once with it installed. The addon must
# change none of their results. Too slow for every CI run (about half an hour
# on 2 cores); its last result is kept in docs/upstream-tests.md.
#
#   bash tests/upstream/run.sh                       # the six modules
#   UPSTREAM_MODULES=sale_timesheet bash tests/upstream/run.sh
#
# Each run installs the modules on a new database with their tests (at
# install and post install), without demo data, and lists the tests that
# failed or errored; the script prints both lists and exits 1 when they
# differ.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/common.sh"
"$REPO/scripts/setup.sh"
MODULES=${UPSTREAM_MODULES:-sale_timesheet,hr_timesheet,sale_expense,hr_expense,project_hr_expense,sale_project}
CONF="$CONF_DIR/upstream.conf"
OUT="$CONF_DIR/upstream"
mkdir -p "$OUT"
TEST_HTTP_PORT=${TEST_HTTP_PORT:-8179} write_conf "$CONF" nodemo
tags=$(sed 's/\(^\|,\)/\1\//g' <<<"$MODULES")

# run NAME EXTRA_MODULE: install the modules (and EXTRA_MODULE) with tests
run() {
    local name=$1 extra=$2 db="lca_upstream_$1" log="$OUT/$1.log"
    drop_db "$db"
    say "$name: installing $MODULES${extra:+,$extra} with Odoo's tests ($log)"
    set +e
    "$ODOO" -c "$CONF" -d "$db" -i "$MODULES${extra:+,$extra}" --test-enable \
        --test-tags="$tags" --stop-after-init --log-level=test >"$log" 2>&1
    set -e
    drop_db "$db"
    grep -oE "odoo\.addons\.[a-z_0-9.]+: (FAIL|ERROR): [^ ]+" "$log" | sort -u >"$OUT/$1.failed" || true
    grep -cE "odoo\.addons\.[a-z_0-9]+\.tests\.[a-z_0-9.]+: Starting " "$log" >"$OUT/$1.count" || true
    say "$name: $(cat "$OUT/$1.count") tests started, $(wc -l <"$OUT/$1.failed") failed"
}
start=$(date +%s)
run without ""
run with lift_client_approval
echo "tree: $ODOO_SRC ($ODOO_LAYOUT), $(odoo_fingerprint)"
echo "modules: $MODULES"
for name in without with; do
    echo "$name the addon: $(cat "$OUT/$name.count") tests started, $(wc -l <"$OUT/$name.failed") failed or errored"
    sed 's/^/  /' "$OUT/$name.failed"
done
say "done in $(($(date +%s) - start))s"
if diff -u "$OUT/without.failed" "$OUT/with.failed" && \
    [ "$(cat "$OUT/without.count")" = "$(cat "$OUT/with.count")" ]; then
    echo "same results with and without lift_client_approval"
else
    echo "the results differ with lift_client_approval"
    exit 1
fi

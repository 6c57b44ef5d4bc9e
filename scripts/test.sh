#!/usr/bin/env bash
# Run every test: the addon's tests in Odoo's own runner (a fresh database),
# the same tests again through pytest-odoo, the repository-level tests
# (install, upgrade, uninstall, concurrency, translations) and the load test
# (many clients at once against Odoo with workers). Safe to run again.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$REPO/scripts/setup.sh"

DB=${TEST_DB:-lca_test}
CONF="$CONF_DIR/test.conf"
CONF_DEMO="$CONF_DIR/test-demo.conf"
LOG_DIR="$CONF_DIR/logs"
mkdir -p "$LOG_DIR"
write_conf "$CONF" nodemo
write_conf "$CONF_DEMO" demo
# the two templates build side by side on a fresh machine (one core each)
ensure_base lca_base_nodemo "$CONF" &
nodemo=$!
ensure_base lca_base_demo "$CONF_DEMO" &
demo=$!
wait "$nodemo"
wait "$demo"
start=$(date +%s)

say "1/4 the addon's tests in Odoo's test runner (database $DB)"
copy_db lca_base_nodemo "$DB"
log="$LOG_DIR/odoo-tests.log"
set +e
"$ODOO" -c "$CONF" -d "$DB" -i lift_client_approval --test-enable \
    --test-tags=/lift_client_approval --stop-after-init --log-level=test >"$log" 2>&1
rc=$?
set -e
grep -E "(ERROR|FAIL|CRITICAL)" "$log" || true
ran=$(grep -cE "odoo\.addons\.lift_client_approval\.tests\.[a-z_]+: Starting " "$log" || true)
failed=$(grep -cE "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$log" || true)
echo "odoo runner: $ran tests started, exit code $rc, $failed error lines (log: $log)"
[ "$rc" = 0 ] && [ "$failed" = 0 ] && echo "odoo: $ran passed, 0 failed"
if [ "$rc" != 0 ] || [ "$failed" != 0 ] || [ "$ran" = 0 ]; then
    say "Odoo's test runner failed"
    exit 1
fi

say "2/4 the addon's tests through pytest-odoo"
cd "$REPO"
TEST_DB="$DB" "$VENV/bin/pytest" -p no:cacheprovider --odoo-database="$DB" --odoo-config="$CONF" \
    --odoo-http lift_client_approval/tests -q

say "3/4 repository-level tests (packaging, concurrency, translations)"
TEST_DB="$DB" "$VENV/bin/pytest" -p no:cacheprovider --odoo-database="$DB" --odoo-config="$CONF" \
    tests -q
say "4/4 load and concurrency: Odoo with workers, driven over HTTP (tests/load)"
timeout 1200 "$VENV/bin/python" "$REPO/tests/load/load.py"
say "all tests passed in $(( $(date +%s) - start ))s"

#!/usr/bin/env bash
# Run every test: the addon's tests through pytest-odoo on the Odoo tree in
# ODOO_SRC (the addon installed first in a fresh database, its install log
# checked), the repository-level tests (install, upgrade, uninstall,
# concurrency, translations) and the load test (many clients at once against
# Odoo with workers); and, side by side with the first two, on each further
# tree in ODOO_SRC_ALSO (default: the 18.0 nightly of 2025-05-06 at
# /opt/odoo/18.0-20250506 and Odoo 19.0 at /opt/odoo/19.0), the addon
# installed (its log checked), its tests in Odoo's own runner, and on a tree
# of another series the repository's tests of what differs per series
# (update from the previous version, install with and without demo data,
# uninstall, the series' wheel).
# Safe to run again.
#
#   bash scripts/test.sh                  # all of the above
#   bash scripts/test.sh --odoo-runner    # only what runs on a further tree
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ONLY_RUNNER=0
[ "${1:-}" = --odoo-runner ] && ONLY_RUNNER=1
"$REPO/scripts/setup.sh"

DB=${TEST_DB:-lca_test}
CONF="$CONF_DIR/test.conf"
CONF_DEMO="$CONF_DIR/test-demo.conf"
LOG_DIR="$CONF_DIR/logs"
mkdir -p "$LOG_DIR"
write_conf "$CONF" nodemo
write_conf "$CONF_DEMO" demo
start=$(date +%s)
# the two templates build side by side on a fresh machine (one core each)
ensure_base "$LCA_TEMPLATE_NODEMO" "$CONF" &
nodemo=$!
ensure_base "$LCA_TEMPLATE_DEMO" "$CONF_DEMO" &
demo=$!
wait "$nodemo"
wait "$demo"

# install_checked: the addon installed in a fresh database; its log holds
# no warning
install_checked() {
    local log="$LOG_DIR/install.log" rc
    copy_db "$LCA_TEMPLATE_NODEMO" "$DB"
    set +e
    "$ODOO" -c "$CONF" -d "$DB" -i lift_client_approval --stop-after-init --log-level=warn >"$log" 2>&1
    rc=$?
    set -e
    if [ "$rc" != 0 ] || grep -qE "^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) " "$log"; then
        cat "$log"
        say "installing the addon failed or warned on $ODOO_SRC"
        exit 1
    fi
}

if [ "$ONLY_RUNNER" = 1 ]; then
    say "the addon installed in a fresh database ($DB, Odoo at $ODOO_SRC)"
    install_checked
    say "the addon's tests in Odoo's test runner (database $DB, Odoo at $ODOO_SRC)"
    copy_db "$LCA_TEMPLATE_NODEMO" "$DB"
    log="$LOG_DIR/odoo-tests.log"
    set +e
    "$ODOO" -c "$CONF" -d "$DB" -i lift_client_approval --test-enable \
        --test-tags=/lift_client_approval --stop-after-init --log-level=test >"$log" 2>&1
    rc=$?
    set -e
    grep -E "(ERROR|FAIL|CRITICAL)" "$log" || true
    ran=$(grep -cE "odoo\.addons\.lift_client_approval\.tests\.[a-z_]+: Starting " "$log" || true)
    failed=$(grep -cE "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$log" || true)
    echo "odoo runner on $ODOO_SRC: $ran tests started, exit code $rc, $failed error lines (log: $log)"
    [ "$rc" = 0 ] && [ "$failed" = 0 ] && echo "odoo: $ran passed, 0 failed"
    if [ "$rc" != 0 ] || [ "$failed" != 0 ] || [ "$ran" = 0 ]; then
        say "Odoo's test runner failed on $ODOO_SRC"
        exit 1
    fi
    if [ "${LCA_SERIES_TESTS:-0}" = 1 ]; then
        say "the repository's tests of this series (update, install and uninstall, wheel)"
        cd "$REPO"
        TEST_DB="$DB" "$VENV/bin/pytest" -p no:cacheprovider --odoo-database="$DB" --odoo-config="$CONF" \
            tests/test_update.py tests/test_packaging.py -q
    fi
    say "the addon's tests passed on $ODOO_SRC in $(($(date +%s) - start))s"
    exit 0
fi

# The other trees' runs go beside this tree's (one core each); their output
# is shown once they end, and a failure there fails the whole run.
others=${ODOO_SRC_ALSO-/opt/odoo/18.0-20250506 /opt/odoo/19.0}
other_pids=()
other_logs=()
for other in $others; do
    if [ ! -f "$other/odoo-bin" ]; then
        if [ "${CI:-}" = true ]; then
            say "no Odoo tree at $other (ODOO_SRC_ALSO): CI tests on it too"
            exit 1
        fi
        say "WARNING: no Odoo tree at $other: not tested on it (set ODOO_SRC_ALSO)"
        continue
    fi
    other_log="$LOG_DIR/also-$(basename "$other").log"
    say "the addon's tests on $other, beside these (log: $other_log)"
    series_tests=0
    [ "$(odoo_series "$other")" != "$(odoo_series "$ODOO_SRC")" ] && series_tests=1
    # its own virtualenv, configs and templates: nothing of this tree's
    env -u VENV -u LCA_CONF_DIR -u LCA_TEMPLATE_NODEMO -u LCA_TEMPLATE_DEMO \
        ODOO_SRC="$other" TEST_DB="${DB}_also_${#other_pids[@]}" LCA_SERIES_TESTS=$series_tests \
        TEST_HTTP_PORT=$((${TEST_HTTP_PORT:-8169} + 1 + ${#other_pids[@]})) \
        bash "$REPO/scripts/test.sh" --odoo-runner >"$other_log" 2>&1 &
    other_pids+=("$!")
    other_logs+=("$other_log")
done
wait_for_others() {
    local i status=0
    for i in "${!other_pids[@]}"; do
        if ! wait "${other_pids[$i]}"; then
            status=1
        fi
        say "the addon's tests on another tree (${other_logs[$i]}):"
        grep -vE " (INFO|DEBUG) |^\s*$" "${other_logs[$i]}" | tail -40 || true
    done
    other_pids=()
    if [ "$status" != 0 ]; then
        say "the addon's tests failed on another tree"
        exit 1
    fi
}
trap 'kill "${other_pids[@]}" 2>/dev/null || true' EXIT

say "1/4 the addon installed in a fresh database ($DB, Odoo at $ODOO_SRC)"
install_checked

say "2/4 the addon's tests through pytest-odoo"
cd "$REPO"
TEST_DB="$DB" "$VENV/bin/pytest" -p no:cacheprovider --odoo-database="$DB" --odoo-config="$CONF" \
    --odoo-http lift_client_approval/tests -q

say "3/4 repository-level tests (packaging, concurrency, translations)"
TEST_DB="$DB" "$VENV/bin/pytest" -p no:cacheprovider --odoo-database="$DB" --odoo-config="$CONF" \
    tests -q
# the load test measures answers' times: on a machine of its own
wait_for_others
say "4/4 load and concurrency: Odoo with workers, driven over HTTP (tests/load)"
# what one answer costs is measured by the load test's own command (README)
LOAD_COST=${LOAD_COST:-0} timeout 1200 "$VENV/bin/python" "$REPO/tests/load/load.py"
say "4/4 the same on two Odoo servers sharing one database and one filestore (fewer clients)"
LOAD_SERVERS=2 LOAD_WORKERS=2 LOAD_CLIENTS=${LOAD_CLIENTS_TWO_SERVERS:-20} \
    LOAD_SAME_LETTER=10 LOAD_KILL_BATCH=12 LOAD_COST=0 \
    timeout 1200 "$VENV/bin/python" "$REPO/tests/load/load.py"

say "all tests passed in $(($(date +%s) - start))s"

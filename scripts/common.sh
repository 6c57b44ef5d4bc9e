# Shared by demo.sh and test.sh: paths, config files and template databases,
# each of the Odoo tree in ODOO_SRC (see tree.sh).
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$REPO/scripts/tree.sh"
export VENV
ODOO="$REPO/scripts/odoo.sh"
DEPENDS="sale_timesheet,hr_expense,sale_expense,project_hr_expense,portal"
# config files, logs and benchmark results of this tree; the template
# databases the tests copy (their names reach the Python tests through the
# environment)
export LCA_CONF_DIR="$REPO/.odoo/$TREE_ID"
CONF_DIR=$LCA_CONF_DIR
export LCA_TEMPLATE_NODEMO="lca_base_nodemo_${TREE_ID//[^A-Za-z0-9]/_}"
export LCA_TEMPLATE_DEMO="lca_base_demo_${TREE_ID//[^A-Za-z0-9]/_}"
# Odoo's data (filestores) lives outside the checkout, so that template
# databases and their files serve every clone on this machine.
export LCA_DATA_DIR=${LCA_DATA_DIR:-$HOME/.local/share/lift_client_approval}
mkdir -p "$CONF_DIR" "$LCA_DATA_DIR"

say() { printf '\033[1m[%s]\033[0m %s\n' "$(basename "$0" .sh)" "$*"; }

# write_conf FILE WITH_DEMO: an Odoo config for this repository. Demo data is
# set in the file: on 18.0's command line `--without-demo=False` reads as true;
# True and False read the same on 18.0 and 19.0 in the file.
# The port is the one the browser tests serve on, away from the demo's
# (demo.sh gives its own port on the command line).
write_conf() {
    local without_demo=True
    [ "$2" = demo ] && without_demo=False
    odoo_layout || { say "$ODOO_SRC holds no Odoo addons"; return 1; }
    cat >"$1" <<CONF
[options]
addons_path = $ODOO_ADDONS_PATH,$REPO
data_dir = $LCA_DATA_DIR
without_demo = $without_demo
list_db = True
http_interface = 127.0.0.1
http_port = ${TEST_HTTP_PORT:-8169}
CONF
}

db_exists() { psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1; }

module_state() {
    db_exists "$1" || return 0
    psql -d "$1" -tAc "SELECT state FROM ir_module_module WHERE name = '$2'" 2>/dev/null || true
}

db_comment() { psql -d postgres -tAc "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$1'"; }

# ensure_base DB CONF: a database with the addon's dependencies installed,
# used as a template so that each test database starts in seconds. It is
# marked with the tree that built it, and rebuilt when the tree changed.
ensure_base() {
    local db=$1 conf=$2 built_by
    built_by=$(odoo_fingerprint)
    if [ "$(module_state "$db" sale_expense)" = installed ] \
        && [ "$(module_state "$db" project_hr_expense)" = installed ] \
        && [ "$(db_comment "$db")" = "$built_by" ] \
        && [ -d "$LCA_DATA_DIR/filestore/$db" ]; then
        return
    fi
    say "building template database $db from $ODOO_SRC (Odoo with $DEPENDS; once)"
    drop_db "$db"
    "$ODOO" -c "$conf" -d "$db" -i "$DEPENDS" --stop-after-init --log-level=warn \
        || { drop_db "$db"; return 1; }
    psql -d postgres -qc "COMMENT ON DATABASE \"$db\" IS '${built_by//\'/\'\'}'"
}

# copy_db TEMPLATE NEW: the database and its filestore.
copy_db() {
    drop_db "$2"
    createdb -T "$1" "$2"
    if [ -d "$LCA_DATA_DIR/filestore/$1" ]; then
        mkdir -p "$LCA_DATA_DIR/filestore"
        cp -a "$LCA_DATA_DIR/filestore/$1" "$LCA_DATA_DIR/filestore/$2"
    fi
}

drop_db() {
    dropdb --if-exists "$1"
    rm -rf "${LCA_DATA_DIR:?}/filestore/$1"
}

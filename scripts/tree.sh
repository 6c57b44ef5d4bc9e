# Which Odoo tree (18.0 or 19.0) the commands run on, and what belongs to that tree
# alone. Sourced by setup.sh, odoo.sh and common.sh.
#
# ODOO_SRC (default /opt/odoo/18.0) may be laid out in either of two ways:
#   git checkout   addons/ holds the addons, odoo/addons/ only base (and the
#                  framework's test modules): the layout of a clone of the
#                  18.0 branch;
#   package        every addon under odoo/addons/ (a nightly or pip package);
#                  a top-level addons/ there, if any, is a leftover and unused.
# Each tree gets its own virtualenv (in $LCA_DATA_DIR/venvs), template
# databases and config files, named after TREE_ID: a template that one Odoo built is never reused by
# another, and a virtualenv's .pth names one tree only (Odoo's odoo.addons
# namespace takes every odoo/addons folder on sys.path).
ODOO_SRC_DEFAULT=/opt/odoo/18.0
ODOO_SRC=$(realpath -m "${ODOO_SRC:-$ODOO_SRC_DEFAULT}")
export ODOO_SRC
_tree_hash=$(printf '%s' "$ODOO_SRC" | sha1sum | cut -c1-8)
TREE_ID="$(basename "$ODOO_SRC" | cut -c1-20 | tr -c 'A-Za-z0-9._\n-' '_')-$_tree_hash"
# kept beside the template databases' files, outside the checkout: every clone
# on this machine (CI's among them) shares them
LCA_DATA_DIR=${LCA_DATA_DIR:-$HOME/.local/share/lift_client_approval}
VENV=${VENV:-$LCA_DATA_DIR/venvs/$TREE_ID}

# odoo_layout: sets ODOO_LAYOUT and ODOO_ADDONS_PATH (Odoo's addons, without
# this repository); returns 1 when ODOO_SRC holds no Odoo addons.
odoo_layout() {
    if [ -f "$ODOO_SRC/odoo/addons/web/__manifest__.py" ]; then
        ODOO_LAYOUT="package (every addon in odoo/addons)"
        ODOO_ADDONS_PATH="$ODOO_SRC/odoo/addons"
    elif [ -f "$ODOO_SRC/addons/web/__manifest__.py" ] \
        && [ -f "$ODOO_SRC/odoo/addons/base/__manifest__.py" ]; then
        ODOO_LAYOUT="git checkout (addons/ and odoo/addons/)"
        ODOO_ADDONS_PATH="$ODOO_SRC/odoo/addons,$ODOO_SRC/addons"
    else
        ODOO_LAYOUT=""
        ODOO_ADDONS_PATH=""
        return 1
    fi
}

# odoo_fingerprint: what the tree is now (its commit, or the time its files
# last changed), so that a template built from an older state is rebuilt.
odoo_fingerprint() {
    local head
    head=$(git -C "$ODOO_SRC" rev-parse HEAD 2>/dev/null) \
        || head=$(stat -c %Y "$ODOO_SRC/odoo/release.py" "$ODOO_SRC/odoo/addons" | paste -sd-)
    printf '%s@%s' "$ODOO_SRC" "$head"
}

# odoo_series [TREE]: the Odoo series of TREE (default ODOO_SRC), as 18.0
odoo_series() {
    sed -nE 's/^version_info = \(([0-9]+), ([0-9]+).*/\1.\2/p' "${1:-$ODOO_SRC}/odoo/release.py"
}

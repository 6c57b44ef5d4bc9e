#!/usr/bin/env bash
# Prepare everything the demo and the tests need; safe to run again.
#
# - the Odoo 18.0 source tree ($ODOO_SRC, default /opt/odoo/18.0; cloned from
#   upstream's 18.0 branch when missing and the network allows), in either
#   layout (scripts/tree.sh);
# - Debian packages (chromium for browser tours, wkhtmltopdf for PDFs, headers
#   to build psycopg2 and python-ldap) when run as root;
# - a virtualenv of that tree's own ($VENV, default
#   ~/.local/share/lift_client_approval/venvs/<tree>, shared by the clones on
#   this machine) with Odoo's Python requirements and the test tools;
# - npm's development tools in node_modules (scripts/npm.sh): axe-core for
#   the accessibility tests, prettier for the lint set;
# - the PostgreSQL role Odoo connects as.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$REPO/scripts/tree.sh"
PYTHON=${PYTHON:-python3.11}
ODOO_GIT=${ODOO_GIT:-https://github.com/odoo/odoo.git}

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }

# 1. Odoo source tree -------------------------------------------------------
if [ ! -f "$ODOO_SRC/odoo-bin" ]; then
    say "no Odoo tree at $ODOO_SRC: cloning Odoo 18.0 (needs the network)"
    mkdir -p "$(dirname "$ODOO_SRC")"
    git clone --depth 1 --branch 18.0 "$ODOO_GIT" "$ODOO_SRC" \
        || die "could not clone Odoo 18.0 into $ODOO_SRC; put an Odoo 18.0 source tree there or set ODOO_SRC"
fi
grep -Eq "version_info = \((18|19), 0" "$ODOO_SRC/odoo/release.py" \
    || die "$ODOO_SRC is not an Odoo 18.0 or 19.0 tree (odoo/release.py)"
odoo_layout || die "$ODOO_SRC has no Odoo addons: neither odoo/addons/web (a package) nor addons/web with odoo/addons/base (a git checkout)"
say "Odoo tree $ODOO_SRC, layout: $ODOO_LAYOUT"

# 2. Debian packages ----------------------------------------------------------
DEBS="chromium wkhtmltopdf libpq-dev libldap2-dev libsasl2-dev poppler-utils fonts-dejavu-core"
missing=""
for pkg in $DEBS; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing Debian packages:$missing"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    else
        say "WARNING: missing Debian packages:$missing (run as root to install them)"
    fi
fi

# 3. Python virtualenv --------------------------------------------------------
REQ_STAMP="$VENV/.lift-requirements"
want=$(cat "$ODOO_SRC/requirements.txt" "$REPO/requirements-dev.txt" | sha1sum | cut -d' ' -f1)
if [ ! -x "$VENV/bin/python" ]; then
    say "creating virtualenv $VENV"
    "$PYTHON" -m venv "$VENV"
fi
if [ "$(cat "$REQ_STAMP" 2>/dev/null)" != "$want" ]; then
    say "installing Python requirements (Odoo's and the test tools)"
    # cbor2 5.4.x does not build with setuptools 81+: constrain the build env.
    build_constraints=$(mktemp)
    echo 'setuptools<81' >"$build_constraints"
    if [ -n "$(pip config get global.constraint 2>/dev/null || true)" ]; then
        cat "$(pip config get global.constraint)" >>"$build_constraints"
    fi
    PIP_CONSTRAINT="$build_constraints" "$VENV/bin/pip" install -q \
        -r "$ODOO_SRC/requirements.txt" -r "$REPO/requirements-dev.txt"
    rm -f "$build_constraints"
    echo "$want" >"$REQ_STAMP"
fi

# Make `import odoo` work in the venv (pytest-odoo needs it): this tree only.
site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
for pth in "$site"/*.pth; do
    [ "$(basename "$pth")" = odoo-src.pth ] && continue
    if grep -qs "/odoo" "$pth" && ! grep -qsF "$ODOO_SRC" "$pth"; then
        die "$pth puts another Odoo tree on this virtualenv's path; remove it or use another VENV"
    fi
done
echo "$ODOO_SRC" >"$site/odoo-src.pth"

# 4. npm's development tools (axe-core for the accessibility tests) -------
"$REPO/scripts/npm.sh" || die "could not install the npm tools of package.json"

# 5. PostgreSQL role ------------------------------------------------------------
DB_USER=${PGUSER:-$(id -un)}
if ! psql -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v su >/dev/null; then
        say "creating PostgreSQL role $DB_USER (superuser)"
        su postgres -c "psql -tAc \"CREATE ROLE \\\"$DB_USER\\\" SUPERUSER LOGIN\"" \
            || die "could not create the PostgreSQL role $DB_USER"
    else
        die "cannot connect to PostgreSQL as $DB_USER; create that role (superuser) first"
    fi
fi
say "ready: Odoo at $ODOO_SRC, Python at $VENV"

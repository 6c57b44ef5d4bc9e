#!/usr/bin/env bash
# Build the addon's wheel for the series of the Odoo tree in ODOO_SRC:
# odoo-addon-lift_client_approval 18.0.x on 18.0, 19.0.x on 19.0, in DIST
# (default: dist/). The manifest's version has no series (Odoo prefixes its
# own); whool reads the series from the version, so the wheel is built from
# a copy of the addon whose manifest carries it.
#
#   bash scripts/wheel.sh [DIST]
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$REPO/scripts/tree.sh"
DIST=$(realpath -m "${1:-$REPO/dist}")
[ -x "$VENV/bin/python" ] || { echo "[wheel] no virtualenv at $VENV: run scripts/setup.sh" >&2; exit 1; }
series=$(odoo_series)
[ -n "$series" ] || { echo "[wheel] no Odoo version in $ODOO_SRC/odoo/release.py" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$REPO/lift_client_approval" "$work/"
sed -i -E "s/(\"version\": \")([0-9]+\.[0-9]+\.[0-9]+\")/\1$series.\2/" \
    "$work/lift_client_approval/__manifest__.py"
grep -q "\"version\": \"$series\." "$work/lift_client_approval/__manifest__.py" \
    || { echo "[wheel] the manifest's version is not major.minor.patch" >&2; exit 1; }
mkdir -p "$DIST"
"$VENV/bin/python" -m pip --disable-pip-version-check -q wheel --no-deps \
    --no-build-isolation -w "$DIST" "$work/lift_client_approval"
ls "$DIST"/odoo_addon_lift_client_approval-"$series".*.whl

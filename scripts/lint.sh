#!/usr/bin/env bash
# The project's lint command: the OCA 18.0 pre-commit checks, run without
# pre-commit (its hook repositories cannot be cloned here). Safe to run again.
#
# usage: scripts/lint.sh [--fix] [--only CHECK[,CHECK]] [--list] [ADDON_DIR]
#
#   ADDON_DIR  the addon to check; default $ADDON, else lift_client_approval.
#              A relative path is looked up from the current directory, then
#              from the repository root.
#   --fix      apply ruff's fixes, ruff format, prettier --write and eslint
#              --fix instead of only checking them; the other checks run as
#              usual.
#   --only     run these checks alone (as each pre-commit hook does: see
#              .pre-commit-config.yaml, whose hooks are these checks).
#   --list     print the checks' names.
#
# Environment: LINT_VENV (default ~/.local/share/lift_client_approval/venvs/lint,
# created with $PYTHON, default
# python3.11, when missing), ADDON.
#
# Checks, in order (each one runs even when an earlier one failed):
#   ruff-check     ruff lint with .ruff.toml (pyflakes, pycodestyle, bugbear,
#                  mccabe, isort with odoo / odoo.addons sections, pyupgrade)
#   ruff-format    ruff's formatter (black style, line length 88)
#   pylint-odoo    pylint --rcfile=.pylintrc-mandatory: OCA's blocking checks
#   oca-module     oca-checks-odoo-module: manifest, XML, CSV checks
#   odoo-checkers  Odoo's own pylint checkers (the tree's test_lint plugins:
#                  sql-injection, gettext-*, raise-unlink-override, and the
#                  messages its runbot enables), with the tree's virtualenv
#   oca-po         oca-checks-po on i18n/*.po and *.pot (po-pretty-format off,
#                  as OCA does)
#   pylint-optional  pylint-odoo's optional checks (.pylintrc), never blocking
#   prettier       prettier + @prettier/plugin-xml on the addon's XML,
#                  JavaScript and stylesheets and the repository's YAML
#   eslint         eslint (eslint.config.cjs) on the addon's JavaScript
#   readme         README.rst and static/description/index.html up to date
#                  with readme/ (scripts/readme.py; --fix writes them)
# Python files of the repository's own tests/ and scripts/ go through ruff too
# when the addon is this repository's.
#
# Exit status: 0 when every check passed, 1 when one failed, 2 when the tools
# could not be installed or the arguments are wrong.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${LINT_VENV:-${LCA_DATA_DIR:-$HOME/.local/share/lift_client_approval}/venvs/lint}
PYTHON=${PYTHON:-python3.11}
FIX=0
ADDON_ARG=${ADDON:-lift_client_approval}

if [ -t 1 ]; then
    BOLD=$'\033[1m' RED=$'\033[1;31m' GREEN=$'\033[1;32m' RESET=$'\033[0m'
else
    BOLD='' RED='' GREEN='' RESET=''
fi
say() { printf '%s[lint]%s %s\n' "$BOLD" "$RESET" "$*"; }
die() { printf '%s[lint] %s%s\n' "$RED" "$*" "$RESET" >&2; exit 2; }
usage() { sed -n '2,/^$/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

ONLY=""
CHECKS="ruff-check ruff-format pylint-odoo pylint-optional oca-module odoo-checkers oca-po prettier eslint readme"
while [ $# -gt 0 ]; do
    case "$1" in
        --fix) FIX=1 ;;
        --only) ONLY=" ${2//,/ } "; shift ;;
        --list) echo "$CHECKS"; exit 0 ;;
        -h|--help) usage; exit 0 ;;
        -*) usage >&2; die "unknown option: $1" ;;
        *) ADDON_ARG=$1 ;;
    esac
    shift
done

if [ -d "$ADDON_ARG" ]; then
    ADDON_DIR=$(cd "$ADDON_ARG" && pwd)
elif [ -d "$REPO/$ADDON_ARG" ]; then
    ADDON_DIR=$(cd "$REPO/$ADDON_ARG" && pwd)
else
    die "no addon directory '$ADDON_ARG'"
fi
[ -f "$ADDON_DIR/__manifest__.py" ] || die "$ADDON_DIR has no __manifest__.py"

# 1. Tools ---------------------------------------------------------------------
# Python tools in $VENV, reinstalled when requirements-lint.txt changes.
LINT_BINS="ruff pylint oca-checks-odoo-module oca-checks-po"
REQ_STAMP="$VENV/.lift-lint-requirements"
want=$(sha1sum "$REPO/requirements-lint.txt" | cut -d' ' -f1)
if [ ! -x "$VENV/bin/python" ]; then
    say "creating virtualenv $VENV"
    "$PYTHON" -m venv "$VENV" || die "could not create $VENV with $PYTHON"
fi
need_pip=0
[ "$(cat "$REQ_STAMP" 2>/dev/null)" = "$want" ] || need_pip=1
for bin in $LINT_BINS; do
    [ -x "$VENV/bin/$bin" ] || need_pip=1
done
if [ "$need_pip" = 1 ]; then
    say "installing lint tools from requirements-lint.txt into $VENV"
    "$VENV/bin/pip" install -q -r "$REPO/requirements-lint.txt" \
        || die "pip could not install requirements-lint.txt"
    echo "$want" >"$REQ_STAMP"
fi

# prettier in <repo>/node_modules (scripts/npm.sh, as for the tests)
PRETTIER="$REPO/node_modules/.bin/prettier"
"$REPO/scripts/npm.sh" || die "npm could not install package.json's tools"

# 2. Checks --------------------------------------------------------------------
declare -a RESULTS=()
FAILED=0
run_check() {
    local name=$1; shift
    local start end rc
    if [ -n "$ONLY" ] && [[ "$ONLY" != *" $name "* ]]; then
        return 0
    fi
    printf '\n%s==> %s%s\n' "$BOLD" "$name" "$RESET"
    start=$(date +%s%N)
    "$@"
    rc=$?
    end=$(date +%s%N)
    local secs
    secs=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')
    if [ "$rc" = 0 ]; then
        RESULTS+=("${GREEN}PASS${RESET}  $name (${secs}s)")
    else
        RESULTS+=("${RED}FAIL${RESET}  $name (${secs}s, exit $rc)")
        FAILED=1
        printf '%s[lint] %s failed (exit %s)%s\n' "$RED" "$name" "$rc" "$RESET"
    fi
}
skip_check() {
    printf '\n%s==> %s%s\nskipped: %s\n' "$BOLD" "$1" "$RESET" "$2"
    RESULTS+=("SKIP  $1 ($2)")
}

has_py() { [ -d "$1" ] && [ -n "$(find "$1" -name '*.py' -print -quit)" ]; }
PY_PATHS=("$ADDON_DIR")
case "$ADDON_DIR/" in
    "$REPO"/*)
        for extra in "$REPO/tests" "$REPO/scripts"; do
            has_py "$extra" && PY_PATHS+=("$extra")
        done
        ;;
esac

say "addon: $ADDON_DIR$([ "$FIX" = 1 ] && echo ' (fixing)')"
RUFF=("$VENV/bin/ruff")
if [ "$FIX" = 1 ]; then
    run_check ruff-check "${RUFF[@]}" check --config "$REPO/.ruff.toml" --fix "${PY_PATHS[@]}"
    run_check ruff-format "${RUFF[@]}" format --config "$REPO/.ruff.toml" "${PY_PATHS[@]}"
else
    run_check ruff-check "${RUFF[@]}" check --config "$REPO/.ruff.toml" --no-fix "${PY_PATHS[@]}"
    run_check ruff-format "${RUFF[@]}" format --config "$REPO/.ruff.toml" --check --diff "${PY_PATHS[@]}"
fi

PYLINT_ARGS=(--rcfile="$REPO/.pylintrc-mandatory")
[ -t 1 ] || PYLINT_ARGS+=(--output-format=text)
run_check pylint-odoo "$VENV/bin/pylint" "${PYLINT_ARGS[@]}" "$ADDON_DIR"
# OCA's optional checks: reported, never blocking
run_check pylint-optional "$VENV/bin/pylint" --rcfile="$REPO/.pylintrc" --exit-zero \
    "${PYLINT_ARGS[@]:1}" "$ADDON_DIR"

run_check oca-module "$VENV/bin/oca-checks-odoo-module" "$ADDON_DIR"

# Odoo's own checkers, as its runbot runs them on every module: the pylint
# plugins of the tree's test_lint module (SQL injection, gettext, unlink
# overrides) and the messages it enables, on the addon alone, with the Odoo
# tree's virtualenv (pylint there can import Odoo, as the plugins need).
odoo_checkers() {
    local tree_venv tree_src addons_path checkers
    # shellcheck disable=SC1091
    read -r tree_venv tree_src addons_path < <(
        unset VENV
        source "$REPO/scripts/tree.sh"
        odoo_layout || exit 1
        echo "$VENV $ODOO_SRC $ODOO_ADDONS_PATH"
    ) || { echo "no Odoo tree at ${ODOO_SRC:-/opt/odoo/18.0}"; return 1; }
    checkers="$tree_src/odoo/addons/test_lint/tests"
    [ -f "$checkers/_odoo_checker_gettext.py" ] \
        || { echo "the Odoo tree at $tree_src has no test_lint checkers"; return 1; }
    if [ ! -x "$tree_venv/bin/pylint" ]; then
        "$REPO/scripts/setup.sh" >/dev/null || return 1
    fi
    PYTHONPATH="$checkers:$tree_src" ADDONS_PATH="${addons_path//,/:}:$REPO" \
        "$tree_venv/bin/pylint" --rcfile=/dev/null \
        --disable=all,useless-option-value,unknown-option-value \
        --enable=used-before-assignment,undefined-variable,eval-used,unreachable,function-redefined,sql-injection,gettext-variable,gettext-placeholders,gettext-repr,raise-unlink-override \
        --reports=n --score=n "--msg-template={msg} ({msg_id}) at {path}:{line}" \
        --load-plugins=_pylint_path_setup,pylint.extensions.bad_builtin,_odoo_checker_sql_injection,_odoo_checker_gettext,_odoo_checker_unlink_override \
        --bad-functions=input --deprecated-modules=csv,urllib,cgi,pdb,ipdb,pudb,wdb \
        "$ADDON_DIR"
}
run_check odoo-checkers odoo_checkers

mapfile -t PO_FILES < <(find "$ADDON_DIR" -path '*/i18n/*' \( -name '*.po' -o -name '*.pot' \) | sort)
if [ "${#PO_FILES[@]}" -gt 0 ]; then
    run_check oca-po "$VENV/bin/oca-checks-po" --disable=po-pretty-format "${PO_FILES[@]}"
else
    skip_check oca-po "no i18n/*.po or *.pot files"
fi

# prettier on XML, JavaScript, stylesheets and YAML, as OCA's hook sees them:
# not vendored libraries, not the generated static/description/index.html.
mapfile -t PRETTY_FILES < <(
    find "$ADDON_DIR" \( -name '*.xml' -o -name '*.js' -o -name '*.css' -o -name '*.scss' \) \
        -not -path '*/static/lib/*' -not -path '*/static/src/lib/*' \
        -not -path '*/node_modules/*' | sort
    case "$ADDON_DIR/" in
        "$REPO"/*) find "$REPO" -maxdepth 1 \( -name '*.yml' -o -name '*.yaml' -o -name '*.cjs' \) | sort ;;
    esac
)
if [ "${#PRETTY_FILES[@]}" -gt 0 ]; then
    # From the repository root, where node_modules holds the XML plugin.
    if [ "$FIX" = 1 ]; then
        run_check prettier bash -c 'cd "$0" && "$1" --config .prettierrc.yml --log-level warn --write "${@:2}"' \
            "$REPO" "$PRETTIER" "${PRETTY_FILES[@]}"
    else
        run_check prettier bash -c 'cd "$0" && "$1" --config .prettierrc.yml --check "${@:2}"' \
            "$REPO" "$PRETTIER" "${PRETTY_FILES[@]}"
    fi
else
    skip_check prettier "no XML, JavaScript, stylesheet or YAML files"
fi

mapfile -t JS_FILES < <(find "$ADDON_DIR" -name '*.js' -not -path '*/static/lib/*' \
    -not -path '*/static/src/lib/*' -not -path '*/node_modules/*' | sort)
if [ "${#JS_FILES[@]}" -gt 0 ]; then
    ESLINT_ARGS=(--config "$REPO/eslint.config.cjs" --no-warn-ignored --max-warnings 0)
    [ "$FIX" = 1 ] && ESLINT_ARGS+=(--fix)
    run_check eslint bash -c 'cd "$0" && node_modules/.bin/eslint "${@:1}"' \
        "$REPO" "${ESLINT_ARGS[@]}" "${JS_FILES[@]}"
else
    skip_check eslint "no JavaScript files"
fi

# The addon's README.rst and apps page, written from its readme/ fragments
# (OCA's oca-gen-addon-readme is not on PyPI: the project's own generator).
readme_check() {
    local tree_venv
    tree_venv=$(unset VENV; source "$REPO/scripts/tree.sh"; echo "$VENV")
    [ -x "$tree_venv/bin/python" ] || "$REPO/scripts/setup.sh" >/dev/null || return 1
    if [ "$FIX" = 1 ]; then
        "$tree_venv/bin/python" "$REPO/scripts/readme.py"
    else
        "$tree_venv/bin/python" "$REPO/scripts/readme.py" --check
    fi
}
case "$ADDON_DIR" in
    "$REPO/lift_client_approval") run_check readme readme_check ;;
    *) skip_check readme "the generator writes this repository's addon only" ;;
esac

# 3. Summary -------------------------------------------------------------------
printf '\n%sSummary%s (%s)\n' "$BOLD" "$RESET" "$ADDON_DIR"
printf '  %s\n' "${RESULTS[@]}"
echo "  note: readme is the project's own generator (scripts/readme.py): OCA's oca-gen-addon-readme is not on PyPI"
if [ "$FAILED" = 1 ]; then
    printf '%s[lint] FAILED%s%s\n' "$RED" "$RESET" "$([ "$FIX" = 1 ] || echo '; scripts/lint.sh --fix applies the ruff and prettier fixes')"
    exit 1
fi
printf '%s[lint] all checks passed%s\n' "$GREEN" "$RESET"

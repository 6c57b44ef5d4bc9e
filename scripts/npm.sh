#!/usr/bin/env bash
# The repository's npm development dependencies (package.json) in
# <repo>/node_modules: prettier for scripts/lint.sh, axe-core for the
# accessibility tests. Installed when missing or when package-lock.json
# changed; safe to run again.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
say() { printf '\033[1m[npm]\033[0m %s\n' "$*"; }
if [ -f "$REPO/node_modules/axe-core/axe.min.js" ] \
    && [ -x "$REPO/node_modules/.bin/prettier" ] \
    && [ ! "$REPO/package-lock.json" -nt "$REPO/node_modules/.package-lock.json" ]; then
    exit 0
fi
if ! command -v npm >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing Node.js and npm (Debian)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    else
        say "npm not found: install Node.js and npm (Debian: nodejs npm)" >&2
        exit 1
    fi
fi
say "installing the development tools of package.json into $REPO/node_modules"
cd "$REPO"
npm ci --no-audit --no-fund --loglevel=error

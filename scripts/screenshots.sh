#!/usr/bin/env bash
# Take the README's pictures from the running demo (make demo): headless
# Chromium opens pages on localhost and saves PNGs under docs/img/. The
# client's portal pages come from token links; the backend pages and the PDF
# letter need a logged-in session, which scripts/screenshots.py makes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB=${DEMO_DB:-lca_demo}
PORT=${PORT:-8069}
OUT="$REPO/docs/img"
mkdir -p "$OUT"
CONF="$CONF_DIR/demo.conf"

# The token links the client receives, for a letter awaiting the client and
# an approved one.
urls=$("$ODOO" shell -c "$CONF" -d "$DB" --log-level=warn --no-http <<'PY'
Letter = env["lift.client.approval"]
for state in ("sent", "approved", "corrected"):
    letter = Letter.search(
        [("state", "=", state), ("expense_ids", "!=", False)], limit=1
    ) or Letter.search([("state", "=", state)], limit=1)
    print("URL", state, letter.get_portal_url())
approver = Letter.search([("state", "=", "sent")], limit=1).partner_id
print("URL", "inbox", "/my/client-approvals/inbox?access_token="
      + Letter._get_inbox_token(approver))
env.cr.commit()
PY
)

shoot() {
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$(mktemp -d)" --hide-scrollbars --window-size=1280,"$3" \
        --virtual-time-budget=8000 --screenshot="$OUT/$1" "$2" 2>/dev/null
    say "saved docs/img/$1"
}

while read -r _tag state path; do
    shoot "portal-$state.png" "http://localhost:$PORT$path&db=$DB" 1400
    [ "$state" = sent ] && phone_url="$path&db=$DB"
done < <(grep '^URL ' <<<"$urls")

# The project's Client Approval tab, the Client Approvals list, the PDF
# letter, and the client's page on a phone.
DEMO_DB=$DB PORT=$PORT PHONE_URL=${phone_url:-} "$VENV/bin/python" "$REPO/scripts/screenshots.py"

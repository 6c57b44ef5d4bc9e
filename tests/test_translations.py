"""The translation template matches the code, and Dutch is complete."""

import os
import subprocess

import polib
from odoo_proc import CONF_DIR, ODOO, REPO

I18N = REPO / "lift_client_approval" / "i18n"


def msgids(po):
    return {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete}


def test_pot_is_up_to_date(tmp_path):
    exported = tmp_path / "lift_client_approval.pot"
    subprocess.run(
        [
            str(ODOO),
            "-c",
            str(CONF_DIR / "test.conf"),
            "-d",
            os.environ.get("TEST_DB", "lca_test"),
            f"--i18n-export={exported}",
            "--modules=lift_client_approval",
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    committed = polib.pofile(str(I18N / "lift_client_approval.pot"))
    fresh = polib.pofile(str(exported))
    assert msgids(fresh) == msgids(committed), (
        "lift_client_approval.pot is out of date: export it again (README, "
        "Development)"
    )


def test_dutch_is_complete():
    template = polib.pofile(str(I18N / "lift_client_approval.pot"))
    dutch = polib.pofile(str(I18N / "nl.po"))
    assert msgids(dutch) == msgids(template)
    missing = [entry.msgid for entry in dutch.untranslated_entries()]
    assert missing == []
    assert not dutch.fuzzy_entries()

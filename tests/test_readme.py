"""The addon's README.rst and apps page are the ones its readme/ fragments
make (scripts/readme.py)."""

import subprocess
import sys

from odoo_proc import REPO


def test_readme_and_apps_page_match_the_fragments():
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "readme.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr

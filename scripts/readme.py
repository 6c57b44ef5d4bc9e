"""Write the addon's README.rst and static/description/index.html (the Odoo
apps page) from its readme/ fragments, the way OCA's readme generator lays
them out: DESCRIPTION, a table of contents, CONFIGURE, USAGE, credits.

    $VENV/bin/python scripts/readme.py           # write both files
    $VENV/bin/python scripts/readme.py --check   # exit 1 when they are stale

($VENV: a tree's virtualenv, $LCA_DATA_DIR/venvs/<tree>.)

The fragments are Markdown that is also valid reStructuredText (paragraphs,
lists, *emphasis*), so docutils renders the HTML."""

import sys
from pathlib import Path

from docutils.core import publish_parts

ADDON = Path(__file__).resolve().parent.parent / "lift_client_approval"
TITLE = "Client Approval of Timesheets and Expenses"
SECTIONS = [("CONFIGURE", "Configuration"), ("USAGE", "Usage")]
BADGE = """\
|badge1|

.. |badge1| image:: https://img.shields.io/badge/licence-LGPL--3-blue.png
    :target: http://www.gnu.org/licenses/lgpl-3.0-standalone.html
    :alt: License: LGPL-3
"""
NOTE = """\
..
   Written by scripts/readme.py from the fragments in readme/: edit those,
   then run the script.
"""


def fragment(name):
    return (ADDON / "readme" / f"{name}.md").read_text().strip() + "\n"


def readme_rst():
    rule = "=" * len(TITLE)
    parts = [
        f"{rule}\n{TITLE}\n{rule}\n",
        NOTE,
        BADGE,
        fragment("DESCRIPTION"),
        "**Table of contents**\n\n.. contents::\n   :local:\n",
    ]
    for name, heading in SECTIONS:
        parts.append(f"{heading}\n{'=' * len(heading)}\n\n{fragment(name)}")
    parts.append(
        "Credits\n=======\n\nAuthors\n-------\n\n* lift_client_approval contributors\n"
    )
    return "\n".join(parts)


def index_html(rst):
    parts = publish_parts(
        rst,
        writer_name="html5",
        settings_overrides={"embed_stylesheet": False, "report_level": 2},
    )
    return (
        '<section class="oe_container">\n<div class="oe_row oe_spaced">\n'
        f"{parts['html_title']}{parts['body']}</div>\n</section>\n"
    )


def main(check=False):
    rst = readme_rst()
    wanted = {
        ADDON / "README.rst": rst,
        ADDON / "static" / "description" / "index.html": index_html(rst),
    }
    stale = [path for path, text in wanted.items() if path.read_text() != text]
    if check:
        for path in stale:
            print(f"{path.relative_to(ADDON.parent)} is stale: run scripts/readme.py")
        return 1 if stale else 0
    for path in stale:
        path.write_text(wanted[path])
        print(f"wrote {path.relative_to(ADDON.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv[1:]))

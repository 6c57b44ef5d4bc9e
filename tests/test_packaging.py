"""The addon installs, upgrades and uninstalls cleanly, with and without demo
data, and says nothing alarming in the log while doing so."""

import configparser
import os
import subprocess
import sys
from pathlib import Path

import pytest
from odoo_proc import CONF_DIR, REPO, problems, tree_series

UNINSTALL = """
module = env["ir.module.module"].search([("name", "=", "lift_client_approval")])
module.button_immediate_uninstall()
env.cr.commit()
print("STATE", module.state)
"""


@pytest.mark.parametrize("demo", [False, True], ids=["without-demo", "with-demo"])
def test_install_upgrade_uninstall(make_db, demo):
    db = make_db(demo)
    rc, log = db.odoo("-i", "lift_client_approval", "--stop-after-init")
    assert rc == 0, log[-3000:]
    assert problems(log) == []
    assert (
        db.sql("SELECT state FROM ir_module_module WHERE name = 'lift_client_approval'")
        == "installed"
    )
    letters = int(db.sql("SELECT count(*) FROM lift_client_approval"))
    if demo:
        states = set(db.sql("SELECT DISTINCT state FROM lift_client_approval").split())
        assert states == {
            "draft",
            "submitted",
            "sent",
            "corrected",
            "approved",
            "rejected",
            "cancel",
        }
    else:
        assert letters == 0

    rc, log = db.odoo("-u", "lift_client_approval", "--stop-after-init")
    assert rc == 0, log[-3000:]
    assert problems(log) == []

    rc, log = db.shell(UNINSTALL)
    assert rc == 0, log[-3000:]
    assert "STATE uninstalled" in log
    assert problems(log) == []
    assert db.sql("SELECT to_regclass('lift_client_approval') IS NULL") == "t"
    assert (
        db.sql(
            "SELECT count(*) FROM information_schema.columns "
            "WHERE column_name LIKE 'client_approval%'"
        )
        == "0"
    )


FIND_ADDON = """
import odoo
from odoo.modules.module import get_manifest, get_module_path, initialize_sys_path
from odoo.tools import config
config.parse_config(["--addons-path", ADDONS_PATH])
initialize_sys_path()
print("PATH", get_module_path("lift_client_approval"))
print("VERSION", get_manifest("lift_client_approval")["version"])
"""


def test_wheel_builds_installs_and_odoo_finds_it(tmp_path):
    """The addon as the OCA publishes addons: a wheel of the tree's series
    built by whool from its pyproject.toml (scripts/wheel.sh), installed by
    pip, found by Odoo without this repository on its addons path."""
    dist, site = tmp_path / "dist", tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    built = subprocess.run(
        ["bash", str(REPO / "scripts" / "wheel.sh"), str(dist)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    series = tree_series()
    (wheel,) = dist.glob(f"odoo_addon_lift_client_approval-{series}.*-py3-none-any.whl")
    # into a folder on the tree virtualenv's path, not into the virtualenv
    # itself, whose Odoo must go on finding this repository's addon
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        timeout=300,
    )
    installed = site / "odoo" / "addons" / "lift_client_approval"
    assert (installed / "__manifest__.py").is_file()
    assert (installed / "views" / "lift_client_approval_views.xml").is_file()
    conf = configparser.ConfigParser()
    conf.read(CONF_DIR / "test.conf")
    tree_addons = [
        path
        for path in conf["options"]["addons_path"].split(",")
        if Path(path).resolve() != REPO.resolve()
    ]
    odoo_src = Path(os.environ["ODOO_SRC"])
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            FIND_ADDON.replace("ADDONS_PATH", repr(",".join(tree_addons))),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), str(odoo_src)])),
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    found = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line)
    assert Path(found["PATH"]).resolve() == installed.resolve()
    manifest = (REPO / "lift_client_approval" / "__manifest__.py").read_text()
    assert found["VERSION"].startswith(f"{series}.")
    assert f'"version": "{found["VERSION"][len(series) + 1 :]}"' in manifest

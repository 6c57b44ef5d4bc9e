"""The addon installs, upgrades and uninstalls cleanly, with and without demo
data, and says nothing alarming in the log while doing so."""

import pytest
from odoo_proc import problems

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

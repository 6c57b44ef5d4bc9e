"""Repository-level tests drive Odoo as a user would, in separate processes,
on copies of the template databases that scripts/test.sh builds."""

import pytest
from odoo_proc import CONF_DIR, TEMPLATE_DEMO, TEMPLATE_NODEMO, OdooDatabase


@pytest.fixture
def make_db():
    made = []

    def factory(demo):
        template = TEMPLATE_DEMO if demo else TEMPLATE_NODEMO
        conf = CONF_DIR / ("test-demo.conf" if demo else "test.conf")
        db = OdooDatabase(template, conf)
        made.append(db)
        return db

    yield factory
    for db in made:
        db.drop()

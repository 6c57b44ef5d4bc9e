"""Repository-level tests drive Odoo as a user would, in separate processes,
on copies of the template databases that scripts/test.sh builds."""

import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CONF_DIR = REPO / ".odoo"
ODOO = REPO / "scripts" / "odoo.sh"
DATA_DIR = Path(
    os.environ.get("LCA_DATA_DIR")
    or Path.home() / ".local" / "share" / "lift_client_approval"
)
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) ", re.M)


class OdooDatabase:
    """A throw-away database copied from a template, and Odoo run on it."""

    def __init__(self, template, conf):
        self.name = f"lca_pkg_{uuid.uuid4().hex[:8]}"
        self.conf = conf
        subprocess.run(["createdb", "-T", template, self.name], check=True)
        filestore = DATA_DIR / "filestore" / template
        if filestore.is_dir():
            shutil.copytree(filestore, DATA_DIR / "filestore" / self.name)

    def odoo(self, *args, stdin=None, command=()):
        """Run odoo-bin (or one of its ``command``s); return (exit code, log)."""
        proc = subprocess.run(
            [str(ODOO), *command, "-c", str(self.conf), "-d", self.name, *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=1200,
            env=dict(os.environ),
        )
        return proc.returncode, proc.stdout + proc.stderr

    def shell(self, code):
        return self.odoo("--log-level=warn", stdin=code, command=("shell",))

    def sql(self, query):
        return subprocess.run(
            ["psql", "-d", self.name, "-tAc", query],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    def drop(self):
        subprocess.run(["dropdb", "--if-exists", self.name], check=False)
        shutil.rmtree(DATA_DIR / "filestore" / self.name, ignore_errors=True)


def problems(log):
    """The log lines at WARNING level or above."""
    return [
        line
        for line in log.splitlines()
        if (match := LOG_LINE.match(line))
        and match.group(1) in ("WARNING", "ERROR", "CRITICAL")
    ]


@pytest.fixture
def make_db():
    made = []

    def factory(demo):
        template = "lca_base_demo" if demo else "lca_base_nodemo"
        conf = CONF_DIR / ("test-demo.conf" if demo else "test.conf")
        db = OdooDatabase(template, conf)
        made.append(db)
        return db

    yield factory
    for db in made:
        db.drop()

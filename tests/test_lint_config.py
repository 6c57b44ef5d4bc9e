"""The lint set is one list: the pre-commit hooks a contributor runs are the
checks `make lint` runs, and pre-commit reads the configuration."""

import re
import subprocess
import sys
from pathlib import Path

import yaml
from odoo_proc import REPO


def test_pre_commit_hooks_are_the_lint_checks():
    checks = subprocess.run(
        ["bash", str(REPO / "scripts" / "lint.sh"), "--list"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert [hook["id"] for hook in hooks] == checks
    for hook in hooks:
        assert re.fullmatch(
            rf"bash scripts/lint\.sh --only {re.escape(hook['id'])}", hook["entry"]
        ), hook


def test_pre_commit_reads_the_configuration():
    pre_commit = Path(sys.executable).parent / "pre-commit"
    proc = subprocess.run(
        [str(pre_commit), "validate-config", ".pre-commit-config.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr

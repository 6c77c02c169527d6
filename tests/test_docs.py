"""The README's promises hold: exactly two set-up commands, Makefile targets that exist, CLI commands that run."""

from __future__ import annotations

import re

from loaders.__main__ import main
from loaders.db import ROOT
from tests.support import cli

README = (ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def test_readme_gives_exactly_the_two_setup_commands():
    block = re.search(r"## Two commands.*?```bash\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make run", "make test"]


def test_every_make_target_the_readme_names_exists():
    named = set(re.findall(r"`make (\w+)`", README))
    defined = set(re.findall(r"^(\w+):", MAKEFILE, re.M))
    assert named, "the README names make targets"
    assert named <= defined


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_build_command_of_the_readme_works(tmp_path, capsys, monkeypatch):
    db = tmp_path / "docs.duckdb"
    done = cli.run(main, ["build", "--db", str(db)], capsys, monkeypatch)
    assert done.returncode == 0, done.stderr
    assert "Đã dựng cơ sở dữ liệu" in done.stdout
    assert db.exists()


def test_every_doc_the_readme_links_exists():
    for link in re.findall(r"\]\(((?:docs|data)/[^)#]+)\)", README):
        assert (ROOT / link).exists(), link

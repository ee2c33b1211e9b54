"""The README keeps up with the CLI: every command documented, and CI runs the README's test command."""

import re
from pathlib import Path

from briefsearch.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_has_help_and_is_in_the_readme():
    for name, command in cli.commands.items():
        assert command.help and command.help.strip(), name
        assert f"briefsearch {name}" in README, f"README does not mention: briefsearch {name}"


def test_ci_runs_exactly_the_readme_test_command():
    commands = re.findall(r"^    (python3 -m venv .*)$", README, flags=re.M)
    assert len(commands) >= 2, "the README starts with the two set-up commands"
    test_command = commands[1]
    assert "pytest" in test_command
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


def test_readme_first_command_indexes_the_seed_and_runs_the_documented_query():
    first = re.findall(r"^    (python3 -m venv .*)$", README, flags=re.M)[0]
    assert first.endswith('briefsearch index && briefsearch query "joint threat assessment"')
    assert (ROOT / "seeds" / "us-missile-defenses-directed-at-russia.txt").exists()

"""The ``linkwell`` command loads an area only when its command runs (issue #15)."""

import subprocess
import sys

import pytest

from linkwell import cli

LOADED_BY_HELP = """
import sys
from linkwell import cli
sys.argv = ["linkwell", "--help"]
try:
    cli.main()
except SystemExit:
    pass
print(" ".join(sorted(m for m in sys.modules if m.startswith("linkwell"))))
"""


def test_help_lists_every_command_without_importing_any_area():
    result = subprocess.run([sys.executable, "-c", LOADED_BY_HELP], capture_output=True,
                            text=True, check=True)
    *help_lines, loaded = result.stdout.strip().splitlines()
    assert loaded.split() == ["linkwell", "linkwell.cli"]
    listed = {line.split()[0] for line in help_lines if line.startswith("  ") and line[2] != " "}
    assert set(cli.COMMANDS) | {"serve"} <= listed


@pytest.mark.parametrize("name", sorted(cli.COMMANDS))
def test_the_listed_help_is_the_commands_own(name):
    command = cli.load(name)
    assert command.name == name
    assert " ".join((command.help or "").split()) == cli.COMMANDS[name][1]


"""The command line's own surface: --help and --version, `catalogue`, and click's messages in
Dutch (click_nl), checked against the installed click."""

from __future__ import annotations

import ast
import inspect
import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pipeline import __version__, click_nl
from pipeline.catalogue import CHECKLIST, FORMS
from pipeline.cli import cli

COMMANDS = ("build", "catalogue", "check", "forms", "init")


def _click_messages() -> set[str]:
    """Every literal click passes to its `_()` or `ngettext()`, in the modules we translate."""
    found: set[str] = set()
    for module in (click.core, click.decorators, click.exceptions, click.formatting,
                   click.parser, click.termui, click.types):
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "ngettext")):
                found |= {a.value for a in node.args
                          if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return found


def test_every_dutch_message_still_exists_in_the_installed_click():
    """A click upgrade that rewords a message would silently bring English back."""
    missing = sorted(set(click_nl.NL) - _click_messages())
    assert missing == [], f"click {version('click')} no longer has: {missing}"


@pytest.mark.slow
def test_importing_the_cli_changes_nothing_in_click():
    """click_nl installs its Dutch when the command runs, not at import."""
    code = ("import click.core, pipeline.cli; "
            "print(click.core._('Show this message and exit.'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    assert out.strip() == "Show this message and exit."


def test_version():
    result = CliRunner().invoke(cli, prog_name="teamprotocol", args=["--version"])
    assert result.exit_code == 0
    assert result.output == f"teamprotocol {__version__}\n"


@pytest.mark.parametrize("command", [(), *((c,) for c in COMMANDS)])
def test_help_is_dutch_and_complete(command: tuple[str, ...]):
    result = CliRunner().invoke(cli, prog_name="teamprotocol", args=[*command, "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Gebruik: teamprotocol")
    assert "Opties:" in result.output
    assert "Toon deze hulp en stop." in result.output
    for english in ("Usage:", "Options:", "[OPTIONS]", "Show this message"):
        assert english not in result.output
    if command:
        assert result.output.startswith(f"Gebruik: teamprotocol {command[0]} [OPTIES]")
    else:
        for name in COMMANDS:
            assert f"  {name} " in result.output


def test_unknown_command_is_a_dutch_usage_error():
    result = CliRunner().invoke(cli, prog_name="teamprotocol", args=["bouw"])
    assert result.exit_code == 2
    assert "Onbekende opdracht 'bouw'" in result.output


def test_catalogue_lists_every_form_field_with_its_checklist_items():
    result = CliRunner().invoke(cli, prog_name="teamprotocol", args=["catalogue"])
    assert result.exit_code == 0, result.output
    for spec in FORMS.values():
        assert spec.title in result.output
        for f in spec.fields:
            assert f"  {f.tag} " in result.output
            assert all(i in result.output for i in f.checklist)


def test_catalogue_json_is_the_catalogue():
    result = CliRunner().invoke(cli, prog_name="teamprotocol", args=["catalogue", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    text = json.dumps(data, ensure_ascii=False)
    assert {item.id for item in CHECKLIST} <= set(_strings(data))
    assert all(f.tag in text for spec in FORMS.values() for f in spec.fields)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.slow
def test_the_installed_command_answers_help_and_version():
    """The console script itself (pyproject), not only the click object."""
    exe = Path(sys.executable).with_name("teamprotocol")
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60,
                         check=True).stdout
    assert out.strip() == f"teamprotocol {__version__}"
    helped = subprocess.run([str(exe), "-h"], capture_output=True, text=True, timeout=60,
                            check=True).stdout
    assert helped.startswith("Gebruik: teamprotocol")


def test_a_number_option_given_text_is_named_in_dutch():
    """click names the type in its message ("integer range" since 8.2): ours says it in Dutch."""
    result = CliRunner().invoke(cli, prog_name="teamprotocol", args=["build", "--jobs", "abc"])
    assert result.exit_code == 2
    assert "'abc' is geen geldig geheel getal." in result.output

"""The YAML mistakes a coordinator makes, each said in Dutch on the line where it is (issue 10,
item 15), through `teamprotocol build`, which reads the policy (and its logo) first."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.policy import default_policy_path

pytestmark = pytest.mark.slow  # every test runs `teamprotocol build` as a subprocess

EXE = Path(sys.executable).with_name("teamprotocol")
DEFAULT = default_policy_path().read_text(encoding="utf-8")
LINES = DEFAULT.split("\n")


def _line_of(prefix: str) -> int:
    """1-based number of the first default-policy line that starts with `prefix` (stripped)."""
    return next(n for n, line in enumerate(LINES, 1) if line.strip().startswith(prefix))


def _with_line(number: int, text: str) -> str:
    lines = LINES[:]
    lines[number - 1] = text
    return "\n".join(lines)


def _run(tmp_path: Path, policy_text: str) -> subprocess.CompletedProcess:
    policy = tmp_path / "beleid.yaml"
    policy.write_text(policy_text, encoding="utf-8")
    (tmp_path / "logo.png").write_bytes((default_policy_path().parent / "logo.png").read_bytes())
    (tmp_path / "formulieren" / "balie").mkdir(parents=True)
    return subprocess.run([str(EXE), "build", str(tmp_path / "formulieren"), "--out",
                           str(tmp_path / "uit"), "--no-pdf", "--policy", str(policy)],
                          capture_output=True, text=True, timeout=60, check=False)


def _error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (proc.args and Path(proc.args[4]).exists())  # nothing written
    [line] = [x for x in proc.stderr.splitlines() if x.startswith("Fout: ")]
    return line


def test_an_unclosed_quote_is_reported_on_its_own_line(tmp_path):
    n = _line_of("organisation:")
    text = _with_line(n, LINES[n - 1].replace("organisation: ", 'organisation: "', 1))
    line = _error(_run(tmp_path, text))
    assert f"regel {n}," in line
    assert "aanhalingsteken" in line


def test_an_unclosed_quote_in_a_bullet_is_reported_on_its_own_line(tmp_path):
    n = _line_of("- We leren van incidenten")
    line = _error(_run(tmp_path, _with_line(n, '        - "We leren van incidenten, samen')))
    assert f"regel {n}," in line
    assert "aanhalingsteken" in line


def test_a_tab_is_named_in_dutch(tmp_path):
    n = _line_of("colour:")
    line = _error(_run(tmp_path, _with_line(n, "\t" + LINES[n - 1].strip())))
    assert f"regel {n}," in line
    assert "tab" in line
    assert "spaties" in line
    assert not re.search(r"found|character|token", line)


def test_a_colon_in_a_bullet_is_named_with_its_line(tmp_path):
    n = _line_of("- We leren van incidenten")
    line = _error(_run(tmp_path, _with_line(n, "        - Bel de meldkamer: 112")))
    assert f"regel {n}:" in line
    assert "dubbele punt" in line
    assert "aanhalingstekens" in line
    assert "getal, datum" not in line


@pytest.mark.parametrize("value", [r"C:\Users\jan\logo.png", r'"C:\Users\jan\logo.png"'])
def test_a_windows_logo_path_is_named(tmp_path, value):
    n = _line_of("logo:")
    line = _error(_run(tmp_path, _with_line(n, f"  logo: {value}")))
    assert "'/'" in line
    assert "Windows-pad" in line
    assert "bestaat niet." not in line

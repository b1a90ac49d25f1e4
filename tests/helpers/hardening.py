"""Helpers for hardening tests (plain functions and data; the fixtures are in its conftest)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from helpers.procs import ctrl_c_as_at_a_terminal, process_pids
from pipeline.models import Answer, TeamIdentity

TEAMPROTOCOL = str(Path(sys.executable).parent / "teamprotocol")


# Team folders whose names are not team ids: reserved on Windows, a space, a backslash.
BAD_FOLDER_NAMES = ("CON", "nul", "team noord", "a\\b")


TWO_TEAM_FORMS = "h-twee-teamformulieren"


def soffice_pids(marker: str | Path) -> list[int]:
    """Our soffice.bin processes: the ones converting, whose profile lies below `marker`."""
    def is_soffice(pid: int) -> bool:
        try:
            return b"soffice" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
        except OSError:  # it exited between the listing and this read
            return False

    return [p for p in process_pids(marker) if is_soffice(p)]


def wait_for(predicate: Callable[[], object], timeout: float, step: float = 0.02) -> object:
    """Poll `predicate` until it is truthy (returned) or `timeout` passes (None)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if value := predicate():
            return value
        time.sleep(step)
    return None


@dataclass
class Sandbox:
    """A private TMPDIR, cache and working folder for `teamprotocol` subprocesses."""

    root: Path
    cache: Path
    tmp: Path = field(init=False)
    cwd: Path = field(init=False)

    def __post_init__(self) -> None:
        self.tmp, self.cwd = self.root / "tmp", self.root / "cwd"
        self.tmp.mkdir(parents=True)
        self.cwd.mkdir()

    def env(self) -> dict[str, str]:
        return {**os.environ, "TMPDIR": str(self.tmp), "XDG_CACHE_HOME": str(self.cache),
                "LC_ALL": "C.UTF-8", "PYTHONUNBUFFERED": "1"}

    def popen(self, *args: str | Path, **kw: object) -> subprocess.Popen[str]:
        """The command started to be stopped while it runs (by Ctrl-C as at a terminal)."""
        return subprocess.Popen([TEAMPROTOCOL, *map(str, args)], cwd=self.cwd, env=self.env(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                preexec_fn=ctrl_c_as_at_a_terminal, **kw)

    def run(self, *args: str | Path, timeout: float = 120, **kw: object
            ) -> subprocess.CompletedProcess[str]:
        started = time.monotonic()
        proc = subprocess.run([TEAMPROTOCOL, *map(str, args)], cwd=self.cwd, env=self.env(),
                              capture_output=True, text=True, timeout=timeout, check=False, **kw)
        proc.seconds = time.monotonic() - started  # type: ignore[attr-defined]
        return proc

    def leftovers(self) -> list[Path]:
        """Anything a run left in its TMPDIR or working folder (soffice work dirs, temp files)."""
        return sorted([*self.tmp.rglob("*"), *self.cwd.rglob("*")])


Teams = dict[str, tuple[TeamIdentity, dict[str, dict[str, Answer]]]]


def tree_digest(root: Path) -> dict[str, str]:
    """Relative path -> sha256 (or 'dir') of everything below `root`."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = str(p.relative_to(root))
        out[rel] = "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@dataclass
class CorpusBuild:
    """One `teamprotocol build` over the corpus next to good teams, and what it left."""

    forms: Path
    out: Path
    proc: subprocess.CompletedProcess[str]
    sandbox: Sandbox
    before: dict[str, str]  # tree_digest of the sandbox root (forms included) before the run
    after: dict[str, str]

    def team_block(self, team: str, required: bool = True) -> str:
        """The stdout lines of one team: its status line and the problem lines below it.
        `build` prints a team only when it needs attention: an optional one may be absent
        (then "")."""
        lines = self.proc.stdout.splitlines()
        starts = [i for i, line in enumerate(lines)
                  if line.startswith("  ") and not line.startswith("      ")
                  and line[2:].rsplit(None, 1)[0].strip() == team]
        if not starts and not required:
            return ""
        assert len(starts) == 1, f"{team!r} staat niet precies één keer in:\n{self.proc.stdout}"
        block = [lines[starts[0]]]
        for line in lines[starts[0] + 1:]:
            if not line.startswith("      "):
                break
            block.append(line)
        return "\n".join(block)

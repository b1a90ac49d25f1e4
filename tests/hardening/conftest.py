"""Fixtures for the hardening tests: good teams written by the project's own writer, the
hostile corpus beside them, and `teamprotocol` run as a real subprocess in a sandbox.

The sandbox gives every run its own TMPDIR, so the soffice processes a run starts carry that
folder in their command line (profile and work folder live below it): the tests find, kill
and count only their own LibreOffice processes, never anyone else's.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hostile import CASES, GOOD, UNICODE_TEAM, UNICODE_TEXT
from procs import process_pids

from pipeline.examples import example_teams
from pipeline.forms.write import locked_texts_of, write_team_forms
from pipeline.models import Answer, TeamIdentity
from pipeline.policy import load_policy

TEAMPROTOCOL = str(Path(sys.executable).parent / "teamprotocol")
# Team folders whose names are not team ids: reserved on Windows, a space, a backslash.
BAD_FOLDER_NAMES = ("CON", "nul", "team noord", "a\\b")
TWO_TEAM_FORMS = "h-twee-teamformulieren"


# --- processes -------------------------------------------------------------------------------

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
        return subprocess.Popen([TEAMPROTOCOL, *map(str, args)], cwd=self.cwd, env=self.env(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)

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


@pytest.fixture(scope="session")
def lo_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private XDG cache holding a copy of the user's warm LibreOffice seed profile.

    The converter deletes its seed profile after a crash; the tests crash soffice on purpose,
    so they must not touch the seed other runs on this machine use. The copy keeps them warm.
    """
    cache = tmp_path_factory.mktemp("cache")
    user = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "teamprotocol"
    if user.is_dir():
        for seed in user.glob("lo-profile-*"):
            with contextlib.suppress(OSError, shutil.Error):
                shutil.copytree(seed, cache / "teamprotocol" / seed.name, symlinks=True)
    return cache


@pytest.fixture
def sandbox(tmp_path: Path, lo_cache: Path) -> Sandbox:
    return Sandbox(tmp_path / "sandbox", lo_cache)


# --- forms -------------------------------------------------------------------------------------

Teams = dict[str, tuple[TeamIdentity, dict[str, dict[str, Answer]]]]


@pytest.fixture(scope="session")
def examples() -> Teams:
    return {identity.team_id: (identity, answers) for identity, answers in example_teams()}


@pytest.fixture(scope="session")
def locked() -> dict[str, str]:
    return locked_texts_of(load_policy())


@pytest.fixture(scope="session")
def write_team(examples: Teams, locked: dict[str, str]) -> Callable[..., Path]:
    """Write an example team's filled forms to `dest/<team_id>/`, optionally renamed/changed.

    `team_id` renames the team (folder and the id inside the forms); `answers` overrides
    answers by form kind; `identity` overrides identity fields (team lead, ...).
    """

    def write(dest: Path, base: str, team_id: str | None = None,
              answers: dict[str, dict[str, Answer]] | None = None,
              identity: dict[str, object] | None = None) -> Path:
        ident, base_answers = examples[base]
        ident = ident.model_copy(update={"team_id": team_id or base, **(identity or {})})
        merged = {kind: {**a, **(answers or {}).get(kind, {})} for kind, a in base_answers.items()}
        write_team_forms(ident, dest, merged, locked)
        return dest / ident.team_id

    return write


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

    def team_block(self, team: str) -> str:
        """The stdout lines of one team: its status line and the problem lines below it."""
        lines = self.proc.stdout.splitlines()
        starts = [i for i, line in enumerate(lines)
                  if line.startswith("  ") and not line.startswith("      ")
                  and line[2:].rsplit(None, 1)[0].strip() == team]
        assert len(starts) == 1, f"{team!r} staat niet precies één keer in:\n{self.proc.stdout}"
        block = [lines[starts[0]]]
        for line in lines[starts[0] + 1:]:
            if not line.startswith("      "):
                break
            block.append(line)
        return "\n".join(block)


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory: pytest.TempPathFactory, write_team: Callable[..., Path],
                 lo_cache: Path) -> CorpusBuild:
    """Every hostile team folder beside good teams, built once by the real CLI, with PDFs."""
    root = tmp_path_factory.mktemp("corpus")
    box = Sandbox(root / "sandbox", lo_cache)
    forms = box.root / "formulieren"
    for team in GOOD:
        write_team(forms, team)
    write_team(forms, "klantcontactcentrum", team_id=UNICODE_TEAM,
               identity={"team": "Team Zoe\u0308 \u202bשלום\u202c",
                         "leidinggevende": "Ame\u0301lie"},
               answers={"team": {"team.opvolging": UNICODE_TEXT,
                                 "team.norm_voorbeelden": UNICODE_TEXT + "\n- " + UNICODE_TEXT}})
    for case in CASES:
        folder = write_team(forms, "klantcontactcentrum", team_id=case.team)
        good = folder / "team.docx"
        scratch = box.root / "scratch.docx"
        case.make(good, scratch)
        scratch.replace(good)
    for name in BAD_FOLDER_NAMES:
        write_team(forms, "klantcontactcentrum", team_id="x").rename(forms / name)
    two = write_team(forms, "klantcontactcentrum", team_id=TWO_TEAM_FORMS)
    shutil.copy(two / "team.docx", two / "team (2).docx")
    out = box.root / "uitvoer"
    before = tree_digest(box.root)
    proc = box.run("build", forms, "--policy", "voorbeeld", "--out", out, timeout=300)
    after = tree_digest(box.root)
    return CorpusBuild(forms=forms, out=out, proc=proc, sandbox=box, before=before, after=after)

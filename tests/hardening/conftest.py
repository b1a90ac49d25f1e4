"""Fixtures for the hardening tests: good teams written by the project's own writer, the
hostile corpus beside them, and `teamprotocol` run as a real subprocess in a sandbox.

The sandbox gives every run its own TMPDIR, so the soffice processes a run starts carry that
folder in their command line (profile and work folder live below it): the tests find, kill
and count only their own LibreOffice processes, never anyone else's."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.hardening import (
    BAD_FOLDER_NAMES,
    TWO_TEAM_FORMS,
    CorpusBuild,
    Sandbox,
    Teams,
    tree_digest,
)
from helpers.hostile import CASES, GOOD, UNICODE_TEAM, UNICODE_TEXT
from helpers.shared import once

from pipeline.examples import example_teams
from pipeline.forms.write import locked_texts_of, write_team_forms
from pipeline.models import Answer, TeamIdentity
from pipeline.policy import load_policy


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
        # Validated, so a misspelt override fails instead of being ignored.
        ident = TeamIdentity(**{**ident.model_dump(), "team_id": team_id or base,
                                **(identity or {})})
        merged = {kind: {**a, **(answers or {}).get(kind, {})} for kind, a in base_answers.items()}
        write_team_forms(ident, dest, merged, locked)
        return dest / ident.team_id

    return write


@pytest.fixture(scope="session")
def corpus_forms(tmp_path_factory: pytest.TempPathFactory,
                 write_team: Callable[..., Path]) -> Path:
    """Every hostile team folder beside good teams, as forms only (no build, no LibreOffice):
    what the tests that only read forms need."""
    return once(tmp_path_factory, "corpus-forms",
                lambda folder: _write_corpus(folder / "formulieren", write_team))


def _write_corpus(forms: Path, write_team: Callable[..., Path]) -> Path:
    for team in GOOD:
        write_team(forms, team)
    write_team(forms, "klantcontactcentrum", team_id=UNICODE_TEAM,
               identity={"team": "Team Zoe\u0308 \u202bשלום\u202c",
                         "team_lead": "Ame\u0301lie"},
               answers={"team": {"team.opvolging": UNICODE_TEXT,
                                 "team.norm_voorbeelden": UNICODE_TEXT + "\n- " + UNICODE_TEXT}})
    scratch = forms.parent / "scratch.docx"
    for case in CASES:
        folder = write_team(forms, "klantcontactcentrum", team_id=case.team)
        good = folder / "team.docx"
        case.make(good, scratch)
        scratch.replace(good)
    for name in BAD_FOLDER_NAMES:
        write_team(forms, "klantcontactcentrum", team_id="x").rename(forms / name)
    two = write_team(forms, "klantcontactcentrum", team_id=TWO_TEAM_FORMS)
    shutil.copy(two / "team.docx", two / "team (2).docx")
    return forms


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory: pytest.TempPathFactory, corpus_forms: Path,
                 lo_cache: Path) -> CorpusBuild:
    """The corpus forms, copied into a sandbox and built once by the real CLI, with PDFs."""
    return once(tmp_path_factory, "corpus",
                lambda root: _build_corpus(root, corpus_forms, lo_cache))


def _build_corpus(root: Path, corpus_forms: Path, lo_cache: Path) -> CorpusBuild:
    box = Sandbox(root / "sandbox", lo_cache)
    forms = box.root / "formulieren"
    shutil.copytree(corpus_forms, forms, symlinks=True)
    out = box.root / "uitvoer"
    before = tree_digest(box.root)
    proc = box.run("build", forms, "--policy", "voorbeeld", "--out", out, timeout=300)
    after = tree_digest(box.root)
    return CorpusBuild(forms=forms, out=out, proc=proc, sandbox=box, before=before, after=after)

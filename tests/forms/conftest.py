"""Fixtures for the forms tests: a team identity and freshly written forms on disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.forms.write import write_form
from pipeline.models import Answer, TeamIdentity

HERE = Path(__file__).parent
REPO = HERE.parent.parent


@pytest.fixture
def identity() -> TeamIdentity:
    return TeamIdentity(team_id="burgerzaken", team="Burgerzaken & Balie",
                        department="Publiekszaken", team_lead="Anja de Vries",
                        contact_kinds=("balie", "digitaal"))


@pytest.fixture(scope="session")
def blank_forms() -> dict[tuple[str, str], bytes]:
    """write_form's bytes of blank forms, by (kind, identity as JSON), filled as tests ask.

    The writer gives the same bytes for the same inputs (test_forms_roundtrip proves it), so
    a blank form is written once per kind (~0.15 s each) instead of in ~40 tests."""
    return {}


@pytest.fixture
def make_form(tmp_path: Path, identity: TeamIdentity,
              blank_forms: dict[tuple[str, str], bytes]) -> Callable[..., Path]:
    """Write one form kind (optionally with answers) to `tmp_path/<team_id>/<kind>.docx`;
    every call writes its own file, a blank one from `blank_forms`."""

    def make(kind: str, answers: dict[str, Answer] | None = None, **kw: object) -> Path:
        folder = tmp_path / identity.team_id
        folder.mkdir(exist_ok=True)
        path = folder / f"{kind}.docx"
        if answers is None and not kw:
            key = (kind, identity.model_dump_json())
            if key not in blank_forms:
                blank_forms[key] = write_form(kind, identity)
            path.write_bytes(blank_forms[key])
        else:
            path.write_bytes(write_form(kind, identity, answers, **kw))
        return path

    return make

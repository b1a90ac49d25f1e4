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


@pytest.fixture
def make_form(tmp_path: Path, identity: TeamIdentity) -> Callable[..., Path]:
    """Write one form kind (optionally with answers) to `tmp_path/<team_id>/<kind>.docx`."""

    def make(kind: str, answers: dict[str, Answer] | None = None, **kw: object) -> Path:
        folder = tmp_path / identity.team_id
        folder.mkdir(exist_ok=True)
        path = folder / f"{kind}.docx"
        path.write_bytes(write_form(kind, identity, answers, **kw))
        return path

    return make

"""Fixtures for the batch tests: real forms written to disk, real builds, readers for the output.

Builds are expensive (LibreOffice), so every build that tests only read is made once per run
(`helpers.shared.once`: once across the pytest-xdist workers too); tests that change inputs or
outputs copy a build first or make their own small one without PDFs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers.batch import (
    build,
    run_cli,
)
from helpers.shared import once

from pipeline.batch import BatchReport
from pipeline.examples import example_teams, write_example_forms
from pipeline.models import Answer, TeamIdentity
from pipeline.policy import Policy, load_policy


@pytest.fixture(scope="session")
def default_policy() -> Policy:
    return load_policy()


@pytest.fixture(scope="session")
def examples() -> dict[str, tuple[TeamIdentity, dict[str, dict[str, Answer]]]]:
    """The example teams as data (identity, answers by form kind), keyed by team id."""
    return {identity.team_id: (identity, answers) for identity, answers in example_teams()}


@pytest.fixture(scope="session")
def example_forms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example teams' filled Word forms, written once; tests must not change them."""
    def make(folder: Path) -> Path:
        write_example_forms(folder / "formulieren")
        return folder / "formulieren"

    return once(tmp_path_factory, "voorbeeld", make)


@pytest.fixture(scope="session")
def example_build(example_forms: Path,
                  tmp_path_factory: pytest.TempPathFactory) -> tuple[BatchReport, Path]:
    """The example teams built once with PDFs: (report, output folder). Read only."""
    def make(folder: Path) -> tuple[BatchReport, Path]:
        return build(example_forms, folder / "output", jobs=2), folder / "output"

    return once(tmp_path_factory, "voorbeeld-uit", make)


@pytest.fixture(scope="session")
def cli_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path]:
    """`teamprotocol build` without arguments in an empty folder, as `make demo` runs it."""
    return once(tmp_path_factory, "demo", lambda cwd: (run_cli("build", cwd=cwd), cwd / "output"))

"""Shared by every test folder: `tests/` itself is on sys.path (pytest puts a conftest's
folder there), so the helper modules in `tests/helpers/` import as `helpers.<name>`."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

# The fixtures that start LibreOffice, themselves or through the command line they run. Every
# test using one (directly or through another fixture) gets the `libreoffice` marker, so
# `pytest -m "not libreoffice"` leaves LibreOffice out. Test modules that start it in their
# own code say so with `pytestmark = pytest.mark.libreoffice`.
LIBREOFFICE_FIXTURES = frozenset({"converted", "example_build", "cli_demo", "lo_cache",
                                  "corpus_build", "mixed_cli", "adopted_twins",
                                  "protocol_pdf"})

# The builds that tests in several modules read (`example_build`, `cli_demo`, `converted`,
# `corpus_forms`, `corpus_build`) are made once per run, also under pytest-xdist, by
# `helpers.shared.once` (a FileLock in a folder the workers share): tests need not be kept
# together on one worker for that, so `make test` distributes them freely.


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if LIBREOFFICE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.libreoffice)


# A test without the `libreoffice` marker runs (setup, call and teardown, so its module and
# session fixtures too) with a `soffice` first on PATH that notes it was started and exits
# with an error, and the test fails saying it started LibreOffice: a forgotten marker cannot
# slip LibreOffice into `make quick`. Subprocesses inherit PATH, so the command line's
# conversions are caught as well.
_STUB = """#!/bin/sh
echo "$*" >> "{log}"
echo "soffice gestart door een test zonder de libreoffice-marker" >&2
exit 3
"""
_no_soffice = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    folder = Path(tempfile.mkdtemp(prefix="teamprotocol-no-soffice-"))
    for name in ("soffice", "libreoffice"):
        (folder / name).write_text(_STUB.format(log=folder / "started"), encoding="utf-8")
        (folder / name).chmod(0o755)
    config.stash[_no_soffice] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_no_soffice, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _without_soffice(item: pytest.Item, when: str) -> Generator[None, Any, Any]:
    folder = item.config.stash.get(_no_soffice, None)
    if folder is None or item.get_closest_marker("libreoffice"):
        return (yield)
    started = folder / "started"
    started.unlink(missing_ok=True)
    path = os.environ.get("PATH", "")
    os.environ["PATH"] = f"{folder}{os.pathsep}{path}"
    try:
        return (yield)
    finally:  # also when the phase failed: the stub's failure is then the likely cause
        os.environ["PATH"] = path
        if started.exists():
            pytest.fail(f"{when}: started LibreOffice without the libreoffice marker (mark "
                        "the test, or add its fixture to LIBREOFFICE_FIXTURES): soffice "
                        + started.read_text(encoding="utf-8")[:200], pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, Any, Any]:
    return (yield from _without_soffice(item, "setup"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, Any]:
    return (yield from _without_soffice(item, "call"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None
                            ) -> Generator[None, Any, Any]:
    return (yield from _without_soffice(item, "teardown"))


@pytest.fixture
def logo(tmp_path_factory: pytest.TempPathFactory):
    """A small PNG logo (render and report tests)."""
    path = tmp_path_factory.mktemp("logo") / "logo.png"
    Image.new("RGB", (240, 80), (122, 31, 92)).save(path)
    return path


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the answer rule's precision and recall on the corpus after every run that ran
    its tests (the figures the tests in tests/merge/test_answer_corpus.py assert)."""
    if getattr(terminalreporter.config, "workerinput", None) is not None:
        return  # a pytest-xdist worker: the controller prints
    ran = any("test_answer_corpus" in r.nodeid
              for reports in terminalreporter.stats.values() for r in reports
              if hasattr(r, "nodeid"))
    if not ran:
        return
    from helpers.corpus import summary

    for line in summary():
        terminalreporter.write_line(line)

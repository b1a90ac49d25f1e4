"""Shared by every test folder: `tests/` itself is on sys.path (pytest puts a conftest's
folder there), so the helper modules in `tests/helpers/` import as `helpers.<name>`."""

from __future__ import annotations

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

"""Shared by every test folder: `tests/` itself is on sys.path (pytest puts a conftest's
folder there), so helper modules beside this file, such as `docx_surgery`, import by name."""

from __future__ import annotations

import pytest
from PIL import Image

# The fixtures that start LibreOffice, themselves or through the command line they run. Every
# test using one (directly or through another fixture) gets the `libreoffice` marker, so
# `pytest -m "not libreoffice"` is the quick inner loop. Test modules that start it in their
# own code say so with `pytestmark = pytest.mark.libreoffice`.
LIBREOFFICE_FIXTURES = frozenset({"converted", "example_build", "cli_demo", "lo_cache",
                                  "corpus_build"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if LIBREOFFICE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.libreoffice)


@pytest.fixture
def logo(tmp_path_factory: pytest.TempPathFactory):
    """A small PNG logo (render and report tests)."""
    path = tmp_path_factory.mktemp("logo") / "logo.png"
    Image.new("RGB", (240, 80), (122, 31, 92)).save(path)
    return path

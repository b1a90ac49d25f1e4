"""Shared by every test folder: `tests/` itself is on sys.path (pytest puts a conftest's
folder there), so the helper modules in `tests/helpers/` import as `helpers.<name>`."""

from __future__ import annotations

import shutil
import tempfile
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

# The session-scoped builds that tests in several modules read. Under pytest-xdist (`make test`
# runs `-n 2 --dist loadgroup`) a module's tests run on one worker, so its module-scoped
# fixtures are made once, and the modules reading one of these builds run on one worker
# together, so each build is made once, not once per worker.
SHARED_BUILDS = ("corpus_forms", "corpus_build", "example_build", "cli_demo", "converted")

# xdist 3.8's own loadgroup reads `xdist_group` marks and renames the test ids, which pytest 9.2
# no longer lets it do (ids are not plain strings any more): it silently sends a module's tests
# to both workers. So the workers write each test's group to a folder the controller made, and
# the controller's scheduler groups by it (`pytest_xdist_make_scheduler` below).
_GROUPS = "teamprotocol_test_groups"


def _groups(items: list[pytest.Item]) -> dict[str, str]:
    """Test id -> group: its module, merged with every module sharing a build with it."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    for item in items:
        module = item.nodeid.split("::", 1)[0]
        for name in SHARED_BUILDS:
            if name in getattr(item, "fixturenames", ()):
                parent[root(module)] = root(name)
    return {item.nodeid: root(item.nodeid.split("::", 1)[0]) for item in items}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if LIBREOFFICE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.libreoffice)
    folder = getattr(config, "workerinput", {}).get(_GROUPS)
    if folder:
        worker = config.workerinput["workerid"]  # type: ignore[attr-defined]
        lines = "".join(f"{test}\t{group}\n" for test, group in _groups(items).items())
        (Path(folder) / f"{worker}.tsv").write_text(lines, encoding="utf-8")


def _grouping(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput") and config.pluginmanager.hasplugin("xdist") \
        and config.getoption("dist", None) == "loadgroup" \
        and bool(config.getoption("numprocesses", None))


def pytest_configure(config: pytest.Config) -> None:
    if _grouping(config):
        config.stash[_groups_key] = Path(tempfile.mkdtemp(prefix="teamprotocol-test-groups-"))


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_groups_key, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


_groups_key = pytest.StashKey[Path]()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    folder = node.config.stash.get(_groups_key, None)
    if folder is not None:
        node.workerinput[_GROUPS] = str(folder)


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if not _grouping(config):
        return None
    from xdist.scheduler import LoadScopeScheduling

    folder = config.stash[_groups_key]

    class _GroupScheduling(LoadScopeScheduling):  # type: ignore[misc]
        """xdist's loadscope, with the scope of a test read from the workers' group files."""

        groups: dict[str, str] = {}

        def _split_scope(self, nodeid: str) -> str:
            if not self.groups:  # read once the workers have collected (they wrote it then)
                for path in folder.glob("*.tsv"):
                    for line in path.read_text(encoding="utf-8").splitlines():
                        test, _, group = line.rpartition("\t")
                        self.groups[test] = group
            return self.groups.get(nodeid, nodeid.split("::", 1)[0])

    return _GroupScheduling(config, log)


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

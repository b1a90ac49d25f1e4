"""Session builds made once per test run, also under pytest-xdist.

xdist's documented pattern ("Making session-scoped fixtures execute only once"): every worker
has its own session, so a session fixture would be made once per worker; instead the first
worker to need a build makes it in a folder all workers of this run share, under a FileLock,
and leaves the fixture's value there (pickled); the others wait on the lock and read it. So
tests can go to any worker (`--dist load`), and no build is made twice.

The folder is the parent of the worker's own base temp (`pytest-N/`), which belongs to this
run only; without xdist the build goes to an ordinary session temp folder. What a shared build
wrote is read only for the tests: a test that changes it copies it first."""

from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from filelock import FileLock

T = TypeVar("T")


def once(tmp_path_factory: pytest.TempPathFactory, name: str,
         make: Callable[[Path], T]) -> T:
    """`make(folder)` run once per test run, in an empty `folder`; its value for every worker.

    A make that raises leaves no value, so the next worker to need it tries again (and fails
    with its own traceback) instead of reading half a build."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return make(tmp_path_factory.mktemp(name))
    shared = tmp_path_factory.getbasetemp().parent / "shared"
    shared.mkdir(exist_ok=True)
    folder, value = shared / name, shared / f"{name}.pickle"
    with FileLock(shared / f"{name}.lock"):
        if value.is_file():
            return pickle.loads(value.read_bytes())
        if folder.exists():
            shutil.rmtree(folder)  # what a worker whose make raised left behind
        folder.mkdir()
        result = make(folder)
        value.write_bytes(pickle.dumps(result))
        return result

"""Every soffice process group a converter starts, and the ways they are ended whatever
happens: at interpreter exit, by a guard process that outlives a SIGKILL of ours, on Ctrl-C
and SIGTERM (for the command line), and by the next run for work folders an earlier one left."""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

# Every soffice process group this Python process started and has not reaped yet; killed at
# interpreter exit whatever happened (exception, Ctrl-C, SystemExit from SIGTERM).
_LIVE: set[subprocess.Popen[bytes]] = set()
_LIVE_LOCK = threading.Lock()
_WORK_DIRS: set[Path] = set()  # work folders of converters not closed yet

WORK_PREFIX = "teamprotocol-lo-"
_OWNER = "owner.pid"  # in every work folder: "<pid> <host>" of the Python process that made it
_STALE_SECONDS = 3600

# The guard: a tiny second process per converter that outlives a SIGKILL of ours. We tell it
# on its stdin which soffice process groups are running ("+pgid" / "-pgid"); when that pipe
# closes, because we closed it or because the kernel did when we died, it kills the groups
# still running and removes the work folder. Without it a `kill -9` of the batch left soffice
# converting (measured: it went on for the rest of its list) and the work folder, with staff
# names in protocol PDFs, in the temp dir. Its own session: Ctrl-C in the terminal is ours
# to handle, not its. Plain Python with no imports from this package, so it starts in ~20 ms.
_GUARD = """
import os, shutil, signal, sys
groups = set()
for line in sys.stdin:
    line = line.strip()
    if line[1:].isdigit():
        (groups.add if line[0] == "+" else groups.discard)(int(line[1:]))
for pgid in groups:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        pass
shutil.rmtree(sys.argv[1], ignore_errors=True)
"""


@functools.lru_cache(maxsize=1)
def _register_exit_hook() -> None:
    """Kill what is still running at interpreter exit; registered with the first process."""
    atexit.register(_kill_all_live)


def _kill_all_live() -> None:
    with _LIVE_LOCK:
        procs = list(_LIVE)
    for proc in procs:
        kill_group(proc)
    for work in list(_WORK_DIRS):
        shutil.rmtree(work, ignore_errors=True)


def start_group(cmd: list[str], *, log: Path, cwd: Path, env: dict[str, str]
                ) -> subprocess.Popen[bytes]:
    """Start `cmd` as the leader of a new process group, registered until `kill_group`."""
    _register_exit_hook()
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, cwd=cwd, env=env,
                                start_new_session=True)
    with _LIVE_LOCK:
        _LIVE.add(proc)
    return proc


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the whole process group (oosplash and its soffice.bin child) and reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)
    with _LIVE_LOCK:
        _LIVE.discard(proc)


def make_work_dir() -> Path:
    """A new private work folder with its owner file, removed at exit if not before."""
    _register_exit_hook()
    remove_stale_work_dirs()
    root = Path(tempfile.mkdtemp(prefix=WORK_PREFIX))
    _WORK_DIRS.add(root)
    (root / _OWNER).write_text(f"{os.getpid()} {socket.gethostname()}", encoding="utf-8")
    return root


def remove_work_dir(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
    _WORK_DIRS.discard(root)


class Guard:
    """The guard process of one work folder (see `_GUARD`): told every group started and
    ended, it kills what is left and removes the folder when our end of its pipe closes."""

    def __init__(self, work_dir: Path) -> None:
        self._proc = subprocess.Popen([sys.executable, "-I", "-c", _GUARD, str(work_dir)],
                                      stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL, start_new_session=True)

    def started(self, proc: subprocess.Popen[bytes]) -> None:
        self._tell(f"+{proc.pid}")

    def ended(self, proc: subprocess.Popen[bytes]) -> None:
        self._tell(f"-{proc.pid}")

    def _tell(self, line: str) -> None:
        """One line to the guard; a guard that is gone only costs the kill -9 protection."""
        if self._proc.stdin is None:
            return
        with contextlib.suppress(OSError, ValueError):
            self._proc.stdin.write(f"{line}\n".encode())
            self._proc.stdin.flush()

    def close(self) -> None:
        if self._proc.stdin is not None:
            with contextlib.suppress(OSError):
                self._proc.stdin.close()  # the guard finds nothing left to do, and ends
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._proc.wait(timeout=10)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_work_dirs(tmp: Path | None = None) -> list[Path]:
    """Remove work folders of converters whose Python process is gone; the ones removed.

    The guard removes a killed run's folder; this catches what a guard killed with it (an
    OOM kill of both, a power loss on a persistent /tmp) left: its PDFs hold staff names.
    Only this user's folders, and only with an owner file naming a dead process.
    """
    removed = []
    base = Path(tmp or tempfile.gettempdir())
    host = socket.gethostname()
    for work in base.glob(f"{WORK_PREFIX}*"):
        try:
            st = work.lstat()
            if st.st_uid != os.getuid() or not stat.S_ISDIR(st.st_mode):
                continue
            pid_text, _, owner_host = (work / _OWNER).read_text(encoding="utf-8").partition(" ")
            pid = int(pid_text)
        except (OSError, ValueError):
            continue
        # Another machine or container sharing this temp dir has its own process ids; and a
        # live converter touches its folder with every list (seconds apart), so an hour
        # without change and a dead owner on this host is surely stale.
        if owner_host.strip() != host or time.time() - st.st_mtime < _STALE_SECONDS:
            continue
        if pid != os.getpid() and not _pid_alive(pid):
            shutil.rmtree(work, ignore_errors=True)
            removed.append(work)
    return removed


@contextlib.contextmanager
def signals_end_the_run(received: list[int]) -> Iterator[None]:
    """Inside: Ctrl-C and SIGTERM end the run by unwinding, and each is noted in `received`.

    SIGINT raises KeyboardInterrupt as Python's own handler does; SIGTERM raises SystemExit
    (it would otherwise end Python without unwinding, leaving soffice running until the
    guard kills it a moment later), so converters close and the exit hook runs. The note is
    what tells an interruption apart from a failure: a library may wrap the exception on its
    way out (pydantic's JSON serializer turns a KeyboardInterrupt raised inside it into a
    PydanticSerializationError). For the command line and scripts that own the process;
    only in the main thread, and each signal only while nobody else handles it.
    """
    defaults = {signal.SIGINT: signal.default_int_handler, signal.SIGTERM: signal.SIG_DFL}

    def end(signum: int, _frame: FrameType | None) -> None:
        # Every signal raises, as Python's own handler does: were the first one swallowed on
        # its way out (wrapped, then caught as another error), the next still stops the run.
        received.append(signum)
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise SystemExit(128 + signum)

    mine = ({} if threading.current_thread() is not threading.main_thread() else
            {s: d for s, d in defaults.items() if signal.getsignal(s) is d})
    for signum in mine:
        signal.signal(signum, end)
    try:
        yield
    finally:
        for signum, old in mine.items():
            with contextlib.suppress(ValueError):
                signal.signal(signum, old)

"""Read forms one at a time in forked children under a memory limit; print one JSON per form.

Usage: python bounded_read.py LIMIT_MB FORM.docx...

The reader is imported once, then each form is read in a fresh fork whose address space may
grow by at most LIMIT_MB (RLIMIT_AS) and which has 10 s of CPU (RLIMIT_CPU). Each line says
how the read ended (`FormData`, `FormError`, another exception's name, or `timeout`), how long
it took and how much the resident set grew at its peak (VmHWM, reset at the start).
"""

from __future__ import annotations

import json
import os
import resource
import select
import signal
import sys
import time
from pathlib import Path

from pipeline.errors import FormError
from pipeline.forms.read import read_form

WALL_LIMIT = 20.0


def _kb(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


def _child(path: str, limit_mb: int, out: int) -> None:
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current RSS
    base = _kb("VmRSS")
    extra = limit_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (_kb("VmSize") * 1024 + extra,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (10, 10))
    started = time.perf_counter()
    try:
        read_form(Path(path))
        outcome = "FormData"
    except FormError:
        outcome = "FormError"
    except BaseException as e:  # whatever escaped: the test names it
        outcome = type(e).__name__
    result = {"path": path, "outcome": outcome, "seconds": time.perf_counter() - started,
              "extra_mb": (_kb("VmHWM") - base) / 1024}
    os.write(out, json.dumps(result).encode())


def main(limit_mb: int, paths: list[str]) -> None:
    for path in paths:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            try:
                _child(path, limit_mb, w)
            finally:
                os._exit(0)
        os.close(w)
        ready, _, _ = select.select([r], [], [], WALL_LIMIT)
        data = os.read(r, 65536) if ready else b""
        if not ready:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(r)
        print(data.decode() if data else json.dumps({"path": path, "outcome": "timeout"}),
              flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2:])

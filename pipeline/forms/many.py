"""The forms of many teams at once: one worker process per core.

Measured (issue 26): `forms` for 2,000 teams (6,886 forms) took 16.5 minutes, 0.14 s of one
core's CPU per form (python-docx building the document, the glossary and styles, zlib);
the other core idled. Each team's forms are independent files, so the teams are shared out
over worker processes; their bytes are the same as when written here. Under
`WORKERS_FROM` teams they are written in this process: a worker's start costs more than a
few teams' forms.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from pipeline import terms
from pipeline.forms import layout
from pipeline.forms.write import write_team_forms
from pipeline.models import Answer, TeamIdentity

WORKERS_FROM = 8  # teams


@dataclass(frozen=True)
class TeamJob:
    """One team's forms: who, and (forms --from) the previous round's answers and notes."""

    identity: TeamIdentity
    answers: Mapping[str, Mapping[str, Answer]] | None = None
    notes: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Common:
    """What every team's forms share."""

    out_dir: Path
    locked_texts: Mapping[str, str] | None
    terminology: str = terms.DEFAULT
    look: layout.Look | None = None
    arranged: tuple[str, ...] = ()  # the Stap 1 overview on the team form (`arranged_lines`)


_common: Common | None = None  # a worker's, set once by `_start`


def _start(common: Common) -> None:
    global _common
    _common = common
    # Ctrl-C reaches the whole process group: the parent stops the run, a worker finishes
    # the team it is writing (into the staging folder) instead of printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _write(job: TeamJob, common: Common | None = None) -> None:
    c = common or _common
    assert c is not None
    write_team_forms(job.identity, c.out_dir, job.answers, c.locked_texts, job.notes,
                     terminology=c.terminology, look=c.look, arranged=c.arranged)


def write_many(jobs: Sequence[TeamJob], common: Common, done: Callable[[], None],
               workers: int | None = None) -> None:
    """Write every team's forms into `common.out_dir`; `done` is called once per team.

    A team whose worker failed is written again here, so its error is raised as it would be
    without workers (an exception's own arguments do not always survive the trip back).
    """
    workers = workers or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                          else os.cpu_count() or 1)
    if len(jobs) < WORKERS_FROM or workers < 2:
        for job in jobs:
            _write(job, common)
            done()
        return
    # fork: the worker has this process's modules already (no second second of imports);
    # the command line runs no threads here.
    method = "fork" if "fork" in get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(workers, mp_context=get_context(method), initializer=_start,
                             initargs=(common,)) as pool:
        pending: dict[Future[None], TeamJob] = {}
        queue = list(reversed(jobs))
        try:
            while queue or pending:
                # A few teams per worker in flight: the pool is fed as teams finish, so a
                # stop (Ctrl-C, an error) leaves little work queued.
                while queue and len(pending) < 2 * workers:
                    job = queue.pop()
                    pending[pool.submit(_write, job)] = job
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    job = pending.pop(future)
                    if future.exception() is not None:
                        _write(job, common)
                    done()
        except BaseException:
            for future in pending:
                future.cancel()
            raise

"""The `teamprotocol` command: one module per command (click only, each calling the stages
and printing), joined here into one group with one entry point."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import NoReturn

import click

from pipeline import __version__, click_nl
from pipeline.cli.common import CONTEXT
from pipeline.errors import TeamprotocolError, os_reason
from pipeline.pdf.processes import signals_end_the_run

# Each command's module, imported only when that command runs or `--help` lists it (click's
# documented lazy subcommands): `check` does not load the build's libraries (openpyxl,
# icalendar, pypdf, docxtpl, page), and every command starts faster.
# Command name -> (module, function); `versie` is the function `version` in `version.py`
# (keyed by module name it was listed as "version" and "versie" was an unknown command).
COMMANDS = {**{name: (f"pipeline.cli.{name}", name)
               for name in ("build", "catalogue", "check", "forms", "init")},
            "versie": ("pipeline.cli.version", "version")}


class _LazyGroup(click_nl.Group):
    """The group whose commands are imported by name from `COMMANDS` when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, function = COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(module), function)
        return command


@click.group(cls=_LazyGroup, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="teamprotocol",
                      message="%(prog)s %(version)s", help="Toon het versienummer en stop.")
def cli() -> None:
    """Teamprotocollen voor veilige publieke dienstverlening.

    Van ingevulde Word-formulieren per team naar een protocol in huisstijl (Word en PDF/A),
    met een bijlage die laat zien wat geregeld is en wat nog niet.
    """


def main() -> None:
    """Console entry point: a Dutch line and an exit code for every known problem."""
    received: list[int] = []  # Ctrl-C or SIGTERM, once one arrives
    try:
        # Without standalone mode click returns the exit code of `ctx.exit(n)` instead of exiting.
        # A signal unwinds the run, so LibreOffice is closed on the way out.
        with signals_end_the_run(received):
            rc = cli.main(standalone_mode=False)
    except BaseException as e:  # noqa: BLE001  (each kind gets its line and exit code below)
        if received:
            # Whatever comes out after a signal is the interruption, also when a library
            # wrapped it on the way (see `signals_end_the_run`): never a crash log for it.
            click.echo("Afgebroken.", err=True)
            sys.exit(128 + received[0])
        _exit_for(e)
    sys.exit(rc if isinstance(rc, int) else 0)


def _exit_for(exc: BaseException) -> NoReturn:
    """Exit with one Dutch line for what ended the command, or re-raise SystemExit and the
    like, which are no problem to report."""
    match exc:
        case TeamprotocolError():
            click.echo(f"Fout: {exc.format()}", err=True)
            sys.exit(1)
        case OSError():  # a path the stages did not expect to fail: still one Dutch line
            where = f"{exc.filename} — " if exc.filename else ""
            click.echo(f"Fout: {where}kon niet worden gelezen of geschreven ({os_reason(exc)}). "
                       "Controleer het pad en de rechten, en probeer het opnieuw.", err=True)
            sys.exit(1)
        case click.exceptions.Abort():
            click.echo("Afgebroken.", err=True)
            sys.exit(130)
        case click.ClickException():
            exc.show()
            sys.exit(exc.exit_code)
        case Exception():  # the last guard: never a traceback on screen
            log = _write_crash_log(exc)
            where = f"De details staan in {log}" if log else "De details konden niet worden bewaard"
            click.echo(f"Fout: er ging iets onverwachts mis in teamprotocol "
                       f"({type(exc).__name__}). {where}; stuur dat bestand naar de beheerder "
                       "van teamprotocol.", err=True)
            sys.exit(70)  # EX_SOFTWARE: our fault, not the user's input (1) nor their command (2)
    raise exc


def _write_crash_log(exc: BaseException) -> Path | None:
    """The traceback of an unexpected error in a new file in the temp folder, or None.

    The file is private (mkstemp: mode 0600) because a traceback may quote a form's text.
    """
    try:
        fd, name = tempfile.mkstemp(prefix="teamprotocol-fout-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            now = dt.datetime.now().isoformat(timespec="seconds")
            fh.write(f"teamprotocol {__version__}, {now}\n")
            fh.write(f"opdracht: {' '.join(sys.argv[1:])}\n\n")
            fh.write("".join(traceback.format_exception(exc)))
        return Path(name)
    except OSError:
        return None

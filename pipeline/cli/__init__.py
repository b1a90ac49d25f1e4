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

import click

from pipeline import __version__, click_nl
from pipeline.cli.common import CONTEXT
from pipeline.errors import TeamprotocolError, os_reason
from pipeline.pdf.processes import sigterm_exits

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
    try:
        # Without standalone mode click returns the exit code of `ctx.exit(n)` instead of exiting.
        # SIGTERM ends the run as SystemExit, so LibreOffice is closed on the way out.
        with sigterm_exits():
            rc = cli.main(standalone_mode=False)
    except TeamprotocolError as e:
        click.echo(f"Fout: {e.format()}", err=True)
        sys.exit(1)
    except OSError as e:  # a path the stages did not expect to fail: still one Dutch line
        where = f"{e.filename} — " if e.filename else ""
        click.echo(f"Fout: {where}kon niet worden gelezen of geschreven ({os_reason(e)}). "
                   "Controleer het pad en de rechten, en probeer het opnieuw.", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("Afgebroken.", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except Exception as e:  # the last guard: never a traceback on screen
        log = _write_crash_log(e)
        where = f"De details staan in {log}" if log else "De details konden niet worden bewaard"
        click.echo(f"Fout: er ging iets onverwachts mis in teamprotocol ({type(e).__name__}). "
                   f"{where}; stuur dat bestand naar de beheerder van teamprotocol.", err=True)
        sys.exit(70)  # EX_SOFTWARE: our fault, not the user's input (1) nor their command (2)
    sys.exit(rc if isinstance(rc, int) else 0)


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

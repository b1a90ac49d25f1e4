"""The command line loads only what a command uses: importing it, `check`'s own modules and the
form reader and migration load none of the build's heavy libraries (each 0.1-0.6 s to import),
and no python-docx: reading a form does not need the writer."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("openpyxl", "icalendar", "pypdf", "pypdfium2", "docxtpl", "docx", "page", "jinja2",
         "pipeline.forms.write")


def _loaded(code: str) -> list[str]:
    """The HEAVY modules in sys.modules after running `code` in a fresh interpreter."""
    probe = code + f"\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=True)
    return proc.stdout.split()


@pytest.mark.parametrize("code", [
    "import pipeline.cli",
    # what `teamprotocol check FORM.docx` imports before it reads the form
    "import pipeline.cli.check, pipeline.form_check, pipeline.forms.read",
    "import pipeline.forms.migrate",  # reading and migrating a form never load the writer
])
def test_the_command_line_does_not_load_the_builds_libraries(code):
    assert _loaded(code) == []

"""Regenerate the top-level `forms/` folder: the example teams' filled Word forms.

One folder per team, as `teamprotocol forms` writes them, so a user can open
`forms/handhaving/balie.docx` in Word and `teamprotocol build forms --policy voorbeeld` reads
exactly those files. The forms are byte-identical for the same catalogue, example answers and
policy (measured: two runs 1.5 s apart, every file equal), so the committed folder is checked
by `tests/policy/test_example_forms_folder.py`. Run this after changing the catalogue, the
form layout, `pipeline/defaults/voorbeeldteams.yaml` or the example policy's fixed texts:

    .venv/bin/python scripts/make_example_forms.py [TARGET]    (default: forms/ in the repo)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from pipeline.examples import write_example_forms

REPO = Path(__file__).resolve().parents[1]


def make(target: Path) -> list[Path]:
    """Write the example forms into a fresh `target` (replaced as a whole, never half)."""
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".forms-", dir=target.parent) as tmp:
        staged = Path(tmp) / "forms"
        written = write_example_forms(staged)
        if target.exists():
            shutil.rmtree(target)
        staged.rename(target)
    return [target / p.relative_to(staged) for p in written]


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "forms"
    written = make(target)
    print(f"{len(written)} formulieren geschreven in {target}")


if __name__ == "__main__":
    main()

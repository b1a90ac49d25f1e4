"""The demo still archives, but its MDTO records say they are an example (issue 21, item 6):
through the real `teamprotocol build`, the record of an adopted team and its series record
built with the example policy (`--policy voorbeeld`, and the demo without a forms folder)
begin their `omschrijving` with "Voorbeeld, geen archiefstuk: "; built with an organisation's
own policy they do not. Both stay valid MDTO (the build validates them; read back here)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.batch import ARCHIVE, adopted_answers, own_policy, run_cli, write_team
from lxml import etree

from pipeline.mdto import EXAMPLE_PREFIX, schema_problems

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]  # builds with PDFs

MDTO = "{https://www.nationaalarchief.nl/mdto}"


def _descriptions(out: Path) -> dict[str, str]:
    """Each MDTO record's omschrijving by file name (the bestand sidecars have none)."""
    found = {}
    for path in sorted((out / ARCHIVE).glob("*.mdto.xml")):
        if path.name.endswith(".bestand.mdto.xml"):
            continue
        data = path.read_bytes()
        assert schema_problems(data) == [], path.name
        found[path.name] = etree.fromstring(data).findtext(
            f"{MDTO}informatieobject/{MDTO}omschrijving")
    return found


def test_records_of_the_example_policy_are_marked_and_of_an_own_policy_not(tmp_path):
    forms = tmp_path / "formulieren"
    write_team(forms, "balie", adopted_answers())

    proc = run_cli("build", forms, "--policy", "voorbeeld", "--out", tmp_path / "demo",
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    demo = _descriptions(tmp_path / "demo")
    assert len(demo) == 2, demo  # the version's record and the team's series record
    assert any(n.endswith("_teamprotocollen.mdto.xml") for n in demo)
    for name, text in demo.items():
        assert text.startswith(EXAMPLE_PREFIX), (name, text)
    assert EXAMPLE_PREFIX == "Voorbeeld, geen archiefstuk: "

    policy = own_policy(tmp_path / "org")
    proc = run_cli("build", forms, "--policy", policy, "--out", tmp_path / "eigen", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    own = _descriptions(tmp_path / "eigen")
    assert len(own) == 2, own
    for name, text in own.items():
        assert not text.startswith("Voorbeeld"), (name, text)
        assert text.startswith(("Afspraken van team", "De vastgestelde versies")), text


def test_the_demo_without_a_forms_folder_archives_marked_records(tmp_path):
    proc = run_cli("build", "--out", tmp_path / "uit", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    records = _descriptions(tmp_path / "uit")
    assert records  # the example's adopted teams are archived
    assert all(text.startswith(EXAMPLE_PREFIX) for text in records.values()), records

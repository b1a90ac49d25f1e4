"""`teamprotocol forms` and `teamprotocol check` through CliRunner and as a real subprocess."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.forms_wordfill import edit_docx, fill_text, set_date

from pipeline.cli import cli

REPO = Path(__file__).resolve().parents[2]
TEAMS = REPO / "tests" / "data" / "teams.csv"
EXE = Path(sys.executable).with_name("teamprotocol")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(EXE), *args], capture_output=True, text=True, timeout=60,
                          check=False)


@pytest.mark.slow
def test_forms_writes_every_team_and_never_overwrites(tmp_path):
    out = tmp_path / "formulieren"
    result = CliRunner().invoke(cli, ["forms", str(TEAMS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "burgerzaken").iterdir()) == [
        "balie.docx", "digitaal.docx", "team.docx"]
    assert len(list(out.glob("*/*.docx"))) == 10
    # A summary; a line per team only where one asks for attention (issue 26).
    assert "Klaar: 10 formulieren geschreven voor 3 teams" in result.output
    assert "burgerzaken:" not in result.output
    filled = out / "burgerzaken" / "team.docx"
    filled.write_bytes(b"antwoorden")
    again = CliRunner().invoke(cli, ["forms", str(TEAMS), "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert "niet overschreven" in again.output
    assert filled.read_bytes() == b"antwoorden"
    forced = CliRunner().invoke(cli, ["forms", str(TEAMS), "--out", str(out), "--force"])
    assert forced.exit_code == 0
    assert filled.read_bytes() != b"antwoorden"


@pytest.mark.slow
def test_forms_show_the_policy_texts_read_only(tmp_path):
    """The organisation norm stands in the team form, unwrapped, from the policy given."""
    from docx2python import docx2python

    from pipeline.policy import dump_default_policy

    policy = tmp_path / "beleid.yaml"
    dump_default_policy(policy)
    text = policy.read_text(encoding="utf-8")
    marker = "Bij ons geldt: emotie mag, agressie niet, ook in Lindenhoven-Zuid."
    assert "\n  norm: |\n" in text
    policy.write_text(text.replace("\n  norm: |\n", f"\n  norm: |\n    {marker}\n"
                                   "    Tweede regel van dezelfde alinea.\n\n", 1),
                      encoding="utf-8")
    out = tmp_path / "formulieren"
    result = CliRunner().invoke(cli, ["forms", str(TEAMS), "--out", str(out),
                                      "--policy", str(policy)])
    assert result.exit_code == 0, result.output
    with docx2python(out / "burgerzaken" / "team.docx") as doc:
        body = doc.text
    assert f"{marker} Tweede regel van dezelfde alinea." in body


@pytest.mark.slow
def test_forms_bad_csv_is_one_dutch_line(tmp_path):
    bad = tmp_path / "teams.csv"
    bad.write_text("team_id,team,afdeling,leidinggevende,contactvormen\nA B,T,A,L,balie\n",
                   encoding="utf-8")
    result = run("forms", str(bad), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "regel 2: de team_id bevat tekens" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def filled_balie(make_form, tmp_path) -> Path:
    def fill(root):
        fill_text(root, "balie.ordebewaking", "Gastvrouw & boa")
        fill_text(root, "balie.camera", "ja")
        fill_text(root, "balie.locaties.naam", "Stadhuis")

    return edit_docx(make_form("balie"), tmp_path / "balie.docx", fill)


def test_check_report_in_dutch(filled_balie):
    result = CliRunner().invoke(cli, ["check", str(filled_balie)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Bijlage balie en spreekkamer (balie) van team burgerzaken" in out
    assert "Beantwoord: 3 van 14 vragen." in out
    assert "Verplichte vragen die nog niet zijn ingevuld:\n  - Wie op een alarm afkomt" in out
    # Each open item, and why on the line below it, as the answers are listed.
    n7 = out.split("  - N7 Er is een systeem van alarmering", 1)[1].splitlines()[1]
    assert n7 == ("      Elke balie en spreekkamer heeft een alarmknop: niet beantwoord; "
                  "Wie op een alarm afkomt en hoe snel: niet ingevuld"), n7
    assert "Gastvrouw" not in out  # the report names questions, not answers
    assert "leesbaar, maar nog niet compleet" in out


def test_check_json(filled_balie):
    result = CliRunner().invoke(cli, ["check", str(filled_balie), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert set(data) == {"kind", "team_id", "schema_version", "application", "fields",
                         "open_items", "verdicts", "adoption", "errors", "warnings"}
    assert data["application"] == "teamprotocol"  # our own app.xml: no Word save yet
    # The same evidence as the annex: N7's questions are open, the order question is answered.
    assert "N7" in data["open_items"]
    assert "O5" not in data["open_items"]
    assert data["adoption"] == []
    assert data["fields"]["balie.ordebewaking"] == "Gastvrouw & boa"
    assert data["fields"]["balie.camera"] == "ja"
    assert data["fields"]["balie.locaties"] == [
        {"naam": "Stadhuis", "adres": None, "openingstijden": None}]


def test_check_json_dates_are_iso(make_form, tmp_path):
    path = edit_docx(make_form("team"), tmp_path / "t.docx",
                     lambda r: set_date(r, "team.teamoverleg", dt.date(2026, 3, 1)))
    data = json.loads(CliRunner().invoke(cli, ["check", str(path), "--json"]).output)
    assert data["fields"]["team.teamoverleg"] == "2026-03-01"


def test_check_form_with_errors_exits_1(make_form, tmp_path):
    path = edit_docx(make_form("team"), tmp_path / "t.docx",
                     lambda r: fill_text(r, "team.teamoverleg", "morgen"))
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 1
    assert "Datum van het teamoverleg (stap 2) — het antwoord is geen datum" in result.output


@pytest.mark.slow
def test_check_subprocess_exit_codes(make_form, tmp_path):
    good = make_form("digitaal")
    ok = run("check", str(good))
    assert ok.returncode == 0, ok.stderr
    assert "Bijlage telefoon, e-mail, post en sociale media" in ok.stdout
    usage = run("check")
    assert usage.returncode == 2
    assert "Ontbrekend argument" in usage.stderr
    assert run("check", str(tmp_path / "bestaat-niet.docx")).returncode == 2


@pytest.mark.slow
@pytest.mark.parametrize(("content", "expected"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "met een wachtwoord beveiligd"),
    (b"hallo", "geen Word-document (.docx)"),
    (b"PK\x03\x04" + b"\0" * 50, "beschadigd of onvolledig"),
])
def test_check_unreadable_files_subprocess(tmp_path, content, expected):
    path = tmp_path / "formulier.docx"
    path.write_bytes(content)
    result = run("check", str(path))
    assert result.returncode == 1
    assert result.stderr.startswith(f"Fout: {path} — ")
    assert expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    as_json = json.loads(run("check", str(path), "--json").stdout)
    assert expected in as_json["errors"][0]["message"]


@pytest.mark.slow
def test_check_foreign_docx_subprocess(tmp_path):
    from docx import Document

    path = tmp_path / "brief.docx"
    Document().save(path)
    result = run("check", str(path))
    assert result.returncode == 1
    assert "geen formulier van teamprotocol" in result.stderr


@pytest.mark.slow
def test_unexpected_os_error_is_one_dutch_line_not_a_traceback(tmp_path):
    """`init` below a file: the path cannot be created; the user gets one line and exit 1."""
    blocker = tmp_path / "bestand"
    blocker.write_text("x")
    proc = run("init", str(blocker / "map"))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"Fout: {blocker / 'map'} — ")
    assert "een deel van het pad is geen map" in proc.stderr


@pytest.mark.parametrize("term", ["inwoner", "klant"])
def test_check_speaks_the_policys_word_for_burger(tmp_path, term):
    """`check --policy` with another word for burger: the questions and checklist items it
    names use that word, as the protocol does (issue 22, item 6)."""
    import re

    import yaml

    from pipeline.policy import default_policy_path

    data = yaml.safe_load(default_policy_path().read_text(encoding="utf-8"))
    data["terminology"] = term
    data["branding"]["logo"] = None
    policy = tmp_path / "beleid.yaml"
    policy.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                      encoding="utf-8")
    for kind in ("team", "balie"):
        result = CliRunner().invoke(cli, ["check", str(REPO / "forms" / "belastingen" /
                                                       f"{kind}.docx"), "--policy", str(policy)])
        assert re.findall(r"\bburgers?\b", result.output, re.IGNORECASE) == [], result.output
        assert f"{term}" in result.output, kind
    # Without a policy the catalogue's own word stays.
    plain = CliRunner().invoke(cli, ["check", str(REPO / "forms" / "belastingen" / "balie.docx")])
    assert "Hoe burgers de huisregels te zien krijgen" in plain.output


def test_the_team_form_shows_what_the_organisation_arranges_at_stap_1(tmp_path):
    """`forms` puts on the team form, above the Stap 1 questions, each checklist item the
    policy answers with its document and date or its running action, and names the items the
    team arranges itself; the form still reads back clean (issue 22, item 5)."""
    import yaml
    from docx2python import docx2python

    from pipeline.catalogue import CHECKLIST, CHECKLIST_BY_ID
    from pipeline.forms.folder import read_team_folder
    from pipeline.policy import dump_default_policy, load_policy

    path = tmp_path / "beleid.yaml"
    dump_default_policy(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["checklist"]["N6"] = {"arranged": True, "document": "Bouwkundig programma Stadskantoor",
                               "date": "2026-04"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    policy = load_policy(path)
    out = tmp_path / "formulieren"
    result = CliRunner().invoke(cli, ["forms", str(TEAMS), "--out", str(out),
                                      "--policy", str(path)])
    assert result.exit_code == 0, result.output
    with docx2python(out / "burgerzaken" / "team.docx") as doc:
        body = " ".join(doc.text.split())
    step = body.index("Wat de organisatie al regelt (stap 1)")
    assert step < body.index("Datum van het gesprek met de coördinator (stap 1)")
    assert ("N6 Bouwkundige en technische voorzieningen: Bouwkundig programma Stadskantoor "
            "(2026-04).") in body
    for item, answer in policy.checklist.items():
        line = f"{CHECKLIST_BY_ID[item].choice}: "
        assert body.count(line) == 1, item
        shown = answer.document if answer.arranged else f"nog niet geregeld. Actie: {answer.action}"
        assert f"{line}{shown}" in body, item
    own = [i.id for i in CHECKLIST if i.id not in policy.checklist]
    assert f"De onderdelen {', '.join(own[:-1])} en {own[-1]} regelt het team zelf" in body
    with docx2python(out / "burgerzaken" / "balie.docx") as doc:
        assert "Wat de organisatie al regelt" not in doc.text
    _, problems = read_team_folder(out / "burgerzaken")
    assert [p for p in problems if p.message != "nog niet ingevuld"] == []

"""The small silent ones (issue 21, item 10), each through the real command: `--no-pdf` with an
adopted team says nothing was archived; a house colour unreadable on white is a policy error;
every version spelling is read by the one parser (`forms --from`, adoption) or named."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.batch import adopted_answers, required_answers, run_cli, write_team

from pipeline.forms.read import read_form
from pipeline.policy import dump_default_policy

pytestmark = pytest.mark.slow  # `teamprotocol` subprocesses

HEADER = "team_id,team,afdeling,leidinggevende,contactvormen\n"


def test_no_pdf_with_an_adopted_team_says_nothing_was_archived(tmp_path):
    forms, out = tmp_path / "formulieren", tmp_path / "uit"
    write_team(forms, "balie", adopted_answers(**{"team.vastgesteld_op": dt.date(2026, 9, 1)}))
    write_team(forms, "concept", required_answers())
    proc = run_cli("build", forms, "--policy", "voorbeeld", "--out", out, "--no-pdf",
                   cwd=tmp_path)
    text = proc.stdout + proc.stderr
    assert proc.returncode == 0, text
    assert text.count("er is niets gearchiveerd") == 1, text  # the adopted team only
    assert "Bouw zonder --no-pdf om deze versie te archiveren" in text
    assert not (out / "archief").exists() or not list((out / "archief").iterdir())


@pytest.mark.parametrize("colour", ["#FFFFFF", "#FFFF00", "#12AB34"])
def test_a_house_colour_unreadable_on_white_is_a_policy_error(tmp_path, colour):
    policy = tmp_path / "beleid.yaml"
    dump_default_policy(policy)
    text = policy.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.strip().startswith("colour:"))
    policy.write_text(text.replace(old, f'  colour: "{colour}"', 1), encoding="utf-8")
    proc = run_cli("build", "--policy", policy, "--out", tmp_path / "uit", "--no-pdf",
                   cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    [line] = [x for x in proc.stderr.splitlines() if x.startswith("Fout: ")]
    assert "branding.colour" in line
    assert f"de huisstijlkleur {colour} is op wit te licht om te lezen" in line
    assert "minimaal 4.5:1" in line
    assert not (tmp_path / "uit").exists()


@pytest.mark.parametrize(("spelling", "expected"), [
    ("v1.0", "1.1"), ("1,0", "1.1"), ("1.0 definitief", "1.1"), ("1.0.1", "1.1"),
    ("eerste versie", None)])
def test_forms_from_reads_every_version_spelling_or_names_it(tmp_path, spelling, expected):
    last, new = tmp_path / "vorig", tmp_path / "nieuw"
    write_team(last, "balie", required_answers(**{"team.versie": spelling}))
    csv = tmp_path / "teams.csv"
    csv.write_text(HEADER + "balie,Team balie,Publiekszaken,L. Eiding,balie\n",
                   encoding="utf-8")
    proc = run_cli("forms", csv, "--out", new, "--from", last, cwd=tmp_path)
    text = proc.stdout + proc.stderr
    assert proc.returncode == 0, text
    assert read_form(new / "balie" / "team.docx").fields["team.versie"] == expected
    named = "de versie van de vorige ronde is geen versienummer"
    assert (named in text) == (expected is None), text


def test_an_adopted_version_spelled_v1_0_is_adopted(tmp_path):
    forms = tmp_path / "formulieren"
    write_team(forms, "balie", adopted_answers(**{"team.versie": "v1.0"}))
    proc = run_cli("check", forms / "balie" / "team.docx", cwd=tmp_path)
    text = proc.stdout + proc.stderr
    assert "versie 1.0 of hoger" not in text
    assert "geen versienummer" not in text
    write_team(forms, "balie", adopted_answers(**{"team.versie": "eerste"}))
    proc = run_cli("check", forms / "balie" / "team.docx", cwd=tmp_path)
    assert "de versie is geen versienummer" in proc.stdout + proc.stderr


def test_an_emoji_in_a_policy_text_is_a_policy_error_naming_the_key(tmp_path):
    """A policy text reaches every protocol: an emoji, which the PDF garbles, is refused."""
    policy = tmp_path / "beleid.yaml"
    dump_default_policy(policy)
    text = policy.read_text(encoding="utf-8")
    assert "email: veiligwerken@lindenhoven.example" in text
    policy.write_text(text.replace("email: veiligwerken@lindenhoven.example",
                                   "email: veiligwerken@lindenhoven.example 📞", 1),
                      encoding="utf-8")
    proc = run_cli("build", "--policy", policy, "--out", tmp_path / "uit", "--no-pdf",
                   cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    [line] = [x for x in proc.stderr.splitlines() if x.startswith("Fout: ")]
    assert "contacts.coordinator.email" in line
    assert "📞 (U+1F4DE), dat de PDF niet kan tonen" in line

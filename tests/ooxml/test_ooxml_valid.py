"""Every form kind and the example protocols pass an independent OOXML validator (openxml-audit).

The validator reads the real files we write; only its known false reports are allowed.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openxml_audit import OpenXmlValidator

from pipeline.batch import BuildOptions, build_all
from pipeline.catalogue import FORMS
from pipeline.examples import example_teams, write_example_forms
from pipeline.forms.write import locked_texts_of, write_form
from pipeline.ooxml import COMPATIBILITY_MODE
from pipeline.policy import load_policy

pytestmark = pytest.mark.slow  # openxml-audit over every form and example protocol (~20 s)

# openxml-audit 0.8's reports on valid files (its known false positives):
ALLOWED = (
    # ECMA-376 lists docPartType "bbPlcHdr" (a control's placeholder in the glossary), which
    # Word writes for every placeholder; the validator's enumeration lacks it.
    "bbPlcHdr",
)


def _violations(path: Path) -> list[str]:
    result = OpenXmlValidator().validate(path)
    found = [f"{e.part_uri}: {e.path}: {e.description}" for e in result.errors]
    return [f for f in found if not any(a in f for a in ALLOWED)]


def _settings_and_app(path: Path) -> tuple[str, str]:
    with zipfile.ZipFile(path) as z:
        return z.read("word/settings.xml").decode(), z.read("docProps/app.xml").decode()


@pytest.fixture(scope="module")
def form_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One filled form of every kind (the example teams' answers), written to disk."""
    folder = tmp_path_factory.mktemp("formulieren")
    locked = locked_texts_of(load_policy())
    files: dict[str, Path] = {}
    for identity, answers in example_teams():
        for kind in ("team", *identity.contact_kinds):
            if kind not in files:
                path = folder / f"{kind}.docx"
                path.write_bytes(write_form(kind, identity, answers.get(kind), locked))
                files[kind] = path
    assert set(files) == set(FORMS)
    return files


@pytest.fixture(scope="module")
def protocol_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The example teams' protocols (.docx only: the validator reads Word files)."""
    base = tmp_path_factory.mktemp("voorbeeld")
    write_example_forms(base / "formulieren")
    build_all(BuildOptions(forms_dir=base / "formulieren", out_dir=base / "uit", pdf=False))
    files = sorted((base / "uit").glob("*/teamprotocol-*.docx"))
    assert len(files) == len(example_teams())
    return files


@pytest.mark.parametrize("kind", list(FORMS))
def test_form_is_valid_ooxml(form_files: dict[str, Path], kind: str) -> None:
    assert _violations(form_files[kind]) == []


def test_example_protocols_are_valid_ooxml(protocol_files: list[Path]) -> None:
    for path in protocol_files:
        assert _violations(path) == [], path.name


def test_example_alarm_cards_are_valid_ooxml(protocol_files: list[Path]) -> None:
    """The alarm card's own document (kaart-<team>.docx) beside every protocol."""
    cards = [p.with_name(p.name.replace("teamprotocol-", "kaart-")) for p in protocol_files]
    for path in cards:
        assert _violations(path) == [], path.name


def test_no_compatibility_mode(form_files: dict[str, Path], protocol_files: list[Path]) -> None:
    """Word 2013+ opens our files in its own mode, and they say which program wrote them."""
    for path in [*form_files.values(), *protocol_files]:
        settings, app = _settings_and_app(path)
        assert f'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" ' \
               f'w:val="{COMPATIBILITY_MODE}"' in settings, path.name
        assert "<Application>teamprotocol</Application>" in app, path.name
        assert "Macintosh" not in app


def test_no_pdf_protocols_have_a_toc_field_and_no_update_prompt(protocol_files: list[Path]
                                                                ) -> None:
    """Built with `--no-pdf`: a real TOC field (pages for Word to fill), no `updateFields`."""
    for path in protocol_files:
        with zipfile.ZipFile(path) as z:
            document = z.read("word/document.xml").decode()
            settings = z.read("word/settings.xml").decode()
        assert "updateFields" not in settings, path.name
        assert ' TOC \\o "1-2" \\h \\z ' in document, path.name


def test_change_document_is_valid_ooxml_without_leftover_parts(tmp_path: Path) -> None:
    """The change document (the rendered protocol with tracked changes and a summary page)
    carries no stylesWithEffects, bibliography or thumbnail and passes the validator, with
    changed, inserted and deleted paragraphs, table cells and a table row in it."""
    import datetime as dt

    from helpers.render import make_protocol

    from pipeline.changes import Versions, changes_docx
    from pipeline.render import render_protocol

    policy = load_policy()
    old = make_protocol(status="vastgesteld")
    new = make_protocol()
    new.meta.version = "2.0"
    new.meta.team_lead = "K. Jansen"
    new.appendices[0].blocks[0].table[1][2] = "9-16 uur"
    new.appendices[0].blocks[0].table.append(["Wijkpost", "Plein 3", "9-12 uur"])
    new.chapters[3].team[0].paragraphs[0] += " Dat geldt ook bij de balie."
    del new.chapters[0].team[0].paragraphs[1]
    facts = Versions(team=new.meta.team, version="2.0", status="concept", previous_version="1.2",
                     previous_adopted=old.meta.adopted_on)
    data, result = changes_docx(render_protocol(old, policy), render_protocol(new, policy), facts,
                                when=dt.datetime(2026, 12, 1, 12))
    assert result.count >= 5
    path = tmp_path / "wijzigingen.docx"
    path.write_bytes(data)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        document = z.read("word/document.xml").decode()
    assert not [n for n in names if "stylesWithEffects" in n or "customXml" in n
                or "thumbnail" in n]
    assert "<w:del " in document
    assert "<w:ins " in document
    assert re.search(r"<w:trPr>(?:(?!</w:trPr>).)*<w:ins ", document)  # the new row
    assert _violations(path) == []

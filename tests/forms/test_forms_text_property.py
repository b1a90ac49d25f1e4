"""Property: any text answer written into a form reads back unchanged (hypothesis)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.errors import FormError
from pipeline.forms.read import read_form
from pipeline.forms.values import WORD_PLACEHOLDERS
from pipeline.forms.write import write_form
from pipeline.models import TeamIdentity
from pipeline.text import pdf_safe

IDENTITY = TeamIdentity(team_id="t1", team="Team", department="Afd", team_lead="L",
                        contact_kinds=())
# XML 1.0 cannot hold C0 controls (except tab, LF, CR), U+FFFE/U+FFFF or lone surrogates.
INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Any character XML can hold, except CR (Word has no carriage return inside a paragraph: it
# stores line breaks as `w:br`, and the writer turns \r\n into \n).
xml_text = st.text(st.characters(blacklist_categories=("Cs",),
                                 blacklist_characters="\r\ufffe\uffff"), max_size=300)
xml_text = xml_text.filter(lambda t: not INVALID.search(t))
# Placeholders are not answers: the two fields' own texts below, and Word's (which the reader
# knows, `WORD_PLACEHOLDERS`); each reads back as no answer. Hypothesis also tries the string
# constants of the code under test, so it does type Word's "Choose an item." now and then.
PLACEHOLDERS = {"Beschrijf hoe lastige bezoeken worden nabesproken.",
                "Leeg laten als de werkwijze van de organisatie volstaat.", *WORD_PLACEHOLDERS}


def _round_trip(tmp: Path, tag: str, text: str) -> object:
    path = tmp / "huisbezoek.docx"
    path.write_bytes(write_form("huisbezoek", IDENTITY, {tag: text}))
    return read_form(path).fields[tag]


def _expected(text: str) -> str | None:
    # A box that ends in empty lines (Enter pressed once more) ends before them.
    text = re.sub(r"(\n[ \t]*)+$", "", text)
    if not text.strip() or text.strip() in PLACEHOLDERS:
        return None
    shown = pdf_safe(text)[0]  # an emoji becomes words on purpose (issue 21, item 1)
    return shown if shown.strip() else None


@pytest.mark.slow
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=xml_text)
@example(text="Tom & Jerry <b>vet</b> {{ x }} {% if x %}ja{% endif %}")
@example(text="regel één\nregel twee\n\nna een lege regel\tmet tab")
@example(text="  spaties vooraf en achteraf  ")
@example(text="emoji 😀 en 📞 112, RTL שלום, combining e\u0301, NBSP\u00a0, zero width\u200b")
@example(text="lang " * 4000)
@example(text="Choose an item.")
@example(text="0\n")
def test_multiline_text_round_trips(tmp_path, text):
    assert _round_trip(tmp_path, "huisbezoek.nabespreking", text) == _expected(text)


@pytest.mark.slow
@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=xml_text.filter(lambda t: "\n" not in t))
@example(text="&amp; &lt; ]]> <![CDATA[x]]>")
def test_single_line_text_round_trips(tmp_path, text):
    assert _round_trip(tmp_path, "huisbezoek.niet_nageleefd", text) == _expected(text)


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b[31m", "\ufffe", "a\x0bb"])
def test_xml_invalid_characters_are_refused_with_the_field_named(bad):
    with pytest.raises(FormError) as info:
        write_form("huisbezoek", IDENTITY, {"huisbezoek.nabespreking": bad})
    assert info.value.field == "Nabespreken van bezoeken"


def test_carriage_returns_become_line_breaks(tmp_path):
    assert _round_trip(tmp_path, "huisbezoek.nabespreking", "a\r\nb\rc") == "a\nb\nc"

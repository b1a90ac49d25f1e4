"""Fuzzing the form reader with mutated real forms: FormData or FormError, never anything else.

Two mutators over a filled team form written by the project's writer: bytes of the zip
(flipped, truncated), and elements of word/document.xml (dropped, duplicated, nested, retagged,
odd characters inserted) re-zipped. Bounds: 2 s per read (hypothesis deadline), the whole
module < 60 s (fixed example counts, derandomized so a run is repeatable).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline import ooxml
from pipeline.errors import FormError
from pipeline.forms.read import read_form
from pipeline.models import FormData
from pipeline.text import invalid_xml_chars

pytestmark = pytest.mark.slow  # 900 mutated forms read (~40 s)

FUZZ = settings(max_examples=300, deadline=2000, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ODD = ["\u202e", "\u0301", "\ufeff", "\u200b", "😀", "&amp;", "<", "]]>", "\x00", "\x1b",
       "\ud800", "\uffff", "\n", "Klik of tik om tekst in te voeren."]


class _Base(tuple):
    """(form bytes, scratch path); a short repr, since hypothesis prints it on failure."""

    def __repr__(self) -> str:
        return "<team.docx van burgerzaken>"


@pytest.fixture(scope="module")
def base(tmp_path_factory, write_team) -> _Base:
    folder = write_team(tmp_path_factory.mktemp("fuzz"), "burgerzaken")
    return _Base(((folder / "team.docx").read_bytes(), folder.parent / "gemuteerd.docx"))


def _read(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        result: FormData | FormError = read_form(path)
    except FormError as e:  # the one allowed failure; anything else fails the test
        result = e
    if isinstance(result, FormError):
        assert result.file == str(path)
        assert result.message
    else:
        assert isinstance(result, FormData)


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=12),
       cut=st.one_of(st.none(), st.integers(min_value=0)))
def test_zip_bytes_mutated(base, flips, cut):
    data = bytearray(base[0])
    for pos, value in flips:
        data[pos % len(data)] = value
    if cut is not None:
        data = data[:cut % len(data)]
    _read(base[1], bytes(data))


OPS = st.sampled_from(["drop", "duplicate", "nest", "retag", "odd", "tagval"])


def _mutate(root: etree._Element, ops: list[tuple[str, int, int, str]]) -> None:
    for op, i, j, odd in ops:
        nodes = [el for el in root.iter() if isinstance(el.tag, str)]
        el, other = nodes[i % len(nodes)], nodes[j % len(nodes)]
        parent = el.getparent()
        if op == "drop" and parent is not None:
            parent.remove(el)
        elif op == "duplicate" and parent is not None:
            el.addnext(etree.fromstring(etree.tostring(el)))
        elif op == "nest" and el is not other and el not in other.iterancestors() \
                and other not in el.iterancestors() and parent is not None:
            parent.remove(el)
            other.append(el)
        elif op == "retag":
            el.tag = other.tag
        elif op == "odd" and not invalid_xml_chars(odd):  # lxml refuses the others
            el.text = (el.text or "") + odd
        elif op == "tagval" and not invalid_xml_chars(odd):
            for tag in root.iter(ooxml.qn("w:tag")):
                tag.set(ooxml.qn("w:val"), tag.get(ooxml.qn("w:val"), "") + odd[:1])
                break


def _rezip(src: bytes, part: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = part if info.filename == "word/document.xml" else zin.read(info)
            zout.writestr(info.filename, data)
    return out.getvalue()


@FUZZ
@given(ops=st.lists(st.tuples(OPS, st.integers(min_value=0), st.integers(min_value=0),
                              st.sampled_from(ODD)), min_size=1, max_size=8))
def test_document_xml_mutated(base, ops):
    with zipfile.ZipFile(io.BytesIO(base[0])) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    _mutate(root, ops)
    _read(base[1], _rezip(base[0], etree.tostring(root, xml_declaration=True,
                                                  encoding="UTF-8")))


@FUZZ
@given(inserts=st.lists(st.tuples(st.integers(min_value=0), st.sampled_from(ODD)),
                        min_size=1, max_size=6))
def test_document_xml_text_mutated(base, inserts):
    """Odd characters spliced into the raw XML: may break well-formedness on purpose."""
    with zipfile.ZipFile(io.BytesIO(base[0])) as zf:
        xml = zf.read("word/document.xml").decode()
    for pos, odd in inserts:
        at = pos % len(xml)
        xml = xml[:at] + odd + xml[at:]
    _read(base[1], _rezip(base[0], xml.encode("utf-8", "surrogatepass")))

"""The render shortcuts (`render._Template`) give the bytes docxtpl's own code gives."""

from __future__ import annotations

import io
import zipfile

import docxtpl
from helpers.render import make_policy, make_protocol

import pipeline.render as render


def _with_docxtpl(monkeypatch, protocol, policy, **kwargs) -> bytes:
    with monkeypatch.context() as m:
        m.setattr(render, "_Template", docxtpl.DocxTemplate)
        return render.render_protocol(protocol, policy, **kwargs)


def test_same_bytes_as_docxtpl_with_line_breaks_in_text(monkeypatch, logo):
    protocol = make_protocol()
    block = protocol.chapters[0].team[0]
    block.paragraphs.append("eerste regel\ntweede regel\n\nna een lege regel")
    block.bullets.append("punt met\neen regeleinde")
    ours = render.render_protocol(protocol, make_policy(), logo=logo)
    with zipfile.ZipFile(io.BytesIO(ours)) as z:
        assert b"<w:br/>" in z.read("word/document.xml")  # the line breaks became layout
    assert ours == _with_docxtpl(monkeypatch, protocol, make_policy(), logo=logo)
    # Twice: the second render takes the patched template XML from the cache.
    assert render.render_protocol(protocol, make_policy(), logo=logo) == ours


def test_resolve_listing_equals_docxtpl_per_character():
    tpl = render._Template(str(render.TEMPLATE))
    plain = docxtpl.DocxTemplate(str(render.TEMPLATE))
    xml = ('<w:body><w:p><w:pPr><w:pStyle w:val="A"/></w:pPr><w:r><w:rPr><w:b/></w:rPr>'
           '<w:t>tab\there</w:t></w:r></w:p><w:p><w:r><w:t>bel\aen\fpagina</w:t></w:r></w:p>'
           '<w:p w:rsidR="1"><w:r><w:t xml:space="preserve">niets</w:t></w:r></w:p>'
           '<w:p><w:r><w:t>regel\neen</w:t></w:r><w:r><w:t>twee</w:t></w:r></w:p></w:body>')
    assert tpl.resolve_listing(xml) == plain.resolve_listing(xml)
    assert tpl.resolve_listing(xml) != xml

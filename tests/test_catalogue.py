"""The catalogue is the one place a field's tag is spelled: code names a field by `Tag`."""

from __future__ import annotations

import ast
from pathlib import Path

import pipeline
from pipeline.catalogue import CONTACT_KINDS, CONTACT_TAGS, FIELDS_BY_TAG, Tag, contact_tag

PACKAGE = Path(pipeline.__file__).parent
# Every tag a form carries: fields, and a rows field's cells `<field>.<column>`.
ALL_TAGS = set(FIELDS_BY_TAG) | {f"{f.tag}.{c.name}" for f in FIELDS_BY_TAG.values()
                                 for c in f.columns}


def test_every_named_tag_is_a_catalogue_field():
    assert set(Tag) <= set(FIELDS_BY_TAG)
    assert {contact_tag(k) for k in CONTACT_KINDS} == CONTACT_TAGS <= set(FIELDS_BY_TAG)


def test_no_module_but_the_catalogue_spells_a_field_tag():
    spelled = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "catalogue.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in ALL_TAGS:
                spelled.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.value!r}")
    assert spelled == [], "use catalogue.Tag (or add the field there):\n" + "\n".join(spelled)

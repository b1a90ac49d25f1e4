"""Golden comparisons that say where two files differ: a zip package (.docx, .xlsx) part by
part, with a unified diff of the first differing XML part (one element per line), in the
way docxcompose's tests compare documents; anything else as text or as its first byte."""

from __future__ import annotations

import difflib
import io
import zipfile
from pathlib import Path

from lxml import etree

_MAX_LINES = 60


def _lines(data: bytes) -> list[str]:
    """An XML part as indented lines (so a diff shows the element), other data as text."""
    try:
        root = etree.fromstring(data, etree.XMLParser(remove_blank_text=True,
                                                      resolve_entities=False))
        data = etree.tostring(root, pretty_print=True)
    except etree.XMLSyntaxError:
        pass
    return data.decode("utf-8", errors="replace").splitlines()


def _parts(data: bytes) -> dict[str, bytes] | None:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return None
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def difference(actual: bytes, expected: bytes, name: str = "") -> str | None:
    """Where `actual` differs from `expected`, readable; None when the bytes are equal."""
    if actual == expected:
        return None
    ours, theirs = _parts(actual), _parts(expected)
    if ours is None or theirs is None:
        diff = list(difflib.unified_diff(_lines(expected), _lines(actual), "expected",
                                         "actual", lineterm="", n=2))
        return f"{name}: differs\n" + "\n".join(diff[:_MAX_LINES])
    if list(ours) != list(theirs):
        return (f"{name}: other parts or order: only actual {sorted(set(ours) - set(theirs))}, "
                f"only expected {sorted(set(theirs) - set(ours))}")
    changed = [part for part in ours if ours[part] != theirs[part]]
    if not changed:
        return f"{name}: same parts and content, other zip headers (dates, compression)"
    first = changed[0]
    diff = list(difflib.unified_diff(_lines(theirs[first]), _lines(ours[first]),
                                     f"expected/{first}", f"actual/{first}", lineterm="",
                                     n=2))
    return (f"{name}: {len(changed)} part(s) differ: {', '.join(changed)}\n"
            + "\n".join(diff[:_MAX_LINES]))


def assert_same_file(actual: Path, expected: Path) -> None:
    """Assert equal bytes; on failure, the part-by-part difference."""
    found = difference(actual.read_bytes(), expected.read_bytes(), actual.name)
    assert found is None, found


def assert_same_files(actual: dict[str, bytes], expected: dict[str, bytes]) -> None:
    """Assert two {name: bytes} maps equal; on failure, each differing file part by part."""
    assert sorted(actual) == sorted(expected)
    found = [d for name in sorted(actual)
             if (d := difference(actual[name], expected[name], name)) is not None]
    assert not found, "\n\n".join(found)

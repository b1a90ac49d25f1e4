"""Words a layout broke over two lines without a hyphen ("Communica|tie"), found in a PDF's
text: a line that ends in letters, the next that starts in lower-case letters, the two
fragments together a word while one of them alone is none (issue 22, item 6)."""

from __future__ import annotations

import re

from pipeline import dutch

_END = re.compile(r"([^\W\d_]+)$")
_START = re.compile(r"^([^\W\d_]+)")


def _known(word: str, vocabulary: set[str]) -> bool:
    return word.lower() in vocabulary or dutch.zipf(word) >= dutch.KNOWN


def _inner_words(text: str) -> set[str]:
    """The words of a text that stand inside a line: not the first or last of it, which may be
    a fragment."""
    return {w.lower() for line in text.split("\n") for w in dutch.words(line)[1:-1]}


def broken_words(part: str, whole: str | None = None) -> list[str]:
    """Each word of `part` broken over two lines without a hyphen, as 'Communica|tie'.

    A word is one the document uses inside a line somewhere (`whole`, `part` by
    default) or one the
    Dutch word list knows; two fragments that are both words ("in | stelling") are read as the
    two words they are, a hyphen at the line's end as hyphenation done right.
    """
    lines = [line.strip() for line in part.split("\n")]
    vocabulary = _inner_words(whole if whole is not None else part)
    found = []
    for line, after in zip(lines, lines[1:], strict=False):
        head, tail = _END.search(line), _START.match(after)
        if head is None or tail is None or not tail.group(1)[0].islower():
            continue
        first, second = head.group(1), tail.group(1)
        joined = first + second
        if not (joined.lower() in vocabulary or dutch.zipf(joined) > 0):
            continue
        if not (_known(first, vocabulary) and _known(second, vocabulary)):
            found.append(f"{first}|{second}")
    return found

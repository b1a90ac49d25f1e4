"""The policy's word for the people the organisation serves: burger, inwoner or klant.

Shipped texts are written with the term as a placeholder (`{burger}`, `{burgers}`, and
`{Burger}`, `{Burgers}` at a sentence start), filled in when the policy is loaded; a text an
organisation wrote itself, without placeholders, stays as written. Our own catalogue texts
(form questions, checklist items) say "burger" and are given the policy's word where they are
shown. A leaf module: no imports from the stages.
"""

from __future__ import annotations

import re

TERMS: dict[str, tuple[str, str]] = {
    "burger": ("burger", "burgers"),
    "inwoner": ("inwoner", "inwoners"),
    "klant": ("klant", "klanten"),
}
DEFAULT = "burger"
_PLACEHOLDER = re.compile(r"\{(burgers?|Burgers?)\}")
_WORD = re.compile(r"\b(burgers?|Burgers?)\b")
_ANY_TERM = re.compile(r"\b(inwoners?|klant(?:en)?|Inwoners?|Klant(?:en)?)\b")


def _word(found: str, terminology: str) -> str:
    one, many = TERMS.get(terminology, TERMS[DEFAULT])
    word = many if found.lower().endswith("s") else one
    return word[:1].upper() + word[1:] if found[:1].isupper() else word


def fill(text: str, terminology: str) -> str:
    """A shipped policy text with its `{burger}` placeholders filled in."""
    return _PLACEHOLDER.sub(lambda m: _word(m[1], terminology), text)


def ours(text: str, terminology: str) -> str:
    """One of our own texts (a question, a checklist item) in the policy's word."""
    if terminology == DEFAULT:
        return text
    return _WORD.sub(lambda m: _word(m[1], terminology), text)


def neutral(text: str) -> str:
    """A text with any of the three words read as "burger": to recognise our own texts (a
    question label, a placeholder) in a form written with another terminology."""
    def back(m: re.Match[str]) -> str:
        found = m[1]
        plural = found.lower() in ("inwoners", "klanten")
        word = "burgers" if plural else "burger"
        return word.capitalize() if found[:1].isupper() else word
    return _ANY_TERM.sub(back, text)


def fill_all(data: object, terminology: str) -> object:
    """Every string in parsed YAML data with its placeholders filled in (keys untouched)."""
    if isinstance(data, str):
        return fill(data, terminology)
    if isinstance(data, list):
        return [fill_all(v, terminology) for v in data]
    if isinstance(data, dict):
        return {k: fill_all(v, terminology) for k, v in data.items()}
    return data

"""The one answer rule: what a form answer means under its field's merge rule.

Merge, assess, the form reader, `teamprotocol check` and the overview all ask this module;
nothing else decides whether a question is answered. An answer is in one of four states:

- *empty*: nothing typed, the placeholder, whitespace, an unchosen drop-down, no table rows;
- *nothing*: an answer that arranges nothing ("n.v.t.", "-", "geen", "niemand", "nog niet
  geregeld", "weet niet", "?", a frequency "niet", a statement answered "nee");
- *partial*: a statement answered "deels";
- *given*: anything else.

A checklist item is geregeld only when every source it needs is *given* (see
`pipeline.assess`). Pure functions, no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import StrEnum

from pipeline.catalogue import NO_LOCATION, Field, FieldType, Merge
from pipeline.models import Answer, MissingPart
from pipeline.text import form_name


class AnswerState(StrEnum):
    EMPTY = "leeg"
    NOTHING = "regelt niets"
    PARTIAL = "deels"
    GIVEN = "gegeven"


# Answers that arrange nothing, as `_normal` writes them (lower case, no punctuation, single
# spaces). A text whose first clause is one of these, or starts with one of PREFIXES, arranges
# nothing: "Niemand.", "N.v.t., we hebben geen balie", "Nog niet geregeld; volgt in 2027".
# Only the first clause counts, so "Geen losse voorwerpen in de spreekkamer" is an answer.
NOTHING_PHRASES: frozenset[str] = frozenset({
    "nvt", "n v t", "niet van toepassing", "niet toepasselijk", "geen", "niets", "niks",
    "niemand", "nee", "neen", "niet", "nog niet", "nog niks", "nog niets", "nog geen",
    "nog niet geregeld", "niet geregeld", "nog te regelen", "weet niet", "weet ik niet",
    "onbekend", "x", "xx", "xxx", "ntb", "n t b", "nnb", "n n b", "nader te bepalen",
    "nog te bepalen", "volgt", "volgt nog", "komt nog", "later", "tbd",
    "todo", "to do", "dat doen we niet", "doen we niet", "wij doen dat niet",
    "dat doen wij niet", "geen idee", "geen afspraken", "geen afspraak", "nvt geen",
})
PREFIXES: tuple[str, ...] = (
    "nog niet ", "nog geen ", "niet van toepassing", "weet ik niet", "weet niet ",
    "dat doen we niet", "dat doen wij niet", "nader te bepalen", "nog te bepalen",
)
# Choices that arrange nothing or only in part. The frequency "niet" says the thing is not
# done; a statement's "nee" and "weet ik niet" leave it open, "deels" arranges a part.
NOTHING_CHOICES = frozenset({"niet", "nee", "weet ik niet"})
PARTIAL_CHOICES = frozenset({"deels"})
# "No such location": the question asks nothing of this team, which is an answer.
GIVEN_CHOICES = frozenset({NO_LOCATION})

_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)
# A clause ends at a comma, colon, bracket or line break, or at a full stop that ends a
# sentence: the dots inside "n.v.t." or "n.t.b." do not end one.
_CLAUSE_END = re.compile(r"[,;:!?\n()\[\]]|\.(?:\s|$)|\s[-–—]\s")


def _normal(text: str) -> str:
    """Lower case, accents kept, punctuation dropped, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text).lower()
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def nothing_phrase(text: str) -> str | None:
    """The phrase of NOTHING_PHRASES that makes `text` arrange nothing, or None.

    The returned phrase is one of our list (as typed, or our prefix), never other words of
    the team, so messages may show it.
    """
    if not text.strip():
        return None
    if not _normal(text):  # only punctuation: "-", "?", "...", "–"
        return text.strip()[:3]
    first = _CLAUSE_END.split(text.strip(), maxsplit=1)[0]
    clause = _normal(first) or _normal(text)
    if clause in NOTHING_PHRASES:
        # As typed ("n.v.t.", "Niemand"): a phrase of our list, so no personal data.
        shown = first.strip().rstrip(".").lower()
        # An abbreviation keeps its last dot ("n.v.t."); a sentence's full stop goes.
        return (shown + "." if "." in shown else shown) or clause
    whole = _normal(text)
    for prefix in PREFIXES:
        if clause.startswith(prefix) or whole == prefix.strip():
            return prefix.strip()
    return None


def _text_state(text: str) -> AnswerState:
    if not text.strip():
        return AnswerState.EMPTY
    return AnswerState.NOTHING if nothing_phrase(text) else AnswerState.GIVEN


def state(field: Field, answer: Answer) -> AnswerState:
    """The state of one answer to `field` (a locked field is the organisation's: given)."""
    if field.merge is Merge.LOCKED:
        return AnswerState.GIVEN
    if answer is None:
        return AnswerState.EMPTY
    if isinstance(answer, bool):  # the contact-type checkboxes: ticked or not
        return AnswerState.GIVEN if answer else AnswerState.EMPTY
    if isinstance(answer, dt.date):
        return AnswerState.GIVEN
    if isinstance(answer, list):
        return rows_state(answer)
    text = str(answer)
    if field.type is FieldType.CHOICE:
        choice = text.strip().lower()
        if not choice:
            return AnswerState.EMPTY
        if choice in NOTHING_CHOICES:
            return AnswerState.NOTHING
        if choice in PARTIAL_CHOICES:
            return AnswerState.PARTIAL
        return AnswerState.GIVEN
    return _text_state(text)


def rows_state(rows: list[dict[str, str | dt.date | None]]) -> AnswerState:
    """Table rows: empty without a filled cell; nothing when every filled cell says nothing."""
    cells = [v for row in rows for v in row.values() if v not in (None, "")]
    if not cells:
        return AnswerState.EMPTY
    texts = [v for v in cells if isinstance(v, str)]
    if len(texts) == len(cells) and all(_text_state(t) is AnswerState.NOTHING for t in texts):
        return AnswerState.NOTHING
    return AnswerState.GIVEN


def is_empty(field: Field, answer: Answer) -> bool:
    """Whether nothing at all was answered (a required question then asks to be filled in)."""
    return state(field, answer) is AnswerState.EMPTY


def is_given(field: Field, answer: Answer) -> bool:
    """Whether the answer arranges what the question asks (state *given*)."""
    return state(field, answer) is AnswerState.GIVEN


def team_text_applies(field: Field, answer: Answer) -> bool:
    """Whether the team's own text goes into the protocol (after the organisation's, if any).

    Locked fields never take the team's text. For every other field a team text is shown
    when there is one, also one that arranges nothing: the protocol then says so, visibly.
    """
    return field.merge is not Merge.LOCKED and not is_empty(field, answer)


def organisation_text_applies(field: Field) -> bool:
    """Whether the organisation's text is in the protocol: always, for a field that has one.

    The organisation frame is binding (Werkwijzer, domain.md): a team adds to it and makes it
    concrete, it never replaces it. Contact persons follow the same rule: both are named.
    """
    return field.merge is not Merge.TEAM and field.policy_text is not None


def contradicts_policy(field: Field, answer: Answer, arranged: set[str]) -> bool:
    """A statement answered "nee" while the policy says the thing exists (`policy_claim`)."""
    return (field.policy_claim is not None and field.policy_claim in arranged
            and isinstance(answer, str) and answer.strip().lower() == "nee")


def describe(field: Field, answer: Answer) -> str:
    """Why an answer that is not *given* leaves its item open, in Dutch, without its contents."""
    st = state(field, answer)
    if st is AnswerState.EMPTY:
        return "niet beantwoord" if field.type is FieldType.CHOICE else "niet ingevuld"
    if st is AnswerState.PARTIAL:
        return "beantwoord met ‘deels’"
    if field.type is FieldType.CHOICE:
        return f"beantwoord met ‘{str(answer).strip().lower()}’"
    if isinstance(answer, list):
        return "de rijen regelen niets"
    return f"‘{nothing_phrase(str(answer))}’ regelt niets"


def missing_text(part: MissingPart) -> str:
    """A missing part in one Dutch line, as `check` prints it and tests read it:
    `bijlage balie en spreekkamer: Minimale bezetting (niet ingevuld)`,
    `bijlage huisbezoek ontbreekt`, `organisatie: nog niet geregeld in het beleid`."""
    if part.form is None:
        return f"organisatie: {part.reason}" if part.party == "organisatie" else part.reason
    if part.question is None:
        return f"{form_name(part.form)} {part.reason}"
    return f"{form_name(part.form)}: {part.question} ({part.reason})"

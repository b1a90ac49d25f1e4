"""The one answer rule: one verdict per answer, used by merge, assess, `check`, the overview,
the card and the form hints. Nothing else decides what an answer means.

A verdict has a state, a reason and which text applies:

- *empty* (`leeg`): nothing typed, the placeholder, an unchosen drop-down, no table rows;
- *arranges nothing* (`regelt niets`): recognised by what it is, not by a list of phrases:
  no words at all ("0", "-", "?"); words that are not Dutch (Latin filler, keyboard runs);
  a slot or an instruction of the form typed back ("[naam invullen]", "Vul hier in", the
  question's own help text); a reference instead of an answer ("zie boven", "idem"); words
  that carry no meaning of their own ("ja", "iedereen", "komt later", "geen idee": each of
  them frequent in Dutch, `pipeline.dutch`); a single short word; or a refusal: a negated
  statement of the team about its own doing, without content ("Doen we niet aan");
- *te beoordelen*: what a program cannot judge and a person must: a description too short
  to describe an arrangement; a negated statement that may be a refusal; a team addition that
  may weaken or contradict the organisation's binding text (a negation of the organisation's
  own words, "Wij melden niet in het GIR"; or a weakening such as "zelf oplossen"). It counts
  as not arranged until the coordinator accepts it; the coordinator's decision (`Review`) is
  applied here, keyed to the exact text;
- *partial* (`deels`): a statement answered "deels";
- *given* (`gegeven`): the answer arranges what the question asks.

A negation is not a refusal by itself: "Niemand gaat alleen op huisbezoek" and "We laten een
collega nooit alleen achter de balie" state rules (a restriction, `dutch.RESTRICTORS`), and
"Geen losse voorwerpen in de spreekkamer" is not the team declining anything.

Pure functions, no I/O.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from enum import StrEnum
from functools import lru_cache

from pipeline import dutch
from pipeline.catalogue import NO_LOCATION, Field, FieldType, Merge, Tag
from pipeline.models import Answer, Decision, MissingPart, Review
from pipeline.text import dutch_date, form_name


class AnswerState(StrEnum):
    EMPTY = "leeg"
    NOTHING = "regelt niets"
    REVIEW = "te beoordelen"
    PARTIAL = "deels"
    GIVEN = "gegeven"


class Applies(StrEnum):
    """Whose text the protocol prints for a field."""

    NONE = "geen"  # a team question left empty: a visible gap
    ORGANISATION = "organisatie"
    TEAM = "team"
    BOTH = "beide"  # the organisation's frame, then the team's addition


@dataclass(frozen=True)
class Verdict:
    """What one answer means: its state, why (Dutch, without the answer's contents), which
    text applies, and the coordinator's review that settled it (if any)."""

    state: AnswerState
    applies: Applies
    reason: str = ""
    review: Review | None = None
    key: str = ""  # the answer's review key (`answer_key`), for te beoordelen answers
    review_reason: str = ""  # why the rule sent it to the coordinator (kept after a review)

    @property
    def given(self) -> bool:
        return self.state is AnswerState.GIVEN


@dataclass(frozen=True)
class Context:
    """What an answer is judged against besides itself: the build date, the organisation's
    binding text for the field (its `policy_text` and its chapter's frame), the other answers
    of the same form, and the coordinator's reviews (by `answer_key`)."""

    today: dt.date | None = None
    organisation: Callable[[Field], str] | None = None
    form: Mapping[str, Answer] = dc_field(default_factory=dict)
    reviews: Mapping[str, Review] = dc_field(default_factory=dict)


NO_CONTEXT = Context()

# Choices that arrange nothing or only in part. The frequency "niet" says the thing is not
# done; a statement's "nee" and "weet ik niet" leave it open, "deels" arranges a part.
NOTHING_CHOICES = frozenset({"niet", "nee", "weet ik niet"})
PARTIAL_CHOICES = frozenset({"deels"})
# "No such location": the question asks nothing of this team, which is an answer.
GIVEN_CHOICES = frozenset({NO_LOCATION})

# Dates: the Werkwijzer is of March 2019, so no meeting or evaluation of it lies before; a
# plan more than three years ahead is no plan.
EARLIEST_DATE = dt.date(2019, 3, 1)
LATEST_YEARS = 3
# Dates that must lie ahead (a plan) or behind (a meeting that was held).
FUTURE_DATES = (Tag.NEXT_EVALUATION,)
PAST_DATES = (Tag.TEAM_MEETING, Tag.STEP_ONE)

# A description shorter than this many words, with fewer than two words that carry meaning,
# describes no arrangement by itself ("Portofoon", "Wordt besproken").
SHORT_WORDS = 4
# A single word of at most this many letters is no answer to a question ("bla", "ok").
TINY_WORD = 4
# Reference words: an answer that starts with one and is short points elsewhere.
_REFERENCES = frozenset({"zie", "idem", "zelfde", "ditto", "zoals", "conform"})
# A short answer that starts with a word of time still to come, or that is a bare "te" plus an
# infinitive ("nader te bepalen", "nog te regelen"), puts the arrangement off.
_DEFERRALS = frozenset({"nog", "nader", "later", "binnenkort", "straks", "volgt", "komt"})
_TO_DO = re.compile(r"\bte\s+\w+en\W*$", re.IGNORECASE)
# The form's own instructions (forms.common, the catalogue's help texts): typed back as an
# answer, they are no answer.
_INSTRUCTION = re.compile(r"\b(vul|typ|invullen|klik|kies|beschrijf)\b", re.IGNORECASE)
# A slot to fill in ("[naam invullen]", "<datum>", "_____"); an ellipsis is no slot.
_SLOT = re.compile(r"\[[^\]]*\]|<[^>]*>|_{3,}")
# Phrases by which an addition waters down the organisation's rule (issue 20's evidence).
# Settling it "ourselves" instead of by the organisation's route, carrying on as if nothing
# happened, making a duty optional, or allowing what the frame does not.
_WEAKENING = re.compile(r"\bzelf\b.*\b(op)?los|\b(op)?loss?en?\b.*\bzelf\b|\bgewoon door|"
                        r"\bhoeft niet|\bhoeven\b.*\bniet\b|\bniet verplicht|"
                        r"\b(mag|mogen)\b.*\book\b|\bals het (uit)?komt|\bindien mogelijk|"
                        r"\bin principe\b", re.IGNORECASE)
# A negated clause about the team's own doing ("we", "dat doen", "wordt") or stating that
# something is lacking ("het loket heeft geen knop", "er is geen") may refuse the question; a
# negation without them is usually a rule ("Geen losse voorwerpen in de spreekkamer").
_TEAM_SUBJECT = frozenset({"we", "wij", "ons", "onze", "team", "dat", "dit", "doen", "wordt",
                           "worden", "hebben", "heb", "heeft", "hoeft", "hoeven", "er", "is",
                           "zijn", "hangt", "hangen", "staat", "staan"})
_PHONE = re.compile(r"^[+()\d\s./-]*$")


def answer_key(tag: str, answer: Answer) -> str:
    """The key of one exact answer: a review belongs to this text and no other. Whitespace
    and Unicode form do not count; any other change does."""
    text = " ".join(unicodedata.normalize("NFC", _plain(answer)).split())
    return hashlib.sha256(f"{tag}\n{text}".encode()).hexdigest()[:16]


def _plain(answer: Answer) -> str:
    if isinstance(answer, list):
        return "\n".join(" | ".join(str(v or "") for v in row.values()) for row in answer)
    if isinstance(answer, dt.date):
        return answer.isoformat()
    return "" if answer is None else str(answer)


# --- text answers -----------------------------------------------------------------------------

_JUDGED: dict[tuple[object, ...], tuple[AnswerState, str]] = {}


def _judge_text(text: str, field: Field) -> tuple[AnswerState, str]:
    """A text answer judged by what it is (the module docstring's list), without context.
    Remembered per text and question (what the rule reads of a field): merge, assess and
    `check` ask about the same answer many times, and a pydantic model is slow to hash."""
    key = (text, field.tag, field.type, field.merge, bool(field.checklist), field.phone,
           field.none_is_answer)
    found = _JUDGED.get(key)
    if found is None:
        if len(_JUDGED) > 100_000:
            _JUDGED.clear()
        found = _JUDGED[key] = _judge(text, field)
    return found


def _judge(text: str, field: Field) -> tuple[AnswerState, str]:
    stripped = text.strip()
    if not stripped:
        return AnswerState.EMPTY, ""
    if field.phone:
        return _judge_phone(stripped)
    ws = dutch.words(stripped)
    letters = [w for w in ws if not w.isdigit()]
    if not letters:
        return AnswerState.NOTHING, "bevat geen woorden"
    if _SLOT.search(stripped) and len(ws) <= 6:
        return AnswerState.NOTHING, "is een invulplek van het formulier, geen antwoord"
    if _INSTRUCTION.search(stripped) and len(ws) <= 6:
        return AnswerState.NOTHING, "is een aanwijzing van het formulier, geen antwoord"
    if _is_form_text(stripped, field):
        return AnswerState.NOTHING, "is de tekst van het formulier zelf, geen antwoord"
    lowers = [w for w in letters if not w[:1].isupper()] or letters
    foreign = [w for w in lowers if not dutch.is_dutch(w) or _one_letter_run(w)]
    if len(foreign) * 2 >= len(lowers):
        return AnswerState.NOTHING, "is geen Nederlandse tekst maar opvultekst of losse letters"
    first = dutch.clauses(stripped)[0] if dutch.clauses(stripped) else stripped
    first_words = dutch.words(first)
    if (len(ws) <= SHORT_WORDS and _TO_DO.search(stripped)) or (
            first_words and len(first_words) <= SHORT_WORDS
            and first_words[0].lower() in _DEFERRALS):
        # "Komt later", "Nader te bepalen", "Nog niet geregeld: het loket heeft geen knop".
        return AnswerState.NOTHING, "stelt de afspraak uit; nog geen afspraak"
    if (len(first_words) >= 2 and all(len(w) == 1 for w in first_words)) or (
            dutch.is_negated(first) and any(w.lower().startswith("toepass")
                                            for w in first_words)):
        # The formula "not applicable" or "to be decided", spelt out or abbreviated
        # ("n.v.t., we hebben geen balie", "Niet van toepassing", "n.t.b."): no answer.
        return AnswerState.NOTHING, "zegt alleen ‘niet van toepassing’ of ‘nog te bepalen’"
    if ws[0].lower() in _REFERENCES and len(ws) <= 5:
        return AnswerState.NOTHING, "verwijst alleen naar iets anders; schrijf de afspraak zelf op"
    informative = [w for w in letters if dutch.is_informative(w) and len(w) > 1]
    if len(ws) == 1 and len(ws[0]) <= TINY_WORD:
        return AnswerState.NOTHING, "één kort woord is geen antwoord"
    if not informative:
        if dutch.is_negated(stripped):
            return AnswerState.NOTHING, "is een weigering of ontkenning, geen afspraak"
        return AnswerState.NOTHING, "zegt niets concreets"
    if len(set(w.lower() for w in letters)) == 1 and len(letters) > 1:
        return AnswerState.NOTHING, "herhaalt één woord"
    refusal = None if field.none_is_answer else _refusal(stripped)
    if refusal is not None:
        return refusal
    if field.type is FieldType.MULTILINE and field.checklist and field.merge is Merge.TEAM and not (
            field.none_is_answer and dutch.is_negated(stripped)) and (
            len(ws) < SHORT_WORDS and len(informative) < 2):
        return AnswerState.REVIEW, "te kort om een afspraak te beschrijven"
    return AnswerState.GIVEN, ""


def _one_letter_run(word: str) -> bool:
    return len(word) >= 3 and len(set(word.lower())) == 1


def _is_form_text(text: str, field: Field) -> bool:
    """The question's own label or help text (its placeholder) typed or pasted back."""
    said = " ".join(w.lower() for w in dutch.words(text))
    for mine in _own_words(field.label, field.help):
        if said and len(said) >= 8 and (said in mine or mine in said and len(mine) * 2 > len(said)):
            return True
    return False


@lru_cache(maxsize=4096)
def _own_words(label: str, help_: str) -> tuple[str, ...]:
    return tuple(" ".join(w.lower() for w in dutch.words(own)) for own in (label, help_))


def _refusal(text: str) -> tuple[AnswerState, str] | None:
    """A negated statement of the team about its own doing: nothing (no content) or te
    beoordelen (with content); None when some clause arranges something."""
    parts = dutch.clauses(text) or [text]
    positive = 0
    refusing = 0
    content = 0
    first_refuses = False
    for n, part in enumerate(parts):
        info = [w for w in dutch.words(part) if dutch.is_informative(w)]
        content += len(info)
        if not dutch.is_negated(part) or dutch.is_restricted(part):
            positive += len(info)
            continue
        lowered = {w.lower() for w in dutch.words(part)}
        if lowered & _TEAM_SUBJECT or len(info) <= 1:
            refusing += 1
            first_refuses = first_refuses or (n == 0 and len(info) <= 1)
        else:
            positive += len(info)  # "Geen losse voorwerpen in de spreekkamer": a rule
    if not refusing or positive >= 2:
        return None
    if content <= 1 or first_refuses:
        # "Nog niet geregeld: het loket heeft geen knop": the answer's first words say no.
        return AnswerState.NOTHING, "is een weigering of ontkenning, geen afspraak"
    return AnswerState.REVIEW, "is ontkennend geformuleerd en kan een weigering zijn"


def _judge_phone(text: str) -> tuple[AnswerState, str]:
    digits = sum(c.isdigit() for c in text)
    if _PHONE.match(text) and digits >= 3:
        return AnswerState.GIVEN, ""
    letters = sum(c.isalpha() for c in text)
    if digits >= 3 and digits >= letters:  # "06 1234 5678 (mobiel)"
        return AnswerState.GIVEN, ""
    return AnswerState.NOTHING, "is geen telefoonnummer"


@lru_cache(maxsize=65536)
def _contradiction(text: str, organisation: str) -> str | None:
    """Why a team's addition may weaken or contradict the organisation's binding text."""
    if _WEAKENING.search(text):
        return "zwakt mogelijk de afspraak van de organisatie af"
    if not organisation.strip():
        return None
    # A negated clause of the team that speaks of what the organisation's text (or the
    # question) speaks of. A team word meets one by its stem, also inside a compound or a
    # separable verb: "schalen" in "opschalen", "melden" and "Meld".
    org = _informative_words_cached(organisation)
    for part in dutch.clauses(text):
        if not dutch.is_negated(part) or dutch.is_restricted(part):
            continue
        if _meet(_informative_words(part), org):
            return "ontkent mogelijk de tekst van de organisatie"
    return None


def _informative_words(text: str) -> list[str]:
    """The words that carry meaning, long enough to match on: an acronym ("GIR", "BHV") is
    one, a short common word is not."""
    return [w.lower() for w in dutch.words(text) if dutch.is_informative(w)
            and (len(w) >= 4 or (len(w) >= 2 and w.isupper()))]


@lru_cache(maxsize=1024)
def _informative_words_cached(text: str) -> tuple[str, ...]:
    return tuple(_informative_words(text))


def _meet(mine: list[str], theirs: list[str] | tuple[str, ...]) -> bool:
    """Whether one of `mine` is one of `theirs` in another form (a shared stem of five
    letters, or the whole word inside the other)."""
    for t in mine:
        for o in theirs:
            if t == o or (min(len(t), len(o)) >= 4 and (t[:5] == o[:5] or o.startswith(t)
                                                         or t.startswith(o))) or \
                    (len(t) >= 5 and t in o) or (len(o) >= 5 and o in t):
                return True
    return False


# --- dates ----------------------------------------------------------------------------------

def date_issue(tag: str, value: dt.date, today: dt.date | None,
               adopted_on: dt.date | None = None) -> str | None:
    """Why a date is no answer: implausible (before the Werkwijzer, more than three years
    ahead), or on the wrong side of today or the adoption. None when it is a real date."""
    if value < EARLIEST_DATE:
        return (f"de datum {dutch_date(value)} ligt vóór de Werkwijzer van maart 2019 en is "
                "geen echte datum")
    if today is not None and (value - today).days > 366 * LATEST_YEARS:
        return (f"de datum {dutch_date(value)} ligt meer dan {LATEST_YEARS} jaar vooruit en "
                "is geen echte datum")
    if tag in FUTURE_DATES:
        if adopted_on is not None and value <= adopted_on:
            return "de datum ligt niet na de vaststelling"
        if today is not None and value < today:
            return "de datum ligt in het verleden"
    if tag in PAST_DATES and today is not None and value > today:
        return "de datum ligt in de toekomst"
    return None


def plausible_date(value: object, today: dt.date | None = None) -> dt.date | None:
    """A date answer that is a real date (`date_issue`'s plausibility only), else None: what
    the agenda, the annex and the card may use."""
    if not isinstance(value, dt.date):
        return None
    return value if date_issue("", value, today) is None else None


# --- the verdict ------------------------------------------------------------------------------

def _raw(field: Field, answer: Answer, ctx: Context) -> tuple[AnswerState, str]:
    if answer is None:
        return AnswerState.EMPTY, ""
    if isinstance(answer, bool):  # the contact-type checkboxes: ticked or not
        return (AnswerState.GIVEN if answer else AnswerState.EMPTY), ""
    if isinstance(answer, dt.date):
        adopted = ctx.form.get(Tag.ADOPTED_ON)
        issue = date_issue(field.tag, answer, ctx.today,
                           adopted if isinstance(adopted, dt.date) else None)
        return (AnswerState.NOTHING, issue) if issue else (AnswerState.GIVEN, "")
    if isinstance(answer, list):
        return _rows(field, answer)
    text = str(answer)
    if field.type is FieldType.CHOICE:
        choice = text.strip().lower()
        if not choice:
            return AnswerState.EMPTY, ""
        if choice in NOTHING_CHOICES:
            return AnswerState.NOTHING, f"beantwoord met ‘{choice}’"
        if choice in PARTIAL_CHOICES:
            return AnswerState.PARTIAL, "beantwoord met ‘deels’"
        return AnswerState.GIVEN, ""
    if field.type is FieldType.DATE:
        return (AnswerState.EMPTY, "") if not text.strip() else \
            (AnswerState.NOTHING, "is geen datum")
    if not field.checklist and not field.phone:
        # Identity and meeting facts (name, version, participants): only junk is no answer.
        st, why = _judge_text(text, field)
        if st is AnswerState.NOTHING and why in _JUNK_REASONS:
            return st, why
        return (AnswerState.EMPTY, "") if st is AnswerState.EMPTY else (AnswerState.GIVEN, "")
    if field.merge in (Merge.INHERIT, Merge.EXTEND) and text.strip() and ctx.organisation:
        contradiction = _contradiction(text, ctx.organisation(field))
        if contradiction:
            return AnswerState.REVIEW, contradiction
    return _judge_text(text, field)


# For a fact without a checklist item (a name, a version, a number of staff) only these make
# an answer no answer: digits alone are a fine answer there ("12", "1.0").
_JUNK_REASONS = frozenset({
    "is een invulplek van het formulier, geen antwoord",
    "is een aanwijzing van het formulier, geen antwoord",
    "is de tekst van het formulier zelf, geen antwoord",
    "is geen Nederlandse tekst maar opvultekst of losse letters"})


def _rows(field: Field, rows: list[dict[str, str | dt.date | None]]) -> tuple[AnswerState, str]:
    """Table rows: empty without a filled cell; nothing when no filled cell says anything."""
    cells = [v for row in rows for v in row.values() if v not in (None, "")]
    if not cells:
        return AnswerState.EMPTY, ""
    texts = [v for v in cells if isinstance(v, str)]
    cell = field.model_copy(update={"checklist": ()})
    if len(texts) == len(cells) and all(
            _judge_text(t, cell)[0] is AnswerState.NOTHING
            or _judge_text(t, field.model_copy(update={"type": FieldType.TEXT}))[0]
            is AnswerState.NOTHING for t in texts):
        return AnswerState.NOTHING, "de rijen regelen niets"
    return AnswerState.GIVEN, ""


def verdict(field: Field, answer: Answer, ctx: Context = NO_CONTEXT) -> Verdict:
    """The one verdict on one answer to `field`, in its context."""
    if field.merge is Merge.LOCKED:
        # The organisation decides; anything a team typed here is ignored on purpose.
        return Verdict(AnswerState.GIVEN, Applies.ORGANISATION)
    state, reason = _raw(field, answer, ctx)
    review = None
    key = ""
    review_reason = ""
    if state is AnswerState.REVIEW:
        key, review_reason = answer_key(field.tag, answer), reason
        review = ctx.reviews.get(key)
        if review is not None and review.decision is Decision.ACCEPTED:
            state, reason = AnswerState.GIVEN, ""
        elif review is not None:
            state, reason = AnswerState.NOTHING, rejection(review)
    return Verdict(state, _applies(field, state), reason, review, key, review_reason)


def rejection(review: Review) -> str:
    """Why an answer the coordinator did not accept arranges nothing: with the note, which is
    the coordinator's own words, quoted as typed."""
    return "de coördinator is niet akkoord" + (f": ‘{review.note}’" if review.note else "")


def _applies(field: Field, state: AnswerState) -> Applies:
    if field.merge is Merge.TEAM:
        return Applies.NONE if state is AnswerState.EMPTY else Applies.TEAM
    # Inherit and extend: the frame always; the addition when it adds something, or when the
    # coordinator must still look at it (shown, marked, not counted).
    if state in (AnswerState.GIVEN, AnswerState.REVIEW, AnswerState.PARTIAL):
        return Applies.BOTH
    return Applies.ORGANISATION


# --- the short questions the other stages ask ------------------------------------------------

def state(field: Field, answer: Answer, ctx: Context = NO_CONTEXT) -> AnswerState:
    """The state of one answer (`verdict`'s)."""
    return verdict(field, answer, ctx).state


def is_empty(field: Field, answer: Answer) -> bool:
    """Whether nothing at all was answered (a required question then asks to be filled in)."""
    return state(field, answer) is AnswerState.EMPTY


def is_given(field: Field, answer: Answer, ctx: Context = NO_CONTEXT) -> bool:
    """Whether the answer arranges what the question asks (state *given*)."""
    return state(field, answer, ctx) is AnswerState.GIVEN


def contradicts_policy(field: Field, answer: Answer, arranged: set[str]) -> bool:
    """A statement answered "nee" while the policy says the thing exists (`policy_claim`)."""
    return (field.policy_claim is not None and field.policy_claim in arranged
            and isinstance(answer, str) and answer.strip().lower() == "nee")


def describe(field: Field, answer: Answer, ctx: Context = NO_CONTEXT) -> str:
    """Why an answer that is not *given* leaves its item open, in Dutch, without its contents."""
    return reason_of(field, verdict(field, answer, ctx))


def reason_of(field: Field, v: Verdict) -> str:
    """`describe` for a verdict already made."""
    if v.state is AnswerState.EMPTY:
        return "niet beantwoord" if field.type is FieldType.CHOICE else "niet ingevuld"
    return v.reason or v.state.value


def missing_text(part: MissingPart, *, form_known: bool = False) -> str:
    """A missing part in one Dutch line, as the annex's tests read it:
    `bijlage balie en spreekkamer: Minimale bezetting (niet ingevuld)`,
    `bijlage huisbezoek ontbreekt`, `organisatie: nog niet geregeld in het beleid`.
    `form_known`: as `check` lists one form's answers, without the form's name
    (`Minimale bezetting: niet ingevuld`)."""
    if part.form is None:
        return f"organisatie: {part.reason}" if part.party == "organisatie" else part.reason
    if part.question is None:
        return f"{form_name(part.form)} {part.reason}"
    if form_known:
        return f"{part.question}: {part.reason}"
    return f"{form_name(part.form)}: {part.question} ({part.reason})"

"""One field's answer as protocol blocks, by its merge rule (locked, inherit, extend, team):
the organisation's frame stays, the team's text follows it, a gap is marked (pure)."""

from __future__ import annotations

import datetime as dt
from itertools import zip_longest

from pipeline import answers
from pipeline.answers import NO_CONTEXT, AnswerState, Applies, Context
from pipeline.catalogue import (
    Field,
    FieldType,
    Merge,
)
from pipeline.models import (
    Answer,
    Block,
    FormData,
    Origin,
    Source,
)
from pipeline.policy import Policy
from pipeline.text import BULLET_MARKERS, capital, dutch_date, unwrap_text

BEHAVIOUR_HEADER = ["(Non-)verbale agressie", "Persoonlijke bedreiging", "Fysiek geweld"]
TEAM_ADDITION = "Aanvulling van het team"


def gap_note(field: Field, answer: Answer, ctx: Context = NO_CONTEXT) -> str:
    """The visible gap marker for a team answer that does not (yet) arrange its part.

    Shown in a box of its own under the team's words (if any); points to the checklist
    items in chapter 7, which always exist there (with their action, if there is one).
    """
    see = _see(field)
    st = answers.state(field, answer, ctx)
    if st is AnswerState.EMPTY:
        return f"Nog niet ingevuld{see}."
    if st is AnswerState.PARTIAL:
        return f"Deels geregeld{see}."
    if st is AnswerState.REVIEW:
        if field.merge is Merge.TEAM:
            return f"De coördinator beoordeelt dit antwoord nog{see}."
        return ("De coördinator beoordeelt deze aanvulling nog: een team mag de afspraak van "
                f"de organisatie niet afzwakken{see}.")
    if field.is_statement:
        return f"Nog niet geregeld{see}."
    return f"Dit antwoord is nog geen afspraak{see}."


def _see(field: Field) -> str:
    """"; zie onderdeel K4 in hoofdstuk 7" for the field's checklist items, or nothing."""
    items = ", ".join(field.checklist)
    if not items:
        return ""
    return f"; zie {'onderdeel' if len(field.checklist) == 1 else 'onderdelen'} {items} in " \
           "hoofdstuk 7"


def answer_of(form: FormData | None, tag: str) -> Answer:
    """The answer to `tag` on `form`, None when the form or the field is absent."""
    if form is None:
        return None
    return form.fields.get(tag)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return dutch_date(value)
    return str(value).strip()


def _text(value: Answer) -> str:
    return "" if value is None else _cell(value)


def _split(text: str) -> tuple[list[str], list[str]]:
    """Paragraphs and bullets of a text, one per line; lines starting with `- ` or `• ` are
    bullets. Team answers come from Word, where every line break was typed on purpose; policy
    texts are unwrapped first (`policy.unwrap_text`), since YAML authors wrap their lines."""
    paragraphs: list[str] = []
    bullets: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        marker = next((m for m in BULLET_MARKERS if line.startswith(m)), None)
        if marker:
            bullets.append(line[len(marker):].strip())
        elif line:
            paragraphs.append(line)
    return paragraphs, bullets


def _source(origin: Origin, kind: str, field: Field) -> Source:
    return Source(origin=origin, form=kind, tag=field.tag, label=field.label, merge=field.merge)


def _organisation_block(policy: Policy, kind: str, field: Field, title: str | None) -> Block:
    paragraphs, bullets = _split(unwrap_text(policy.text(field.policy_text or "")))
    return Block(title=title, paragraphs=paragraphs, bullets=bullets,
                 source=_source(Origin.ORGANISATION, kind, field))


def answer_block(kind: str, field: Field, answer: Answer, title: str | None = None,
                 ctx: Context = NO_CONTEXT) -> Block:
    """A team answer as a Block: text as paragraphs, a statement as itself, rows as a table.

    An answer that arranges nothing (or a statement answered nee, deels or weet ik niet) is
    shown as the team gave it, followed by the gap marker: nothing is hidden, nothing claimed.
    """
    title = field.title if title is None else title
    source = _source(Origin.TEAM, kind, field)
    st = answers.state(field, answer, ctx)
    gap = st is not AnswerState.GIVEN
    note = gap_note(field, answer, ctx) if gap else ""
    marks = {"gap": gap, "gap_note": note, "items": list(field.checklist) if gap else []}
    if field.type is FieldType.ROWS:
        header = [c.label for c in field.columns]
        table = answer if isinstance(answer, list) else []
        rows = [[_cell(row.get(c.name)) for c in field.columns] for row in table]
        rows = [r for r in rows if any(r)]
        return Block(title=title, table=[header, *rows] if rows else [], source=source,
                     **marks)
    said = field.said_as(_text(answer).lower()) if field.type is FieldType.CHOICE else None
    if said is not None:
        # A sentence of its own, no heading over it: "Het alarm wordt niet getest.",
        # "Medewerkers hebben nog geen persoonsalarm of alarmapp." (catalogue `said`).
        if field.is_statement and _text(answer).lower() == "ja":
            return Block(paragraphs=[said], source=source)
        return Block(paragraphs=[said], source=source,
                     **{**marks, "gap": gap or field.is_statement})
    if field.type is FieldType.CHOICE:
        text = _text(answer)  # one of the catalogue's own choices, e.g. "per kwartaal"
        return Block(title=title, paragraphs=[capital(text)], source=source,
                     **marks)
    if field.type in (FieldType.DATE, FieldType.TEXT):
        # Verbatim: a team lead's text is never re-cased or re-worded.
        return Block(title=title, paragraphs=[_text(answer)], source=source, **marks)
    paragraphs, bullets = _split(_text(answer))
    return Block(title=title, paragraphs=paragraphs, bullets=bullets, source=source, **marks)


def _gap_block(kind: str, field: Field) -> Block:
    """A team question left empty: a visible gap, never a sentence pretending an answer.

    A statement (no title of its own) is named in its box, not in a sentence above a box
    that says the same ("…: niet beantwoord." over "Nog niet ingevuld"), in the editor's
    sentence (`Field.said_as`); a question's
    heading is its noun heading (`Field.title`), the box names it by that heading."""
    source = _source(Origin.TEAM, kind, field)
    if field.is_statement:
        said = (field.said_as(None) or field.label).rstrip(".")
        return Block(source=source, gap=True, items=list(field.checklist),
                     gap_note=f"{said}{_see(field)}.", unanswered=field.label.rstrip("."))
    return Block(title=field.title, source=source, gap=True, gap_note=gap_note(field, None),
                 items=list(field.checklist), unanswered=field.title)


def _extend_titles(label: str) -> tuple[str, str]:
    """Titles of the organisation block and the team's addition for an extend field.

    Labels like "Aanvullende huisregels voor deze locaties" name the team's part; the
    organisation part is then "Huisregels voor deze locaties".
    """
    prefix = "Aanvullende "
    if label.startswith(prefix):
        rest = label[len(prefix):].removesuffix(" van het team")
        return capital(rest), label
    return label, TEAM_ADDITION


def field_blocks(policy: Policy, kind: str, field: Field, answer: Answer,
                 ctx: Context = NO_CONTEXT) -> list[Block]:
    """The blocks one field contributes, by its merge rule (locked, inherit, extend, team).

    The organisation's text of a locked, inherit or extend field is always in the protocol;
    the team's own text follows it (`pipeline.answers`): a team adds, it never removes.
    """
    if field.merge is Merge.LOCKED:
        # The organisation decides; anything a team typed here is ignored on purpose.
        return [_organisation_block(policy, kind, field, field.title)]
    if field.only_when_answered and answers.state(field, answer, ctx) is AnswerState.EMPTY:
        return []
    applies = answers.verdict(field, answer, ctx).applies
    if field.merge in (Merge.INHERIT, Merge.EXTEND):
        org_title, team_title = _extend_titles(field.title)
        blocks = [_organisation_block(policy, kind, field, org_title)]
        # An addition that arranges nothing ("n.v.t.") adds nothing: the frame applies. One
        # the coordinator must still judge is shown, marked.
        if applies is Applies.BOTH:
            blocks.append(answer_block(kind, field, answer, team_title, ctx))
        return blocks
    if applies is Applies.TEAM:
        return [answer_block(kind, field, answer, ctx=ctx)]
    return [_gap_block(kind, field)]


def _behaviour_block(policy: Policy) -> Block:
    forms = policy.behaviour_forms
    rows = [list(r) for r in zip_longest(forms.verbaal, forms.bedreiging, forms.fysiek,
                                         fillvalue="")]
    return Block(title="Vormen van normoverschrijdend gedrag", table=[BEHAVIOUR_HEADER, *rows],
                 source=Source(origin=Origin.ORGANISATION, merge=Merge.LOCKED),
                 layout="behaviour")

"""What a read form's answers are checked for once read: a required question left empty, an
answer that arranges nothing where the organisation's text applies or the team must answer
(the one rule, `pipeline.answers`), and all answers together too long. Warnings, except the
length, which is an error."""

from __future__ import annotations

from collections.abc import Mapping

from pipeline import answers
from pipeline.answers import AnswerState
from pipeline.catalogue import Field, FieldType, Merge
from pipeline.forms.document import FormDocument
from pipeline.forms.values import SHORTEN
from pipeline.models import Answer
from pipeline.text import dutch_number

MAX_FORM_CHARS = 150_000  # all answers of one form together
NOT_FILLED = "nog niet ingevuld"  # a required question's warning; `check` lists these apart


def check_answer(doc: FormDocument, field: Field, value: Answer) -> None:
    """Warn when `field`'s `value` is missing (required) or arranges nothing.

    An answer for the coordinator (*te beoordelen*) is not warned about here: the
    organisation's text and the coordinator's review decide it, which the form alone does not
    know (`assess.review_warning`, in context)."""
    verdict = answers.verdict(field, value)
    if field.required and verdict.state is AnswerState.EMPTY:
        doc.problem(False, field, NOT_FILLED, "Dit is een verplichte vraag")
    elif verdict.state is not AnswerState.NOTHING:
        return
    elif field.merge is not Merge.TEAM:
        doc.problem(False, field, f"{answers.reason_of(field, verdict)}; voor deze vraag geldt "
                    "de tekst van de organisatie al", "Laat het vak leeg, of schrijf op "
                    "wat uw team anders of extra doet")
    elif field.required:
        doc.problem(False, field, answers.reason_of(field, verdict), _what_to_do(field))


_OR_ACTION = "of zet een actie met eigenaar en datum bij de openstaande acties"


def _what_to_do(field: Field) -> str:
    """What to do about a required answer that arranges nothing, as the field asks it."""
    if field.type is FieldType.DATE:
        return "Kies de juiste datum in het datumvak"
    if field.type is FieldType.ROWS:
        return f"Vul de rijen in met wat er geregeld is, {_OR_ACTION}"
    return f"Beschrijf wat het team hierover afspreekt, {_OR_ACTION}"


def check_total(doc: FormDocument, fields: Mapping[str, Answer]) -> None:
    """An error when the form's answers together exceed MAX_FORM_CHARS."""
    total = sum(_chars(v) for v in fields.values())
    if total > MAX_FORM_CHARS:
        doc.problem(True, None, f"de antwoorden zijn samen te lang ({dutch_number(total)} "
                    f"tekens, maximaal {dutch_number(MAX_FORM_CHARS)})", SHORTEN)


def _chars(value: Answer) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):
        return sum(len(v) for row in value for v in row.values() if isinstance(v, str))
    return 0

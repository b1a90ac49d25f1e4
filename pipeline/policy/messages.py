"""Pydantic's validation errors as Dutch problems: the key as the coordinator wrote it, the
line in the file, what is wrong and what to do (a table of the patterns, then the types).

Written for the policy, and used for every file a coordinator writes that a pydantic model
checks (the teams CSV's rows, the example teams): `validation_problems` takes the model."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin

import yaml
from pydantic import (
    BaseModel,
    ValidationError,
)

from pipeline.errors import PolicyError, Problem, several
from pipeline.policy.model import Policy
from pipeline.policy.reader import FIX_HINT

MAX_REPORTED = 8  # validation errors listed in one message; the rest are counted


class DutchValueError(ValueError):
    """What a validator of ours raises: a Dutch message, and what to do (else the caller's
    general hint). Pydantic hands it to `_describe` as the error's `ctx["error"]`."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


def _unwrap(tp: object) -> object:
    """`X | None` -> X; other types unchanged."""
    args = [a for a in get_args(tp) if a is not type(None)]
    if get_origin(tp) in (Union, UnionType) and len(args) == 1:
        return args[0]
    return tp


def _walk(loc: tuple, root: type[BaseModel] = Policy) -> tuple[str, list[object], bool]:
    """Human key path for a pydantic `loc`, the type at each step, and whether it has indexes.

    Mapping keys are joined with dots (`branding.colour`, `chapters.4`), list positions are
    shown 1-based in brackets (`chapters.4[2].title`), as a coordinator counts them.
    """
    tp: object = root
    path = ""
    types: list[object] = [tp]
    indexed = False
    for part in loc:
        if part == "[key]":
            continue  # pydantic marks an invalid mapping key; the key itself is already named
        tp = _unwrap(tp)
        origin = get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = _keys(tp).get(str(part))
            path += f".{part}" if path else str(part)
            tp = field.annotation if field else None
        elif origin is dict:
            path += f".{part}"
            tp = get_args(tp)[1]
        elif origin is list and isinstance(part, int):
            path += f"[{part + 1}]"
            indexed = True
            tp = get_args(tp)[0]
        else:
            path += f".{part}" if path else str(part)
            tp = None
        types.append(tp)
    return path, types, indexed


def _keys(model: type[BaseModel]) -> dict[str, Any]:
    """A model's fields by the key a user writes: the alias where it has one."""
    return {field.alias or name: field for name, field in model.model_fields.items()}


_PATTERN_TEXT = {
    "colour": ("moet een kleur zijn als #1F4E79",
               "Schrijf een hekje en zes tekens 0-9 of A-F, tussen aanhalingstekens: "
               "colour: \"#1F4E79\""),
    "short_name": ("mag alleen letters, cijfers, - en _ bevatten",
                   "Gebruik een korte naam zonder spaties, bijvoorbeeld 'lindenhoven'"),
}


def _describe(err: Mapping[str, Any], types: list[object],
              fix_hint: str = FIX_HINT) -> tuple[str, str]:
    """(what is wrong, what to do) for one pydantic error, in Dutch."""
    kind, ctx, loc = err["type"], err.get("ctx") or {}, err["loc"]
    last = str(loc[-1]) if loc else ""
    parent = _unwrap(types[-2]) if len(types) > 1 else None
    if kind == "extra_forbidden":
        allowed = sorted(_keys(parent)) if isinstance(parent, type) and issubclass(
            parent, BaseModel) else []
        hint = "Controleer de spelling of verwijder de sleutel"
        return "onbekende sleutel", hint + (f"; toegestaan zijn: {', '.join(allowed)}"
                                            if allowed else "")
    if kind == "missing":
        return "verplicht veld ontbreekt", "Voeg deze sleutel toe met een waarde"
    if kind == "string_type" and isinstance(err.get("input"), dict) and len(err["input"]) == 1:
        # `- Bel de meldkamer: 112`: YAML reads text with ': ' in it as a key and its value.
        return ("moet een tekst zijn, maar er staat ': ' (dubbele punt en spatie) in, waardoor "
                "YAML er een sleutel met een waarde van maakt"),\
            ("Zet de hele tekst tussen aanhalingstekens, bijvoorbeeld: "
             "- \"Bel de meldkamer: 112\"")
    if kind == "string_type":
        return "moet een tekst zijn", ("Zet de waarde tussen aanhalingstekens als YAML er een "
                                       "getal, datum of ja/nee van maakt")
    if kind == "string_too_short":
        return "mag niet leeg zijn", "Vul een tekst in"
    if kind == "string_too_long":
        return (f"is te lang (maximaal {ctx.get('max_length')} tekens)", "Maak de tekst korter")
    if kind == "string_pattern_mismatch":
        return _PATTERN_TEXT.get(last, ("heeft een ongeldige vorm", fix_hint))
    if kind in ("bool_type", "bool_parsing"):
        return "moet true of false zijn", "Schrijf true of false"
    if kind.startswith("date_"):
        return "moet een datum zijn als 2027-06-30", "Schrijf de datum als jaar-maand-dag"
    if kind in ("list_type", "tuple_type"):
        return "moet een lijst zijn", "Zet elk onderdeel op een eigen regel die begint met '- '"
    if kind == "too_short":
        return (f"moet minstens {ctx.get('min_length', 1)} onderdeel bevatten",
                "Voeg een regel toe die begint met '- '")
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        return ("moet een groep sleutels zijn (sleutel: waarde)",
                "Zet de onderdelen ingesprongen onder deze sleutel")
    if kind == "literal_error":
        # pydantic's `expected` is English ("'a', 'b' or 'c'"): list the Literal's own values.
        options = get_args(_unwrap(types[-1])) or (ctx.get("expected", ""),)
        return ("moet een van deze waarden zijn: " + ", ".join(map(str, options)),
                "Kies een van de genoemde waarden")
    if kind in ("int_parsing", "int_type") and loc and loc[-1] == "[key]":
        return "moet een hoofdstuknummer zijn", "Gebruik de nummers 1 tot en met 6"
    if kind in ("int_parsing", "int_type"):
        return "moet een geheel getal zijn", "Schrijf een getal zonder aanhalingstekens"
    if kind == "value_error":
        # Our own validators already speak Dutch (see Policy and ChecklistAnswer); a
        # DutchValueError also says what to do.
        error = ctx.get("error", err.get("msg", ""))
        return str(error), getattr(error, "hint", None) or fix_hint
    return "heeft een ongeldige waarde", fix_hint


def policy_problems(exc: ValidationError, source: str | None = None
                    ) -> list[tuple[str, str, str]]:
    """(key path, what is wrong, what to do) in Dutch for every error in a policy."""
    return validation_problems(exc, Policy, source=source)


def validation_problems(exc: ValidationError, model: type[BaseModel], *,
                        source: str | None = None, fix_hint: str = FIX_HINT
                        ) -> list[tuple[str, str, str]]:
    """(key path, what is wrong, what to do) in Dutch for every error pydantic found in data
    for `model`; `fix_hint` where no more precise hint is known.

    With the YAML `source`, a value that is not what it should be is given its line. The
    input values themselves are looked at (a mapping where text belongs), never reported.
    """
    problems = []
    root = _compose(source) if source else None
    for err in exc.errors(include_url=False):
        path, types, indexed = _walk(tuple(err["loc"]), model)
        message, hint = _describe(err, types, fix_hint)
        # The line only where the key path alone does not show the mistake: text that YAML
        # made a mapping (`- Bel de meldkamer: 112`) looks like text in the file.
        colon = err["type"] == "string_type" and isinstance(err.get("input"), dict)
        line = _yaml_line(root, tuple(err["loc"])) if colon else None
        if line is not None:
            message = f"regel {line}: {message}"
        if indexed:
            hint += " (onderdelen tussen [ ] zijn geteld vanaf 1)"
        problems.append((path, message, hint))
    return problems


def _compose(source: str) -> yaml.Node | None:
    # Only the nodes' lines are wanted: libyaml composes without constructing, so an alias
    # here is shared, not expanded (the file was read with the guards before this).
    try:
        return yaml.compose(source, Loader=yaml.CSafeLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return None


def _yaml_line(node: yaml.Node | None, loc: tuple) -> int | None:
    """The line (1-based) of the YAML node at pydantic's `loc`, or None when not found."""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if str(k.value) == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and 0 <= part < len(node.value):
            node = node.value[part]
        else:
            node = None
        if node is None:
            return None
    return None if node is None else node.start_mark.line + 1


def policy_error(exc: ValidationError, path: Path) -> PolicyError:
    """The policy file's validation errors as one PolicyError: every problem with its key
    and line, several summed up on the one line printed."""
    try:
        source: str | None = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        source = None
    problems = [Problem(file=str(path), field=key or None, message=message, hint=hint)
                for key, message, hint in policy_problems(exc, source)]
    if len(problems) == 1:
        return PolicyError(*problems)
    # all of them in .problems, for --json callers
    return PolicyError(*problems, summary=several(
        problems, f"{len(problems)} fouten in het beleid: ", file=str(path), hint=FIX_HINT,
        unnamed="het beleid", limit=MAX_REPORTED))

"""The answer corpus (tests/data/answers_corpus.yaml and the held-out answers_holdout.yaml)
judged by the answer rule, as precision and recall per direction: what the tests assert and
what `pytest` prints at the end of every run (tests/conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from pipeline import answers
from pipeline.answers import AnswerState, Verdict
from pipeline.catalogue import FIELDS_BY_TAG
from pipeline.policy import load_policy
from pipeline.policy.context import answer_context

DATA = Path(__file__).resolve().parent.parent / "data"
FILES = ("answers_corpus.yaml", "answers_holdout.yaml")
NOT_GIVEN = (AnswerState.NOTHING, AnswerState.REVIEW)


@dataclass(frozen=True)
class Figures:
    """Precision and recall of one direction on one file, and the answers judged wrong."""

    name: str
    precision: float
    recall: float
    wrong: list[tuple[str, str, str]]  # (group, tag, text)

    def line(self) -> str:
        return (f"{self.name}: precision {self.precision:.0%}, recall {self.recall:.0%}"
                f" ({len(self.wrong)} judged wrong)")


@cache
def load(name: str) -> dict[str, list[tuple[str, str]]]:
    data = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    return {group: [(tag, text) for tag, text in rows] for group, rows in data.items()}


@cache
def verdicts(name: str) -> dict[str, list[Verdict]]:
    context = answer_context(load_policy(), today=None)
    return {group: [answers.verdict(FIELDS_BY_TAG[tag], text, context) for tag, text in rows]
            for group, rows in load(name).items()}


def _figures(name: str, label: str, positive: str, negative: str,
             hit: tuple[AnswerState, ...]) -> Figures:
    judged = verdicts(name)
    rows = load(name)
    found = [v.state in hit for v in judged[positive]]
    false = [v.state in hit for v in judged[negative]]
    flagged = sum(found) + sum(false)
    wrong = [(positive, *rows[positive][i]) for i, ok in enumerate(found) if not ok]
    wrong += [(negative, *rows[negative][i]) for i, bad in enumerate(false) if bad]
    return Figures(name=f"{name} {label}", precision=sum(found) / flagged if flagged else 1.0,
                   recall=sum(found) / len(found), wrong=wrong)


def figures(name: str) -> list[Figures]:
    """Both directions: junk and refusals found among real answers (not counted as
    arranged), and additions that may weaken the frame found among real additions (exactly
    te beoordelen)."""
    return [_figures(name, "niet geregeld (onzin, weigeringen)", "not_arranged", "arranged",
                     NOT_GIVEN),
            _figures(name, "te beoordelen (aanvullingen die afzwakken)", "review", "additions",
                     (AnswerState.REVIEW,))]


def summary() -> list[str]:
    lines = ["Het antwoordoordeel op het corpus (tests/data):"]
    for name in FILES:
        for f in figures(name):
            lines.append("  " + f.line())
            lines += [f"      {group}: {tag}: {text!r}" for group, tag, text in f.wrong]
    return lines

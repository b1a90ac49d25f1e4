"""What the answer rule costs a batch (issue 20: at most 5 ms per team), measured on the
bench's own synthetic teams: every answer of every team judged once with empty caches (the
cost of a first build with texts never seen before), then the same again with the caches the
batch keeps warm (merge, assess and `check` ask about one answer many times)."""

from __future__ import annotations

import time
from pathlib import Path

from pipeline import answers, dutch
from pipeline.catalogue import FIELDS_BY_TAG
from pipeline.forms.folder import read_team_folder
from pipeline.policy import load_policy
from pipeline.policy.context import answer_context


def _clear() -> None:
    answers._JUDGED.clear()  # noqa: SLF001 - the bench measures the cold rule on purpose
    for cached in (dutch.is_dutch, dutch.is_informative, answers._contradiction):  # noqa: SLF001
        cached.cache_clear()


def answer_rule_lines(forms_dir: Path) -> list[str]:
    """Milliseconds per team for judging every answer, cold and warm, in the bench's format."""
    policy = load_policy()
    teams = [read_team_folder(folder)[0] for folder in sorted(forms_dir.iterdir())
             if folder.is_dir()]
    dutch.zipf("laden")  # the word list loads once per process (~0.5 s), not per team
    timings = []
    for _ in range(2):
        calls = 0
        start = time.perf_counter()
        for team in teams:
            for form in team.forms.values():
                context = answer_context(policy, today=None, form=form.fields)
                for tag, value in form.fields.items():
                    if tag in FIELDS_BY_TAG:
                        answers.verdict(FIELDS_BY_TAG[tag], value, context)
                        calls += 1
        timings.append(time.perf_counter() - start)
    n = max(len(teams), 1)
    return [f"  answer rule, cold caches       {timings[0] / n * 1000:6.2f} ms/team "
            f"({calls / n:.0f} answers per team)",
            f"  answer rule, warm caches       {timings[1] / n * 1000:6.2f} ms/team "
            "(target: <= 5 ms/team)"]


def cold_answer_rule_lines(forms_dir: Path) -> list[str]:
    _clear()
    return answer_rule_lines(forms_dir)

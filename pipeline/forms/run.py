"""`teamprotocol forms` as one stage: every team's forms from the teams list, with the
policy's texts and look, optionally prefilled from last round's forms, published at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.forms import prefill
from pipeline.forms.many import Common, TeamJob, write_many
from pipeline.forms.publish import Published, commit, staging
from pipeline.forms.teams_csv import read_teams_csv
from pipeline.forms.write import arranged_lines, locked_texts_of, look_of
from pipeline.models import TeamIdentity
from pipeline.policy import load_policy

# Called once with the number of teams to write; returns what to call after each team.
Progress = Callable[[int], Callable[[], None]]


@dataclass(frozen=True)
class FormsRun:
    """What a forms run did: the teams of the list, what `--from` found of last round (None
    without it) and the files written, replaced and kept."""

    teams: list[TeamIdentity]
    found: prefill.Prefill | None
    done: Published


def make_forms(teams_csv: Path, out_dir: Path, *, policy_path: Path | None = None,
               replace: bool = False, last_dir: Path | None = None,
               progress: Progress | None = None) -> FormsRun:
    """Write every team's forms of `teams_csv` below `out_dir` (`policy_path` None: the
    example policy). Forms that exist are kept unless `replace`; with `last_dir`, each team
    gets last round's answers, and a team whose old forms cannot be read gets no forms."""
    teams = read_teams_csv(teams_csv)
    # The organisation's fixed texts (the norm, the sanction policy) are shown read-only in
    # the forms, so a team lead answers with the norm in front of them.
    policy = load_policy(policy_path)
    locked = locked_texts_of(policy)
    # Stap 1: what the organisation already arranges per checklist item, on the team form.
    arranged = tuple(arranged_lines(policy))
    # The forms look like the organisation's protocol: its colour, font and logo.
    look = look_of(policy, policy_path)
    found = prefill.plan(teams, last_dir) if last_dir is not None else None
    jobs = [TeamJob(team) if found is None else
            TeamJob(team, found.answers.get(team.team_id), found.notes.get(team.team_id))
            for team in teams if found is None or team.team_id not in found.errors]
    tick = progress(len(jobs)) if progress is not None else (lambda: None)
    with staging(out_dir) as stage:
        write_many(jobs, Common(stage, locked, terminology=policy.terminology, look=look,
                                arranged=arranged), done=tick)
        done = commit(stage, out_dir, replace=replace)
    return FormsRun(teams=teams, found=found, done=done)

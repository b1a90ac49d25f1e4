"""What the coordinator's overview says, computed once for the workbook and the html page.

Per team: the score per chapter, the annex's own count (items the organisation still has to
arrange are not arranged, and are also counted apart as *wacht op de organisatie*), open
items, protocol status, the next evaluation with its flag, links to the outputs; the teams'
open actions; what the organisation still arranges; and for every failed team each problem.
`build_overview` is pure: the build date comes in as an argument, so the output is the same
for the same inputs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline import terms
from pipeline.catalogue import CHAPTERS, CHECKLIST_BY_ID, ProtocolStatus
from pipeline.errors import sentence
from pipeline.models import (
    Action,
    ActionOrigin,
    BuildStatus,
    ItemAssessment,
    Protocol,
    Status,
    TeamResult,
)
from pipeline.policy import Policy
from pipeline.text import dutch_date

# An evaluation this close is flagged: a coordinator plans the team meeting weeks ahead.
SOON_DAYS = 60
# Short chapter names for the narrow heatmap columns of the page and the workbook; the full
# titles (catalogue.CHAPTERS) are in the page's legend and the workbook's title row.
SHORT_CHAPTERS = {1: "Visie", 2: "Kwaliteit", 3: "Orde", 4: "Normoverschrijdend gedrag",
                  5: "Lerende aanpak", 6: "Borging"}


class Evaluation:
    """Flags of a team's next evaluation date (Dutch, as shown)."""

    OVERDUE = "verlopen"
    SOON = f"binnen {SOON_DAYS} dagen"
    UNPLANNED = "niet gepland"


@dataclass(frozen=True)
class ChapterCell:
    """One team × chapter: the team's own items and those the organisation still arranges."""

    arranged: int  # the items that are geregeld (the annex's count)
    applicable: int  # the team's applicable items (not n.v.t.), organisation gaps included
    organisation_open: int

    @property
    def share(self) -> float | None:
        """Share of the team's part that is arranged; None when nothing applies."""
        return self.arranged / self.applicable if self.applicable else None


@dataclass(frozen=True)
class TeamRow:
    """One team in the overview."""

    team_id: str
    team: str
    # Failed, or built in this run or an earlier one: not which (built or unchanged), so an
    # unchanged rebuild shows the overview the build before it wrote and need not write it
    # again (at 2,000 teams that was 11.6 s, the workbook most of it; issue 26).
    failed: bool
    status: str | None  # concept / vastgesteld; None for a failed team
    department: str | None = None  # None for a failed team: its forms were not read
    version: str | None = None
    chapters: dict[int, ChapterCell] = field(default_factory=dict)
    open: int | None = None  # the team's own open items (deels or ontbreekt)
    organisation_open: int | None = None
    review: int | None = None  # answers waiting for the coordinator (te beoordelen)
    next_evaluation: dt.date | None = None
    evaluation_flag: str | None = None
    links: dict[str, str] = field(default_factory=dict)  # "pdf"/"docx"/"wijzigingen" -> path
    in_force: str | None = None  # a concept's adopted version in force: "1.0, 1 september 2026"
    problems: list[dict[str, str]] = field(default_factory=list)

    @property
    def arranged(self) -> int | None:
        return sum(c.arranged for c in self.chapters.values()) if self.chapters else None

    @property
    def applicable(self) -> int | None:
        return sum(c.applicable for c in self.chapters.values()) if self.chapters else None

    @property
    def share(self) -> float | None:
        a, g = self.applicable, self.arranged
        return g / a if a and g is not None else None


@dataclass(frozen=True)
class ActionRow:
    """One open action of a team: what, who, by when, and whether that date has passed."""

    team_id: str
    team: str
    item: str | None
    item_text: str | None
    department: str
    what: str | None  # None: nobody has said yet who does what (origin "open")
    owner: str | None
    due: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class OrganisationRow:
    """A checklist item the organisation itself still arranges, for every team it concerns."""

    item: str
    item_text: str
    what: str
    owner: str | None
    due: dt.date | None
    overdue: bool
    teams: int


@dataclass(frozen=True)
class Department:
    """The teams of one department, in the overview's order (furthest behind first); `name`
    None holds the failed teams, whose department is unknown (their forms were not read)."""

    name: str | None
    teams: list[TeamRow]

    @property
    def behind(self) -> int:
        """Teams with open items of their own."""
        return sum(1 for t in self.teams if t.open)

    @property
    def failed(self) -> int:
        return sum(1 for t in self.teams if t.failed)

    @property
    def flagged(self) -> int:
        """Built teams whose evaluation asks for attention."""
        return sum(1 for t in self.teams if not t.failed and t.evaluation_flag)


@dataclass(frozen=True)
class Overview:
    today: dt.date
    organisation: str | None
    teams: list[TeamRow]
    actions: list[ActionRow]
    organisation_actions: list[OrganisationRow]
    destroyable: list[DestroyRow] = field(default_factory=list)

    @property
    def failed(self) -> list[TeamRow]:
        return [t for t in self.teams if t.failed]

    @property
    def departments(self) -> list[Department]:
        """The teams per department (the failed teams first, then by name), so that an
        organisation of 2,000 teams reads as a few dozen groups with their counts."""
        groups: dict[str | None, list[TeamRow]] = {}
        for t in self.teams:
            groups.setdefault(None if t.failed else t.department, []).append(t)
        order = sorted(groups, key=lambda d: (d is not None, (d or "").casefold(), d or ""))
        return [Department(name=d, teams=groups[d]) for d in order]

    @property
    def planned_per_team(self) -> list[tuple[TeamRow, list[ActionRow]]]:
        """Per team (in the departments' order) the actions someone has described."""
        groups: dict[str, list[ActionRow]] = {}
        for a in self.planned:
            groups.setdefault(a.team_id, []).append(a)
        return [(t, groups[t.team_id]) for d in self.departments for t in d.teams
                if t.team_id in groups]

    @property
    def planned(self) -> list[ActionRow]:
        """The actions someone has described (the team's own, with owner and date if given)."""
        return [a for a in self.actions if a.what is not None]

    @property
    def unplanned(self) -> list[tuple[str, list[ActionRow]]]:
        """Per team (in the teams' order) the open items for which no action was agreed yet."""
        groups: dict[str, list[ActionRow]] = {}
        for a in self.actions:
            if a.what is None:
                groups.setdefault(a.team_id, []).append(a)
        return [(t.team, groups[t.team_id]) for t in self.teams if t.team_id in groups]


def _chapters(items: list[ItemAssessment]) -> dict[int, ChapterCell]:
    cells = {}
    for number in CHAPTERS:
        applicable = [i for i in items if i.chapter == number and i.status is not Status.NVT]
        cells[number] = ChapterCell(
            # The annex's own count (one number for a team): an item open only at the
            # organisation is not arranged here either; it is shown as *wacht op de
            # organisatie* (`organisation_open`).
            arranged=sum(i.status is Status.GEREGELD for i in applicable),
            applicable=len(applicable),
            organisation_open=sum(i.open_for_organisation for i in applicable))
    return cells


def evaluation_flag(next_evaluation: dt.date | None, today: dt.date) -> str | None:
    """`verlopen`, `binnen 60 dagen`, `niet gepland`, or None when it is planned further out."""
    if next_evaluation is None:
        return Evaluation.UNPLANNED
    if next_evaluation < today:
        return Evaluation.OVERDUE
    if next_evaluation <= today + dt.timedelta(days=SOON_DAYS):
        return Evaluation.SOON
    return None


def _problems(result: TeamResult) -> list[dict[str, str]]:
    rows = []
    for problem in result.problems:
        rows.append({"file": problem.file, "field": problem.field or "–",
                     "message": sentence(problem.message),
                     "hint": sentence(problem.hint) if problem.hint else ""})
    return rows


def _team_row(result: TeamResult, policy: Policy | None, today: dt.date) -> TeamRow:
    protocol = result.protocol
    team = result.team or (protocol.meta.team if protocol else result.team_id)
    failed = result.status == BuildStatus.FAILED
    if failed or protocol is None:
        return TeamRow(team_id=result.team_id, team=team, failed=failed,
                       status=protocol.meta.status if protocol else None,
                       problems=_problems(result))
    items = protocol.annex.items
    nxt = protocol.meta.next_evaluation
    return TeamRow(
        team_id=result.team_id, team=team, failed=False, status=protocol.meta.status,
        department=protocol.meta.department, version=protocol.meta.version,
        chapters=_chapters(items),
        open=sum(i.open_for_team for i in items),
        organisation_open=sum(i.open_for_organisation for i in items),
        review=len(protocol.annex.pending_reviews),
        next_evaluation=nxt, evaluation_flag=evaluation_flag(nxt, today),
        links={k: result.outputs[k] for k in ("pdf", "docx", "wijzigingen")
               if k in result.outputs},
        in_force=(_in_force(protocol) if protocol.meta.status is not ProtocolStatus.ADOPTED
                  else None))


def _in_force(protocol: Protocol) -> str | None:
    """The last adopted version in the protocol's Versiebeheer: the one in force while this
    concept is not adopted."""
    adopted = [h for h in protocol.meta.history if h.status == ProtocolStatus.ADOPTED
               and h.version != protocol.meta.version]
    if not adopted:
        return None
    last = adopted[-1]
    return f"{last.version}, {dutch_date(last.date)}" if last.date else last.version


@dataclass(frozen=True)
class DestroyRow:
    """An archived version whose retention has ended (*mag worden vernietigd*)."""

    name: str
    file: str  # below --out
    end: dt.date


def _behind(row: TeamRow) -> tuple:
    """Sort key: failed teams first, then the most open items, the lowest share, by name."""
    share = row.share if row.share is not None else 1.0
    return (not row.failed, -(row.open or 0), share, row.team.casefold(), row.team_id)


def _actions(result: TeamResult, policy: Policy | None, today: dt.date) -> list[ActionRow]:
    protocol = result.protocol
    if result.status == BuildStatus.FAILED or protocol is None:
        return []
    rows = []
    for action in protocol.annex.actions:
        if action.origin is ActionOrigin.ORGANISATION:
            continue  # once, in the organisation's table, not once per team
        rows.append(_action_row(result, protocol.meta.team, action, today, policy))
    for item in protocol.annex.items:
        # The organisation's action covers its own part; the team's part has none yet.
        if (item.action is not None and item.action.origin is ActionOrigin.ORGANISATION
                and item.open_for_team):
            rows.append(_action_row(result, protocol.meta.team, Action(
                item=item.id, what="", origin=ActionOrigin.OPEN), today, policy))
    return rows


def item_text(item_id: str, policy: Policy | None) -> str:
    """A checklist item's text in the policy's word for burger (inwoner, klant)."""
    return terms.ours(CHECKLIST_BY_ID[item_id].text,
                      policy.terminology if policy else terms.DEFAULT)


def _action_row(result: TeamResult, team: str, action: Action, today: dt.date,
                policy: Policy | None = None) -> ActionRow:
    item = action.item if action.item in CHECKLIST_BY_ID else None
    return ActionRow(
        team_id=result.team_id, team=result.team or team, item=action.item,
        item_text=item_text(item, policy) if item else None,
        department=result.protocol.meta.department if result.protocol else "",
        what=None if action.origin is ActionOrigin.OPEN else action.what,
        owner=action.owner, due=action.due,
        overdue=action.due is not None and action.due < today)


def _organisation_rows(results: list[TeamResult], policy: Policy | None,
                       today: dt.date) -> list[OrganisationRow]:
    if policy is None:
        return []
    rows = []
    for item_id, answer in policy.checklist.items():
        if answer.arranged:
            continue
        teams = sum(1 for r in results if r.protocol is not None
                    and r.status != BuildStatus.FAILED and any(
                        i.id == item_id and i.status is not Status.NVT
                        for i in r.protocol.annex.items))
        rows.append(OrganisationRow(item=item_id, item_text=item_text(item_id, policy),
                                    what=answer.action or "",
                                    owner=answer.owner, due=answer.due,
                                    overdue=answer.due is not None and answer.due < today,
                                    teams=teams))
    order = list(CHECKLIST_BY_ID)
    return sorted(rows, key=lambda r: (r.due is None, r.due or dt.date.max, order.index(r.item)))


def build_overview(results: list[TeamResult], policy: Policy | None,
                   today: dt.date, destroyable: Sequence[DestroyRow] = ()) -> Overview:
    """Everything the overview shows, for the build date `today`."""
    teams = sorted((_team_row(r, policy, today) for r in results), key=_behind)
    rank = {t.team_id: n for n, t in enumerate(teams)}
    actions = [a for r in results for a in _actions(r, policy, today)]
    # The team furthest behind first; within a team the overdue and earliest dates first,
    # then the actions nobody owns yet.
    order = {item: n for n, item in enumerate(CHECKLIST_BY_ID)}
    actions.sort(key=lambda a: (rank[a.team_id], a.due is None, a.due or dt.date.max,
                                order.get(a.item or "", len(order))))
    return Overview(today=today,
                    organisation=policy.branding.organisation if policy is not None else None,
                    teams=teams, actions=actions,
                    organisation_actions=_organisation_rows(results, policy, today),
                    destroyable=list(destroyable))

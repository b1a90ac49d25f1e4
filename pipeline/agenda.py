"""`agenda.ics`: every team's next evaluation and every open action with a due date (iCalendar).

Written with the `icalendar` library, so Outlook, Google Calendar and Thunderbird import it.
Events are all-day (a due date has no time) and carry a stable UID per team and action (its
checklist item and text, never its date), so importing the file of a later run updates the
events instead of doubling them. The previous `agenda.ics` in the output folder is read back:
an event that changed (a moved date) gets a higher SEQUENCE, as RFC 5545 asks for an update,
and an event of an action that is done or gone stays in the file as a cancellation (STATUS:
CANCELLED, SEQUENCE raised), so the calendar removes it. A team that failed this run keeps its
events as they were. The organisation's own actions appear in every team's annex; they are
listed once here, not once per team.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Iterable
from pathlib import Path

from icalendar import Calendar, Component, Event

from pipeline.files import atomic_write_bytes
from pipeline.models import Action, ActionOrigin, TeamResult

AGENDA_NAME = "agenda.ics"
PRODID = "-//teamprotocol//Teamprotocollen veilige publieke dienstverlening//NL"
_UID_DOMAIN = "teamprotocol"
_MAX_SUMMARY = 120  # characters: calendars show the first line of a summary only


def _uid(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]
    return f"{digest}@{_UID_DOMAIN}"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_SUMMARY else text[: _MAX_SUMMARY - 1].rstrip() + "…"


_TEAM_PROP = "X-TEAMPROTOCOL-TEAM"  # whose event it is: a failed team keeps its events
_MAX_PREVIOUS_BYTES = 50 * 1024 * 1024
_SAME = ("DTSTART", "DTEND", "SUMMARY", "DESCRIPTION")  # what a calendar shows of an event


def _event(uid: str, day: dt.date, summary: str, description: str,
           stamp: dt.datetime, team: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))  # all-day: DTEND is the next day
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: it does not block time
    event.add(_TEAM_PROP, team)
    return event


def _previous(path: Path) -> dict[str, Component]:
    """The events of the agenda a previous run wrote, by UID; none when it is missing or not
    readable (then every event starts again at SEQUENCE 0)."""
    with contextlib.suppress(OSError, ValueError, KeyError, IndexError, TypeError):
        if path.stat().st_size > _MAX_PREVIOUS_BYTES:
            return {}
        cal = Calendar.from_ical(path.read_bytes())
        return {str(e["UID"]): e for e in cal.walk("VEVENT") if "UID" in e}
    return {}


def _sequence(event: Component) -> int:
    with contextlib.suppress(KeyError, ValueError, TypeError):
        return int(str(event["SEQUENCE"]))
    return 0


def _cancelled(event: Component) -> bool:
    return str(event.get("STATUS", "")).upper() == "CANCELLED"


def _shown(event: Component) -> tuple[object, ...]:
    return tuple(event[k].to_ical() if k in event else b"" for k in _SAME)


def _versioned(event: Event, before: Component | None) -> Event:
    """`event` with its SEQUENCE: the previous one, raised when what it shows changed or it
    was cancelled before."""
    seq = 0
    if before is not None:
        seq = _sequence(before)
        if _cancelled(before) or _shown(before) != _shown(event):
            seq += 1
    event.add("sequence", seq)
    event.add("status", "CONFIRMED")
    return event


def _cancellation(before: Component, stamp: dt.datetime) -> Event:
    """The previous `before`, cancelled: same UID and dates, SEQUENCE raised once."""
    event = Event()
    for key in ("UID", *_SAME, "TRANSP", _TEAM_PROP):
        if key in before:
            event.add(key.lower(), before.decoded(key) if key in ("DTSTART", "DTEND")
                      else str(before[key]))
    event.add("dtstamp", stamp)
    event.add("sequence", _sequence(before) + (0 if _cancelled(before) else 1))
    event.add("status", "CANCELLED")
    return event


def _action_text(action: Action) -> str:
    owner = action.owner or "nog te bepalen"
    item = f"Checklistonderdeel {action.item}. " if action.item else ""
    return f"{item}{action.what}\nEigenaar: {owner}."


def agenda(results: Iterable[TeamResult], organisation: str, *, today: dt.date,
           previous: dict[str, Component] | None = None) -> bytes:
    """The iCalendar file of the teams that have a protocol (built or unchanged).

    `previous` holds the events of the last file by UID: changed events get a higher
    SEQUENCE, events no longer there a cancellation, a failed team's events stay as they were.
    """
    previous = previous or {}
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Teamprotocollen {organisation}")
    # DTSTAMP is required; the build day (not the second) keeps a day's files identical.
    stamp = dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC)
    events: dict[str, Event] = {}
    seen_org: set[tuple] = set()
    failed = {r.team_id for r in results if r.protocol is None}
    for r in results:
        if r.protocol is None:
            continue
        meta = r.protocol.meta
        if meta.next_evaluation is not None:
            uid = _uid(r.team_id, "evaluatie")
            events[uid] = _event(
                uid, meta.next_evaluation, f"Evaluatie teamprotocol {meta.team}",
                f"Evaluatie van het teamprotocol van team {meta.team} ({meta.department}), "
                f"versie {meta.version}, met het team en de coördinator.", stamp, r.team_id)
        for action in r.protocol.annex.actions:
            if action.due is None:
                continue
            item = action.item or "actie"
            if action.origin is ActionOrigin.ORGANISATION:
                key = (action.item, action.what)
                if key in seen_org:
                    continue
                seen_org.add(key)
                uid = _uid("organisatie", item, action.what)
                summary, team = f"{organisation}: {item} – {action.what}", "organisatie"
            else:
                uid = _uid(r.team_id, item, action.what)
                summary, team = f"{meta.team}: {item} – {action.what}", r.team_id
            if uid in events:  # the same action twice in one annex: one event
                continue
            events[uid] = _event(uid, action.due, _short(summary), _action_text(action),
                                 stamp, team)
    for uid, event in events.items():
        cal.add_component(_versioned(event, previous.get(uid)))
    for uid, before in previous.items():
        if uid in events:
            continue
        if str(before.get(_TEAM_PROP, "")) in failed and not _cancelled(before):
            cal.add_component(before)  # not built this time: what it said still stands
        else:
            cal.add_component(_cancellation(before, stamp))
    return cal.to_ical()


def write_agenda(results: Iterable[TeamResult], out_dir: Path, organisation: str, *,
                 today: dt.date) -> Path:
    """Write `agenda.ics` into `out_dir` atomically, unless it already says the same; its path.

    An unchanged rebuild leaves the file alone, as it leaves the teams' files.
    """
    path = Path(out_dir) / AGENDA_NAME
    data = agenda(results, organisation, today=today, previous=_previous(path))
    with contextlib.suppress(OSError):
        if path.read_bytes() == data:
            return path
    atomic_write_bytes(path, data)
    return path

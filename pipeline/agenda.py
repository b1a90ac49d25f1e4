"""`agenda.ics`: every team's next evaluation and every open action with a due date (iCalendar).

Written with the `icalendar` library, so Outlook, Google Calendar and Thunderbird import it.
Events are all-day (a due date has no time) and carry a stable UID per team and action, so
importing the file of a later run updates the events instead of doubling them. The
organisation's own actions appear in every team's annex; they are listed once here, not
once per team.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Iterable
from pathlib import Path

from icalendar import Calendar, Event

from pipeline.files import atomic_write_bytes
from pipeline.models import Action, TeamResult

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


def _event(uid: str, day: dt.date, summary: str, description: str,
           stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))  # all-day: DTEND is the next day
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: it does not block time
    return event


def _action_text(action: Action) -> str:
    owner = action.owner or "nog te bepalen"
    item = f"Checklistonderdeel {action.item}. " if action.item else ""
    return f"{item}{action.what}\nEigenaar: {owner}."


def agenda(results: Iterable[TeamResult], organisation: str, *, today: dt.date) -> bytes:
    """The iCalendar file of the teams that have a protocol (built or unchanged)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Teamprotocollen {organisation}")
    # DTSTAMP is required; the build day (not the second) keeps a day's files identical.
    stamp = dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC)
    seen_org: set[tuple] = set()
    for r in results:
        if r.protocol is None:
            continue
        meta = r.protocol.meta
        if meta.next_evaluation is not None:
            cal.add_component(_event(
                _uid(r.team_id, "evaluatie"), meta.next_evaluation,
                f"Evaluatie teamprotocol {meta.team}",
                f"Evaluatie van het teamprotocol van team {meta.team} ({meta.department}), "
                f"versie {meta.version}, met het team en de coördinator.", stamp))
        for action in r.protocol.annex.actions:
            if action.due is None:
                continue
            item = action.item or "actie"
            if action.origin == "organisatie":
                key = (action.item, action.what, action.due)
                if key in seen_org:
                    continue
                seen_org.add(key)
                uid = _uid("organisatie", item, action.what, action.due.isoformat())
                summary = f"{organisation}: {item} – {action.what}"
            else:
                uid = _uid(r.team_id, item, action.what, action.due.isoformat())
                summary = f"{meta.team}: {item} – {action.what}"
            cal.add_component(_event(uid, action.due, _short(summary), _action_text(action),
                                     stamp))
    return cal.to_ical()


def write_agenda(results: Iterable[TeamResult], out_dir: Path, organisation: str, *,
                 today: dt.date) -> Path:
    """Write `agenda.ics` into `out_dir` atomically, unless it already says the same; its path.

    An unchanged rebuild leaves the file alone, as it leaves the teams' files.
    """
    path = Path(out_dir) / AGENDA_NAME
    data = agenda(results, organisation, today=today)
    with contextlib.suppress(OSError):
        if path.read_bytes() == data:
            return path
    atomic_write_bytes(path, data)
    return path

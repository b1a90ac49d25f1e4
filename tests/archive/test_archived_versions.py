"""Adopted versions archived by an earlier release stay readable: the Versiebeheer and the
tracked changes compare against them, so a changed model must still read the old files.

`tests/data/handhaving-1.0-by-0.3.0.protocol.json` is handhaving's protocol.json exactly as
version 0.3.0 wrote it (before missing parts were structured).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from helpers.examples import example

from pipeline import history
from pipeline.batch import assemble
from pipeline.models import ItemAssessment, Protocol
from pipeline.policy import load_policy

OLD = Path(__file__).parent.parent / "data" / "handhaving-1.0-by-0.3.0.protocol.json"


def test_a_protocol_written_by_0_3_0_is_read_with_its_missing_parts():
    protocol = Protocol.model_validate_json(OLD.read_bytes())
    by_id = {i.id: i for i in protocol.annex.items}
    # 0.3.0 wrote each part as one Dutch line; the organisation's began "organisatie: ".
    assert [(m.party, m.reason) for m in by_id["V2"].missing] == [
        ("organisatie", "nog niet geregeld in het beleid")]
    assert by_id["V2"].open_for_organisation
    assert not by_id["V2"].open_for_team
    # A team's part was "<form>: <question> (<why>)"; it is kept whole, as the team's.
    item = ItemAssessment.model_validate({
        **by_id["V2"].model_dump(), "missing": [
            "teamformulier: Derden die met het team werken (niet ingevuld)"]})
    assert [(m.party, m.form, m.reason) for m in item.missing] == [
        ("team", None, "teamformulier: Derden die met het team werken (niet ingevuld)")]
    assert item.open_for_team


def test_the_next_version_lists_the_version_archived_by_0_3_0(tmp_path):
    archive = tmp_path / "archief"
    archive.mkdir()
    shutil.copy(OLD, archive / ("lindenhoven_handhaving_teamprotocol_1.0_2026-05-06"
                                + history.PROTOCOL_SUFFIX))
    current = assemble(load_policy(), example("handhaving"), today=dt.date(2027, 5, 1))
    meta = current.meta.model_copy(update={"version": "2.0", "status": "concept",
                                           "adopted_on": None})
    protocol, previous = history.previous_cycle(
        current.model_copy(update={"meta": meta}), history.ArchiveIndex(archive))
    assert previous is not None
    assert previous.meta.version == "1.0"
    first = protocol.meta.history[0]
    assert (first.version, first.date) == ("1.0", dt.date(2026, 5, 20))
    assert "eerste vastgestelde versie" in first.note
    assert len(protocol.meta.history) == 2

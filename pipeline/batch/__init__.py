"""The batch: every team from forms to protocol; one team's failure never stops the others.

`run` drives the whole batch (`build_all`), `team` builds one team's .docx, `pdfs` converts,
verifies and archives its PDF while the next team renders, `shared` holds what they share,
`timing` the stage times `make bench` prints.
"""

from pipeline.batch.run import build_all, team_folders
from pipeline.batch.shared import ARCHIVE_DIR, PROTOCOL_JSON, BatchReport, BuildOptions
from pipeline.batch.team import assemble
from pipeline.batch.timing import StageTimes

__all__ = ["ARCHIVE_DIR", "PROTOCOL_JSON", "BatchReport", "BuildOptions", "StageTimes",
           "assemble", "build_all", "team_folders"]

"""Team forms: Word forms with content controls written from the catalogue, and read back.

In the order the data flows: `teams_csv` (the coordinator's list of teams) -> `write` (one
form's document and a team's set; `fields` one question and its control, `layout` the page
and the organisation's look, `common` what writer and reader share) -> `publish` (staged,
then renamed into place); `many` writes many teams' forms at once, `run` is the whole
`teamprotocol forms` run. A team lead fills the form in. Then `package` (the file opened as
untrusted input) -> `read` (its properties and fields; `document`, `values`, `recover`,
`rows`, `checks`) -> `folder` (a team's forms together). `prefill` and `migrate` carry last
cycle's answers into the next cycle's forms.
"""

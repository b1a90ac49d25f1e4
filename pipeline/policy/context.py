"""The context in which the answer rule judges a team's answers: the organisation's binding
text for each field, the build date, the form's other answers and the coordinator's reviews
(`pipeline.answers.Context`). One place, so merge, assess and `check` judge alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pipeline.answers import Context
from pipeline.catalogue import Field
from pipeline.models import Answer, Review
from pipeline.policy.model import Policy


def answer_context(policy: Policy | None, *, today: dt.date | None,
                   form: Mapping[str, Answer] | None = None,
                   reviews: Mapping[str, Review] | None = None) -> Context:
    """The answer rule's context for one form of one team."""
    texts: dict[str, str] = {}

    def organisation(field: Field) -> str:
        # The question's own topic ("Opschalen van belemmeringen") and the binding text.
        if policy is None or not field.policy_text:
            return field.label
        if field.policy_text not in texts:
            texts[field.policy_text] = policy.text(field.policy_text)
        return f"{field.label}. {texts[field.policy_text]}"

    return Context(today=today, organisation=organisation, form=form or {},
                   reviews=reviews or {})

"""Fixtures for the render and report tests: a rich Protocol and Policy built from the models."""

from __future__ import annotations

import pytest
from helpers.render import (
    make_policy,
    make_protocol,
)

from pipeline.models import (
    Protocol,
)
from pipeline.policy import (
    Policy,
)


@pytest.fixture
def policy() -> Policy:
    return make_policy()


@pytest.fixture
def protocol() -> Protocol:
    return make_protocol()



"""In-process moto for the calendar's models and service.

The environment is set before anything under `functions` is imported, so the settings (read
once) point PynamoDB at moto's in-process mock and not at a local moto server.
"""
import os

os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
os.environ["AWS_ACCESS_KEY_ID"] = "testing"
os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
os.environ.pop("AWS_SESSION_TOKEN", None)
os.environ.pop("AWS_ENDPOINT_URL", None)

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from moto import mock_aws  # noqa: E402
from pynamodb.connection.base import Connection  # noqa: E402

EXAMPLE_NOTICE_2027 = Path(__file__).parents[2] / "unit" / "calendar" / "example_notice_2027.json"


class ScanIssued(AssertionError):
    pass


@pytest.fixture
def no_scan(monkeypatch):
    """Fail the test on any Scan: every access pattern of the calendar is a Query or a GetItem."""

    def refuse(*args, **kwargs):
        raise ScanIssued(f"Scan issued: {args[1:2]}")

    monkeypatch.setattr(Connection, "scan", refuse)


@pytest.fixture
def tables(aws):
    """Every table of the platform (the root conftest's `aws`): a notice load also writes audit and outbox."""
    from functions.calendar.models import CalendarNotice, SlaClock

    yield (CalendarNotice, SlaClock)


@pytest.fixture
def example_notice_text() -> str:
    return EXAMPLE_NOTICE_2027.read_text(encoding="utf-8")

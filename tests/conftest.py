"""Fixtures shared by every tier.

The environment is fixed before anything under `functions` is imported: settings are read once,
and PynamoDB models take their table names and endpoint at import time.
"""
from __future__ import annotations

import os

os.environ.update(
    {
        "STAGE": "test",
        "IDENTITY_MODE": "dev",
        "DIVISION_CODE": "370200",
        "TABLE_PREFIX": "qd-test",
        "BUCKET_NAME": "qd-test-files",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
)
os.environ.pop("AWS_SESSION_TOKEN", None)
os.environ.pop("AWS_ENDPOINT_URL", None)

from collections import Counter  # noqa: E402
from datetime import datetime, timezone  # noqa: E402

import pytest  # noqa: E402
from pynamodb.connection.base import Connection  # noqa: E402


class ScanIssued(AssertionError):
    pass


@pytest.fixture(autouse=True, scope="session")
def platforms_installed():
    """What start-up hands the floors below (clock handlers, notice texts), as app.py does, for tests
    that call a sweeper or a renderer without importing the app."""
    from functions import platforms

    platforms.install()


@pytest.fixture(autouse=True)
def fresh_process_caches():
    """Every process cache (keys, rules, calendar, clock offset...) empty before and after each test."""
    from functions.shared.cache import clear_all  # lazily: the environment above comes first

    clear_all()
    yield
    clear_all()


@pytest.fixture(autouse=True)
def no_scan(monkeypatch):
    """No Scan, anywhere: every access pattern is a GetItem, a Query or a write."""

    def refuse(*args, **kwargs):
        raise ScanIssued("a Scan was issued")

    monkeypatch.setattr(Connection, "scan", refuse)


class DynamoCalls:
    """Counts DynamoDB API calls made through PynamoDB, by operation."""

    def __init__(self) -> None:
        self.by_operation: Counter[str] = Counter()

    @property
    def total(self) -> int:
        return sum(self.by_operation.values())

    def reset(self) -> None:
        self.by_operation.clear()


@pytest.fixture
def dynamo_calls(monkeypatch) -> DynamoCalls:
    calls = DynamoCalls()
    original = Connection._make_api_call

    def counting(self, operation_name, operation_kwargs):
        if operation_name != "DescribeTable":  # PynamoDB's once-per-process metadata read
            calls.by_operation[operation_name] += 1
        return original(self, operation_name, operation_kwargs)

    monkeypatch.setattr(Connection, "_make_api_call", counting)
    return calls


NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)  # a Friday, 10:00 in Qingdao


@pytest.fixture
def clock():
    """A fixed platform clock, installed for the test and removed after it."""
    from functions.shared.clock import FixedClock, set_clock

    fixed = FixedClock(NOW)
    set_clock(fixed)
    yield fixed
    set_clock(None)


@pytest.fixture
def aws():
    """moto in-process, with every table of the platform created from the models."""
    from moto import mock_aws

    with mock_aws():
        from functions.tables import all_models

        for model in all_models():
            model.create_table(wait=True)
        # Process caches are empty here (`fresh_process_caches`), so nothing comes from another test's tables.
        from functions.shared import keyring

        keyring.warm()  # the server secret is read once per process: not part of any route's budget
        yield


@pytest.fixture
def seeded(aws, clock):
    from functions.platform.seed import load_demo_data

    # The policy library (~170 items, a third of a second) only where a test reads it: tests/api/policy
    # and the index job's story load it themselves.
    return load_demo_data(skip=("policy",))


@pytest.fixture
def app(aws):
    from app import app as chalice_app

    return chalice_app


@pytest.fixture
def client(app):
    from chalice.test import Client

    with Client(app) as test_client:
        yield test_client


@pytest.fixture
def token(seeded, clock):
    """token("ent-zhengrixin") → a bearer token of that demo person."""
    from functions.identity.service import dev_login

    def issue(user_id: str) -> str:
        return dev_login(user_id, clock.now()).access_token

    return issue


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def scrypt_calls(monkeypatch):
    """The scrypt evaluations made during a test, as (n, r, p, dklen): counted, not timed."""
    import hashlib

    calls = []
    original = hashlib.scrypt

    def counting(password, *, salt, n, r, p, maxmem=0, dklen=64):
        calls.append((n, r, p, dklen))
        return original(password, salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=dklen)

    monkeypatch.setattr(hashlib, "scrypt", counting)
    return calls

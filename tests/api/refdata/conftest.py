"""In-process moto for the refdata model tests.

The environment is set before anything under `functions` is imported, so the settings (read
once) point PynamoDB at moto's in-process mock and not at a local moto server.
"""
import os

os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
os.environ["AWS_ACCESS_KEY_ID"] = "testing"
os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
os.environ.pop("AWS_SESSION_TOKEN", None)
os.environ.pop("AWS_ENDPOINT_URL", None)

import pytest  # noqa: E402
from moto import mock_aws  # noqa: E402


@pytest.fixture
def orgs_table(monkeypatch):
    from functions.refdata.models import Organisation

    # If another test imported the settings first with an endpoint, still talk to the mock.
    monkeypatch.setattr(Organisation.Meta, "host", None)
    monkeypatch.setattr(Organisation.Meta, "region", "us-east-1")
    monkeypatch.setattr(Organisation, "_connection", None)
    with mock_aws():
        Organisation.create_table(wait=True)
        yield Organisation
    Organisation._connection = None

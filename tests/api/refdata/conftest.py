"""The refdata model tests use the root conftest's moto (`aws`: every table created from the models)."""
import pytest


@pytest.fixture
def orgs_table(aws):
    from functions.refdata.models import Organisation

    yield Organisation

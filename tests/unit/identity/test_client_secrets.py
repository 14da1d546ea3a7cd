"""Client secrets: one scrypt evaluation per check whatever is stored; the network failures count against."""
from __future__ import annotations


import pytest

from functions.identity.service import DUMMY_SECRET_HASH, caller_network, check_secret, hash_secret


def test_a_stored_hash_checks_its_secret():
    stored = hash_secret("s3cret")
    assert check_secret("s3cret", stored) and not check_secret("s3cret!", stored)


@pytest.mark.parametrize("stored", ["", "plain-text", "bcrypt$1$2$3$4$5", "scrypt$16384$8$1$!!$!!", DUMMY_SECRET_HASH])
def test_malformed_or_dummy_hashes_match_nothing_and_cost_one_scrypt(scrypt_calls, stored):
    reference = hash_secret("x")
    scrypt_calls.clear()
    check_secret("x", reference)
    expected = list(scrypt_calls)
    scrypt_calls.clear()
    assert check_secret("x", stored) is False
    assert scrypt_calls == expected


@pytest.mark.parametrize(
    "address, network",
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("unknown", "unparseable"),
        ("not an address\n", "unparseable"),
    ],
)
def test_caller_network(address, network):
    assert caller_network(address) == network

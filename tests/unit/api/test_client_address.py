"""Whose address a per-client limit counts: a caller reaching API Gateway directly cannot claim another's."""
from __future__ import annotations

from types import SimpleNamespace

from functions.api.routes import client_address

SECRET = "s" * 40
EDGE = "52.82.0.1"  # a CloudFront edge, as API Gateway sees it


def request(headers: dict[str, str], source: str = EDGE) -> SimpleNamespace:
    return SimpleNamespace(headers=headers, context={"identity": {"sourceIp": source}})


def test_through_cloudfront_the_entry_cloudfront_appended_is_the_client():
    # The viewer sent its own X-Forwarded-For (anything); CloudFront appended the viewer, API Gateway the edge.
    through = request({"x-forwarded-for": f"10.9.9.9, 198.51.100.20, {EDGE}", "x-origin-verify": SECRET})
    assert client_address(through, origin_secret=SECRET) == "198.51.100.20"


def test_a_direct_caller_cannot_claim_someone_elses_address():
    forged = request({"x-forwarded-for": "198.51.100.20, 203.0.113.7"}, source="203.0.113.7")
    assert client_address(forged, origin_secret=SECRET) == "203.0.113.7"
    for guess in ("guess", "秘密" * 20):
        guessed = request({"x-forwarded-for": "198.51.100.20", "x-origin-verify": guess}, source="203.0.113.7")
        assert client_address(guessed, origin_secret=SECRET) == "203.0.113.7"


def test_without_a_secret_local_stages_take_the_header_or_the_connection():
    assert client_address(request({"x-forwarded-for": "198.51.100.20"}, source="127.0.0.1"), origin_secret="") == "198.51.100.20"
    assert client_address(request({}, source="127.0.0.1"), origin_secret="") == "127.0.0.1"

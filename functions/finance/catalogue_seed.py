"""The 青融通 catalogue (catalogue_data.py: 57 institutions, 546 branches, 300+ products), loaded on local and
dev stages, and by every API test's demo data."""
from __future__ import annotations

from functions.shared.clock import get_clock


def seed() -> dict[str, int]:
    from functions.finance.catalogue import seed_catalogue
    from functions.finance.catalogue_data import institutions, products

    return seed_catalogue(institutions(), products(), get_clock().now())

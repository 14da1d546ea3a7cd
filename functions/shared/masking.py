"""Masking personal data for people who may know that it exists but not what it is."""
from __future__ import annotations


def mask_phone(phone: str | None) -> str | None:
    """138****5678: the first three and last four digits, enough to recognise one's own number."""
    if not phone:
        return phone
    return phone[:3] + "*" * max(len(phone) - 7, 1) + phone[-4:] if len(phone) >= 8 else "*" * len(phone)

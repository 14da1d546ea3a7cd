"""Stage settings come from the environment that .chalice/config.json sets."""
from __future__ import annotations

from functions.settings import get_settings


def test_auto_close_days_are_configurable(monkeypatch):
    monkeypatch.setenv("APPEAL_AUTO_CLOSE_DAYS", "10")
    get_settings.cache_clear()
    try:
        assert get_settings().appeal_auto_close_days == 10
    finally:
        monkeypatch.delenv("APPEAL_AUTO_CLOSE_DAYS")
        get_settings.cache_clear()
    assert get_settings().appeal_auto_close_days == 7


def test_table_names_carry_the_stage_prefix():
    assert get_settings().table_name("appeals") == "qd-test-appeals"

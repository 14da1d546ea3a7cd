"""Terms: codes with their words, declared once."""
import pytest

from functions.shared.vocabulary import Term, Terms


def test_terms_keep_order_and_give_words_for_codes():
    kinds = Terms(Term("credit", "信用贷", "Credit loan"), Term("mortgage", "抵押贷", "Mortgage loan"))
    assert kinds.codes == ("credit", "mortgage")
    assert kinds.zh("mortgage") == "抵押贷" and kinds.en("credit") == "Credit loan"
    assert kinds.zh("unknown") == "unknown"  # an old code still shows as itself
    assert "credit" in kinds and "x" not in kinds


def test_a_code_listed_twice_is_refused():
    with pytest.raises(ValueError):
        Terms(Term("a", "甲", "A"), Term("a", "乙", "B"))


def test_every_appeal_enumeration_has_words_in_both_languages():
    from functions.appeals import vocabulary

    for terms in (vocabulary.STATUSES, vocabulary.CATEGORIES, vocabulary.CHANNELS, vocabulary.CONTACT_METHODS):
        for term in terms:
            assert term.zh and term.en, term
    for clock in (*vocabulary.LEAD_CLOCKS, vocabulary.CO_REPLY):
        assert clock.zh and clock.en and clock.rule.split(":")[0] in ("hours", "working_days", "days")

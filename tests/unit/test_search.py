"""Name matching rules of the search (R-14.1): how alike a name is to a fuzzy search,
and where it ranks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from customer_master.domain.search import (
    FUZZY_THRESHOLD,
    CustomerQuery,
    fuzzy_key,
    is_fuzzy,
    name_matches,
    name_similarity,
    query_errors,
)


@pytest.mark.parametrize(
    ("name", "search", "found"),
    [
        ("Kedai Makmur Sdn Bhd", "Kedai Makmer", True),  # a wrong letter
        ("Acme Trading", "Acme Trdaing", True),  # two letters swapped
        ("Kedai Makmur Sdn Bhd", "kedai makmr", True),  # a letter missing
        ("Kedai Makmur Sdn Bhd", "Kedai Makkmur", True),  # a letter too many
        ("Société Générale", "SOCIETE GENRALE", True),  # case and accents ignored
        ("Kedai Makmur Sdn Bhd", "makmer sdn", True),  # any run of words, not only the first
        ("Acme Trading", "Acne", False),  # one wrong letter in four is too many
        ("Acme Trading", "Globex", False),
    ],
)
def test_a_close_name_scores_at_least_the_threshold(name: str, search: str, found: bool) -> None:
    assert (name_similarity(name, search) >= FUZZY_THRESHOLD) is found


def test_prefix_matches_rank_before_close_ones_and_better_before_worse() -> None:
    exact, typo, two_typos = (
        fuzzy_key("Acme Trading", "acme tr"),
        fuzzy_key("Acme Trading", "acme trdaing"),
        fuzzy_key("Acme Tradings Co", "acme trdaing"),
    )
    assert exact == "0"
    assert typo is not None
    assert two_typos is not None
    assert exact < typo < two_typos
    assert fuzzy_key("Acme Trading", "globex") is None


@given(st.text(max_size=30), st.text(min_size=1, max_size=12))
def test_a_fuzzy_search_finds_everything_a_prefix_search_finds(name: str, search: str) -> None:
    if name_matches(name, search):
        assert fuzzy_key(name, search) == "0"


def test_only_prefix_and_fuzzy_are_name_matches() -> None:
    assert query_errors(CustomerQuery(name_match="fuzzy")) == []
    (error,) = query_errors(CustomerQuery(name_match="Fuzzy"))  # type: ignore[arg-type]
    assert (error.path, error.code) == ("name_match", "not_allowed")
    assert "prefix, fuzzy" in error.message


def test_a_fuzzy_search_without_a_name_is_a_plain_list() -> None:
    assert not is_fuzzy(CustomerQuery(name_match="fuzzy"))
    assert not is_fuzzy(CustomerQuery(name=" ", name_match="fuzzy"))
    assert is_fuzzy(CustomerQuery(name="acme", name_match="fuzzy"))

"""Warnings: remarks that do not stop a change but that a finance user should see
(SPEC R-3.4) — a very large credit limit, a name much like an existing active customer's,
a tax-exemption certificate that has already expired.

>>> from customer_master.domain.config import TenantSettings
>>> from customer_master.domain.customer import Customer
>>> c = Customer(id="c2", tenant="acme", code="CUS-0002", name="Acme Trading Sdn. Bhd.",
...              kind="company", legal_entity="MY01")
>>> [w.code for w in customer_warnings(c, TenantSettings(), today=date(2026, 1, 1),
...     similar_candidates=[("CUS-0001", "ACME Trading Sdn Bhd")])]
['similar_name']
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from operator import itemgetter

from customer_master.domain.config import TenantSettings
from customer_master.domain.customer import Customer
from customer_master.errors import FieldWarning


def customer_warnings(
    customer: Customer,
    settings: TenantSettings,
    *,
    today: date,
    similar_candidates: Iterable[tuple[str, str]] = (),
) -> list[FieldWarning]:
    """Every warning for ``customer``; ``similar_candidates`` are ``(code, name)`` pairs
    of other active customers to compare names with."""
    warnings: list[FieldWarning] = []
    limits = [("credit_limit", customer.credit_limit)] + [
        (f"overrides[{i}].credit_limit", o.credit_limit) for i, o in enumerate(customer.overrides)
    ]
    for path, limit in limits:
        if limit is not None and limit > settings.large_credit_limit:
            message = f"credit limit {limit:,} is above {settings.large_credit_limit:,}; please double-check"
            warnings.append(FieldWarning(path, "large_credit_limit", message))
    match = most_similar_name(customer.name, similar_candidates, settings.similar_name_threshold)
    if match is not None:
        code, name, score = match
        message = f"'{customer.name}' is much like existing customer {code} '{name}' ({score:.0f}% alike)"
        warnings.append(FieldWarning("name", "similar_name", message))
    for index, profile in enumerate(customer.tax_profiles):
        if profile.is_expired_on(today):
            certificate = f"exemption certificate {profile.certificate_number or ''}".rstrip()
            message = f"{certificate} expired on {profile.valid_to}"
            warnings.append(FieldWarning(f"tax_profiles[{index}].valid_to", "certificate_expired", message))
    return warnings


def most_similar_name(
    name: str, candidates: Iterable[tuple[str, str]], threshold: float
) -> tuple[str, str, float] | None:
    """The candidate ``(code, name, score)`` whose name is most like ``name``, if any
    scores at least ``threshold`` (0–100, case and punctuation ignored). Of equally
    alike candidates the one with the lowest code is named, whatever order storage
    gave them in (R-3.4: the same file names the same customer on every run).

    >>> most_similar_name("Acme Trading", [("CUS-0009", "ACME Trading"), ("CUS-0002", "Acme trading")], 90)
    ('CUS-0002', 'Acme trading', 100.0)
    """
    from rapidfuzz import fuzz, process

    # Scored in one call into rapidfuzz (C), not one Python call per candidate: a bulk
    # import scores hundreds of candidates a row, mostly the same ones row after row. So
    # each name's words are folded and sorted once (``_sorted_words``, kept), and the
    # plain ratio of the sorted forms is exactly ``token_sort_ratio`` of the names.
    pairs = candidates if isinstance(candidates, list) else list(candidates)
    others = list(map(itemgetter(1), pairs))
    found = process.extract(
        _sorted_words(name),
        _all_sorted_words(others),
        scorer=fuzz.ratio,
        processor=None,
        score_cutoff=threshold,
        limit=None,
    )
    if not found:
        return None
    _, score, index = min(found, key=lambda match: (-match[1], pairs[match[2]][0]))
    code, other = pairs[index]
    return code, other, score


# Names already brought to their sorted words; emptied when it grows past its bound.
_SORTED_WORDS: dict[str, str] = {}
_SORTED_WORDS_KEPT = 100_000


def _all_sorted_words(names: list[str]) -> list[str]:
    """``_sorted_words`` of each name, looked up in C where the name was seen before."""
    found: list[str | None] = list(map(_SORTED_WORDS.get, names))
    if None in found:
        found = [_sorted_words(n) if f is None else f for n, f in zip(names, found, strict=True)]
    return found  # type: ignore[return-value]


def _sorted_words(name: str) -> str:
    """The name as ``token_sort_ratio`` compares it: processed (lower case, punctuation
    as blanks, trimmed), its words sorted and joined by one blank."""
    words = _SORTED_WORDS.get(name)
    if words is None:
        if len(_SORTED_WORDS) >= _SORTED_WORDS_KEPT:
            _SORTED_WORDS.clear()
        from rapidfuzz import utils

        words = _SORTED_WORDS[name] = " ".join(sorted(utils.default_process(name).split()))
    return words

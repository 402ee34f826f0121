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

from rapidfuzz import fuzz, process, utils

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
    scores at least ``threshold`` (0–100, case and punctuation ignored)."""
    # Scored in one call into rapidfuzz (C), not one Python call per candidate: a bulk
    # import scores hundreds of candidates a row. The first of equal scores wins.
    pairs = list(candidates)
    best = process.extractOne(
        name,
        [other for _, other in pairs],
        scorer=fuzz.token_sort_ratio,
        processor=utils.default_process,
        score_cutoff=threshold,
    )
    if best is None:
        return None
    other, score, index = best
    return pairs[index][0], other, score

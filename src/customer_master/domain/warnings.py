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

from collections.abc import Iterable, Sequence
from datetime import date
from typing import overload

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
        warnings.append(FieldWarning("name", "similar_name", message, customer=code))
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
    scores at least ``threshold`` (0–100, case and punctuation ignored); of equally alike
    ones, the one with the first code, so the answer never depends on the candidates'
    order.

    >>> most_similar_name("Acme Trading", [("C9", "ACME Trading"), ("C2", "acme trading.")], 90)
    ('C2', 'acme trading.', 100.0)
    """
    from rapidfuzz import fuzz, process  # loaded on first use: importing the core stays quick

    # Scored in one call into rapidfuzz (C), not one Python call per candidate: the
    # plain ratio of the names' sorted words is exactly ``token_sort_ratio``, and each
    # candidate's sorted words are made once (``LookAlikes``), not once per comparison.
    alike = candidates if isinstance(candidates, LookAlikes) else LookAlikes.of(candidates)
    found = process.extract(
        _sorted_words(name),
        alike.words,
        scorer=fuzz.ratio,
        processor=None,
        score_cutoff=threshold,
        limit=None,
    )
    if not found:
        return None
    _, score, index = min(found, key=lambda hit: (-hit[1], alike.codes[hit[2]]))
    return alike.codes[index], alike.names[index], score


class LookAlikes(Sequence[tuple[str, str]]):
    """Candidates of the similar-name check, ``(code, name)`` pairs, each name kept with
    its words sorted as the score compares them (``words``): a bulk import meets the same
    candidates row after row, and joins them (``+``) without sorting their words again.

    >>> pairs = LookAlikes.of([("C1", "Trading Acme")]) + LookAlikes.of([("C2", "Zeta")])
    >>> list(pairs), pairs.words
    ([('C1', 'Trading Acme'), ('C2', 'Zeta')], ['acme trading', 'zeta'])
    """

    __slots__ = ("codes", "names", "words")

    def __init__(self, codes: list[str], names: list[str], words: list[str]) -> None:
        self.codes = codes
        self.names = names
        self.words = words

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> LookAlikes:
        codes: list[str] = []
        names: list[str] = []
        for code, name in pairs:
            codes.append(code)
            names.append(name)
        return cls(codes, names, _all_sorted_words(names))

    def __len__(self) -> int:
        return len(self.codes)

    @overload
    def __getitem__(self, index: int) -> tuple[str, str]: ...

    @overload
    def __getitem__(self, index: slice) -> LookAlikes: ...

    def __getitem__(self, index: int | slice) -> tuple[str, str] | LookAlikes:
        if isinstance(index, slice):
            return LookAlikes(self.codes[index], self.names[index], self.words[index])
        return self.codes[index], self.names[index]

    def append(self, pair: tuple[str, str]) -> None:
        """Add a candidate at the end."""
        self.codes.append(pair[0])
        self.names.append(pair[1])
        self.words.append(_sorted_words(pair[1]))

    def without(self, code: str) -> LookAlikes:
        """These candidates but the customer with ``code`` (a customer is not its own
        look-alike)."""
        if code not in self.codes:
            return self
        kept = [i for i, held in enumerate(self.codes) if held != code]
        return LookAlikes(
            [self.codes[i] for i in kept], [self.names[i] for i in kept], [self.words[i] for i in kept]
        )

    def __add__(self, other: LookAlikes) -> LookAlikes:
        return LookAlikes(self.codes + other.codes, self.names + other.names, self.words + other.words)


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

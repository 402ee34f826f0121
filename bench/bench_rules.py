"""How fast are the pure rules? Credit decisions and price resolutions per second.

In memory, no I/O: the figures are the cost of the rule itself, the floor under any
service call. The price list has 1,000 items with 3 quantity breaks each; the customer
has 50 pricing tiers. Goal: at least 50,000 price resolutions per second.

    .venv/bin/python bench/bench_rules.py [--seconds 1.0]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from customer_master.domain.credit import (
    CreditFacts,
    CreditSettings,
    Exposure,
    credit_decision,
)
from customer_master.domain.pricing import (
    PriceList,
    PriceListLine,
    PricingTier,
    resolve_price,
)

ITEMS = [f"ITEM-{n:04d}" for n in range(1000)]
BREAKS = (Decimal(0), Decimal(10), Decimal(100))
ON = date(2026, 3, 1)


def price_list(code: str, factor: Decimal, items: list[str]) -> PriceList:
    """A list with 3 quantity breaks (0, 10, 100) per item, each a little cheaper."""
    lines = [
        PriceListLine(
            item_code=item,
            unit_price=(Decimal(10 + n % 90) * factor - step).quantize(Decimal("0.01")),
            min_quantity=step * 10,
            valid_from=date(2026, 1, 1),
        )
        for n, item in enumerate(items)
        for step in (Decimal(0), Decimal(1), Decimal(2))
    ]
    return PriceList(code=code, name=code, currency="USD", lines=lines)


def tiers(rng: random.Random) -> list[PricingTier]:
    return [
        PricingTier(
            id=f"T{n}",
            item_code=item,
            unit_price=Decimal("5.00"),
            currency="USD",
            min_quantity=Decimal(50),
            max_quantity=Decimal(500),
            valid_to=date(2026, 12, 31),
        )
        for n, item in enumerate(rng.sample(ITEMS, 50))
    ]


def rate(work: Callable[[int], object], cases: int, seconds: float) -> float:
    """Calls of ``work`` per second over at least ``seconds``, cycling through ``cases``."""
    done, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        for index in range(cases):
            work(index)
        done += cases
    return done / elapsed


def bench_prices(seconds: float) -> dict[str, float]:
    rng = random.Random(7)
    # Half the items are on the customer's list; the other half fall through to the standard.
    default_list = price_list("RETAIL", Decimal("0.9"), ITEMS[:500])
    standard_list = price_list("STD", Decimal(1), ITEMS)
    customer_tiers = tiers(rng)
    quantities = [Decimal(rng.choice((1, 5, 12, 60, 150, 700))) for _ in range(5000)]
    items = [rng.choice(ITEMS) for _ in range(5000)]
    default_list.best_line(ITEMS[0], Decimal(1), ON)  # builds the index once
    standard_list.best_line(ITEMS[0], Decimal(1), ON)

    def resolve(index: int, *, use_tiers: bool = True) -> object:
        return resolve_price(
            item_code=items[index],
            quantity=quantities[index],
            on=ON,
            tiers=customer_tiers if use_tiers else (),
            use_last_price=False,
            last_price=None,
            default_list=default_list,
            standard_list=standard_list,
        )

    started = time.perf_counter()
    price_list("COLD", Decimal(1), ITEMS).best_line(ITEMS[0], Decimal(1), ON)
    index_ms = (time.perf_counter() - started) * 1000
    return {
        "price resolutions/s (50 tiers, mixed sources)": rate(resolve, 5000, seconds),
        "price resolutions/s (no tiers)": rate(lambda index: resolve(index, use_tiers=False), 5000, seconds),
        "build 3,000-line list + index, ms": index_ms,
    }


def bench_credit(seconds: float) -> dict[str, float]:
    rng = random.Random(11)
    settings = CreditSettings(policy="block", grace_days=5, group_policies={"retail": "warn"})
    cases = [
        CreditFacts(
            is_active=True,
            is_enabled_for_entity=True,
            on_credit_hold=rng.random() < 0.05,
            limit=Decimal(rng.choice((0, 20000, 50000, 100000))),
            currency="USD",
            exposure=Exposure(
                receivables=Decimal(rng.randrange(0, 60000)),
                open_orders=Decimal(rng.randrange(0, 20000)),
                document=Decimal(rng.randrange(1, 30000)),
            ),
            days_past_due=rng.choice((0, 0, 0, 3, 31)),
            customer_group=rng.choice((None, "retail", "trade")),
        )
        for _ in range(5000)
    ]
    return {"credit decisions/s": rate(lambda index: credit_decision(cases[index], settings), 5000, seconds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time per measurement")
    seconds = parser.parse_args().seconds
    for name, value in {**bench_credit(seconds), **bench_prices(seconds)}.items():
        print(f"{name:>48}: {value:>12,.0f}")


if __name__ == "__main__":
    main()

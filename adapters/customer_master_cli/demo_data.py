"""The demo tenant's data: Acme's three legal entities, its classification lists,
dimension types, custom fields, payment terms of every kind the SPEC names, price lists
with quantity breaks, and the places, names, phones and banks its customers are drawn
from (``demo.py`` does the drawing)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from customer_master.domain.serialize import Data

# ---------------------------------------------------------------------------
# The tenant's configuration
# ---------------------------------------------------------------------------

ENTITIES = (
    {"code": "MY01", "name": "Acme Malaysia Sdn Bhd", "currency": "MYR",
     "letterhead": ["Level 12, Menara Acme, Jalan Ampang, 50450 Kuala Lumpur, Malaysia",
                    "Reg. 201901012345 (1234567-X) · SST W10-1808-31000001",
                    "ar@acme.com.my · +60 3 2181 0000 · Maybank 5140 1234 5678"]},
    {"code": "SG01", "name": "Acme Singapore Pte Ltd", "currency": "SGD",
     "letterhead": ["8 Marina View, #30-01, Singapore 018960", "UEN 201912345K · GST M90371234X",
                    "ar@acme.com.sg · +65 6221 0000 · DBS 072-123456-7"]},
    {"code": "US01", "name": "Acme Inc", "currency": "USD",
     "letterhead": ["350 Mission Street, Suite 1200, San Francisco, CA 94105", "EIN 94-1234567",
                    "ar@acme.com · +1 415 555 0100"]},
)  # fmt: skip

CLASSIFICATIONS = {
    "customer_group": ["Key Accounts", "Distributors", "Retail Chains", "SMB", "Walk-in"],
    "segment": ["Industrial", "Hospitality", "Public Sector", "Healthcare", "Education", "Consumer"],
    "region": ["Klang Valley", "Penang", "Johor", "Singapore", "US West", "US East", "US Central"],
    "industry": ["Manufacturing", "Food & Beverage", "Construction", "Retail", "Logistics", "IT Services"],
    "tier": ["Gold", "Silver", "Bronze"],
}

DIMENSIONS = {
    "department": ["SALES-MY", "SALES-SG", "SALES-US", "KEY-ACCOUNTS"],
    "location": ["KUL", "PEN", "JHB", "SIN", "SFO", "NYC", "AUS"],
}

CUSTOM_FIELDS = (
    {"name": "loyalty_id", "type": "text"},
    {"name": "onboarding_channel", "type": "choice", "choices": ["web", "field_sales", "referral", "pos"]},
    {"name": "employees", "type": "integer"},
)


def _line(kind: str, value: str | None, due: list[dict[str, Any]], discount: Data | None = None) -> Data:
    return {"portion": {"kind": kind, "value": value}, "due": due, "discount": discount}


PAYMENT_TERMS: tuple[Data, ...] = (
    {"code": "COD", "name": "Cash on delivery", "lines": [_line("remainder", None, [])]},
    {"code": "NET30", "name": "Net 30 days", "lines": [_line("remainder", None, [{"add_days": 30}])]},
    {"code": "NET60", "name": "Net 60 days", "lines": [_line("remainder", None, [{"add_days": 60}])]},
    {
        "code": "2-10-NET30",
        "name": "2% 10 days, net 30",
        "lines": [_line("remainder", None, [{"add_days": 30}], {"percent": "2", "days": 10})],
    },
    {
        "code": "EOM30",
        "name": "30 days after end of month",
        "lines": [_line("remainder", None, [{"end_of_month": True}, {"add_days": 30}])],
    },
    {
        "code": "15NM",
        "name": "15th of the next month",
        "lines": [_line("remainder", None, [{"add_months": 1}, {"day_of_month": 15}])],
    },
    {
        "code": "30DEP-60",
        "name": "30% deposit, balance in 60 days",
        "lines": [_line("percent", "30", []), _line("remainder", None, [{"add_days": 60}])],
    },
    {
        "code": "3X30",
        "name": "Three installments, 30/60/90 days",
        "lines": [
            _line("percent", "33.333333", [{"add_days": 30}]),
            _line("percent", "33.333333", [{"add_days": 60}]),
            _line("remainder", None, [{"add_days": 90}]),
        ],
    },
)

ITEMS = {
    "WIDGET-10": Decimal("12.50"),
    "WIDGET-20": Decimal("19.90"),
    "BOLT-M8": Decimal("0.45"),
    "NUT-M8": Decimal("0.20"),
    "CABLE-CAT6": Decimal("35.00"),
    "ROUTER-AX": Decimal("489.00"),
    "LAPTOP-14": Decimal("3899.00"),
    "MONITOR-27": Decimal("1199.00"),
    "CHAIR-ERGO": Decimal("899.00"),
    "DESK-160": Decimal("1250.00"),
    "PAPER-A4": Decimal("14.90"),
    "TONER-BK": Decimal("289.00"),
}

FX = {"MYR": Decimal("1"), "SGD": Decimal("0.29"), "USD": Decimal("0.22")}


def _price_list(code: str, name: str, currency: str, factor: Decimal) -> Data:
    rate = FX[currency] * factor
    lines: list[Data] = []
    for item, base in ITEMS.items():
        unit = (base * rate).quantize(Decimal("0.01"))
        lines.append({"item_code": item, "unit_price": str(unit)})
        if base < 50:  # quantity breaks on the small parts
            lines.append(
                {
                    "item_code": item,
                    "unit_price": str((unit * Decimal("0.9")).quantize(Decimal("0.01"))),
                    "min_quantity": "100",
                }
            )
            lines.append(
                {
                    "item_code": item,
                    "unit_price": str((unit * Decimal("0.8")).quantize(Decimal("0.01"))),
                    "min_quantity": "1000",
                }
            )
    return {"code": code, "name": name, "currency": currency, "lines": lines}


PRICE_LISTS = (
    _price_list("STD-MYR", "Standard (MYR)", "MYR", Decimal("1")),
    _price_list("WHOLESALE-MYR", "Wholesale (MYR)", "MYR", Decimal("0.85")),
    _price_list("STD-SGD", "Standard (SGD)", "SGD", Decimal("1")),
    _price_list("STD-USD", "Standard (USD)", "USD", Decimal("1")),
)

# ---------------------------------------------------------------------------
# Places and names
# ---------------------------------------------------------------------------

CITIES = {
    "MY01": (
        ("Kuala Lumpur", "Wilayah Persekutuan", "50450", "Klang Valley", "KUL"),
        ("Petaling Jaya", "Selangor", "46000", "Klang Valley", "KUL"),
        ("Shah Alam", "Selangor", "40000", "Klang Valley", "KUL"),
        ("Klang", "Selangor", "41000", "Klang Valley", "KUL"),
        ("George Town", "Pulau Pinang", "10200", "Penang", "PEN"),
        ("Johor Bahru", "Johor", "80000", "Johor", "JHB"),
    ),
    "SG01": (
        ("Singapore", None, "018956", "Singapore", "SIN"),
        ("Singapore", None, "238859", "Singapore", "SIN"),
    ),
    "US01": (
        ("San Francisco", "CA", "94105", "US West", "SFO"),
        ("Seattle", "WA", "98101", "US West", "SFO"),
        ("New York", "NY", "10001", "US East", "NYC"),
        ("Boston", "MA", "02110", "US East", "NYC"),
        ("Austin", "TX", "78701", "US Central", "AUS"),
        ("Chicago", "IL", "60601", "US Central", "AUS"),
    ),
}

STREETS = {
    "MY01": (
        "Jalan Ampang",
        "Jalan Sultan Ismail",
        "Jalan Tun Razak",
        "Persiaran Kewajipan",
        "Jalan Pelabuhan",
    ),
    "SG01": (
        "Orchard Road",
        "Raffles Place",
        "Jurong West Street 41",
        "Tampines Avenue 5",
        "Harbourfront Walk",
    ),
    "US01": (
        "Market Street",
        "Pine Street",
        "Broadway",
        "Congress Avenue",
        "Michigan Avenue",
        "Atlantic Avenue",
    ),
}

COMPANY_NAMES = {
    "MY01": (
        ("Kedai Runcit", "Syarikat", "Perniagaan", "Pembinaan", "Logistik", "Kilang"),
        ("Ali", "Ahmad", "Tan", "Lim", "Wong", "Siti", "Rahman", "Kumar", "Lee", "Chong", "Ismail", "Ng"),
        ("Sdn Bhd", "Enterprise", "Trading Sdn Bhd", "Holdings Sdn Bhd"),
        "com.my",
    ),
    "SG01": (
        ("Lion City", "Orchard", "Marina", "Harbourfront", "Jurong", "Tampines", "Bukit Timah"),
        ("Supplies", "Engineering", "Foods", "Electronics", "Logistics", "Hospitality"),
        ("Pte Ltd",),
        "com.sg",
    ),
    "US01": (
        ("Pacific", "Golden Gate", "Hudson", "Lakeside", "Summit", "Redwood", "Liberty", "Prairie"),
        ("Industrial", "Foods", "Hardware", "Medical", "Office", "Builders", "Networks"),
        ("Inc", "LLC", "Corp"),
        "com",
    ),
}

FIRST_NAMES = (
    "Aisyah",
    "Wei Ling",
    "Raj",
    "Nurul",
    "Jason",
    "Mei",
    "Farid",
    "Priya",
    "Daniel",
    "Hui Min",
    "Michael",
    "Sarah",
    "Emily",
    "Carlos",
    "Aaron",
    "Grace",
)
LAST_NAMES = (
    "Abdullah",
    "Tan",
    "Kumar",
    "Lim",
    "Wong",
    "Ng",
    "Rahman",
    "Lee",
    "Smith",
    "Garcia",
    "Johnson",
    "Chen",
    "Ong",
    "Pillai",
)

PHONE = {"MY01": "+60 3-{a} {b}", "SG01": "+65 6{a3} {b}", "US01": "+1 212 {a3} {b}"}
BANKS = {
    "MY01": ("Maybank", "MBBEMYKL"),
    "SG01": ("DBS Bank", "DBSSSGSG"),
    "US01": ("JPMorgan Chase", "CHASUS33"),
}

"""``import customer_master`` stays light (issue 18 item 4): the validators' libraries —
email-validator, phonenumbers, python-stdnum, Babel, pycountry, rapidfuzz — load when a
value first needs them, not with the package. ``bench/bench_import_time.py`` prints the
figures; this test checks what is imported, in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("email_validator", "phonenumbers", "stdnum", "babel", "pycountry", "rapidfuzz", "charset_normalizer")


def _modules_after(code: str) -> set[str]:
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    return {name.split(".")[0] for name in json.loads(out)}


def test_importing_the_package_loads_none_of_the_validators_libraries() -> None:
    loaded = _modules_after("import customer_master\nfrom customer_master import CustomerMaster")
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_the_libraries_load_when_a_value_first_needs_them() -> None:
    loaded = _modules_after(
        "from customer_master.domain.identifiers import normalise_phone, normalise_tax_id\n"
        "normalise_phone('+49 8155 9811'); normalise_tax_id('eu.vat', 'NL004495445B01')"
    )
    assert {"phonenumbers", "stdnum"} <= loaded
    assert "email_validator" not in loaded

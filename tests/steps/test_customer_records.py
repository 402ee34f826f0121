"""Steps for features/customer_records.feature: the customer record (SPEC R-1).

Every step of this feature is shared vocabulary (``tests/steps/conftest.py``)."""

import pytest
from pytest_bdd import scenarios

# Steps ask for fixtures by name at run time; naming the story here puts the storage
# parametrisation (memory, SQL…) into every scenario of this module.
pytestmark = pytest.mark.usefixtures("story")

scenarios("customer_records.feature")

"""Steps for features/deactivate_reactivate.feature: soft delete and its undoing (SPEC
R-4.1). Every step of this feature is shared vocabulary (``tests/steps/conftest.py``)."""

import pytest
from pytest_bdd import scenarios

pytestmark = pytest.mark.usefixtures("story")

scenarios("deactivate_reactivate.feature")

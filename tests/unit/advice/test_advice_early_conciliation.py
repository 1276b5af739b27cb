"""The tribunal time limit as ACAS early conciliation moves it (ERA 1996 s.207B)."""

from datetime import date

import pytest

from linkwell.advice.early_conciliation import Conciliation, extended


@pytest.mark.parametrize("limit_ends, contacted, certified, ends", [
    # The clock stops from the day after Day A to Day B: 11 days on.
    (date(2036, 7, 27), date(2036, 6, 20), date(2036, 7, 1), date(2036, 8, 7)),
    # Stopped, it would end within a month of the certificate: a month after it instead.
    (date(2033, 6, 9), date(2033, 6, 5), date(2033, 6, 16), date(2033, 7, 16)),
    # ACAS contacted only after the limit ended: conciliation moves nothing.
    (date(2026, 11, 9), date(2026, 11, 20), date(2026, 11, 30), date(2026, 11, 9)),
])
def test_the_limit_as_conciliation_moves_it(limit_ends, contacted, certified, ends):
    assert extended(limit_ends, Conciliation(contacted, certified)) == ends

"""`pytest --durations` measures tests that freeze the clock in real time.

freezegun replaces the clock in every loaded module, pytest's own timer among them; the
ignore list in tests/conftest.py gives `_pytest.timing` the real clock back (and only it:
ignoring all of `_pytest` would unfreeze every test body). The figures the suite's speed is
judged by come from there.
"""

import time
from datetime import UTC, datetime

from _pytest import timing
from freezegun import freeze_time


@freeze_time("2026-12-01T08:00:00Z")
def test_a_frozen_test_is_timed_on_the_real_clock():
    start = timing.Instant()
    time.sleep(0.05)
    assert start.elapsed().seconds >= 0.05
    assert datetime.now(UTC) == datetime(2026, 12, 1, 8, tzinfo=UTC)  # the body stays frozen

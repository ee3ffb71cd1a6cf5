"""Fixtures the SMS tests share: the outbox tests' officer, and a recording transport."""

from tests.app.sms_recorder import recorder
from tests.app.test_sms_outbox import officer

__all__ = ["officer", "recorder"]

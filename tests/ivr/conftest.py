"""Fixtures the SMS reply tests share with the outbox tests."""

from tests.app.test_sms_outbox import officer, signed_app

__all__ = ["officer", "signed_app"]

"""A test client that signs its requests as Twilio does (the webhooks refuse unsigned ones)."""

from typing import Any

from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator
from werkzeug.test import TestResponse


class TwilioTestClient(FlaskClient):
    """Posts as Twilio does: signed with the app's token for the public address, unless the
    test brings its own ``X-Twilio-Signature`` (a forged one)."""

    def post(self, path: str, *args: Any, **kw: Any) -> TestResponse:
        return super().post(path, *args, headers=self._signed(path, kw), **kw)

    def get(self, path: str, *args: Any, **kw: Any) -> TestResponse:
        return super().get(path, *args, headers=self._signed(path, kw), **kw)

    def _signed(self, path: str, kw: dict[str, Any]) -> dict[str, str]:
        config = self.application.config["BLAUWLIJN"]
        headers = dict(kw.pop("headers", None) or {})
        if "X-Twilio-Signature" not in headers and config.twilio_auth_token:
            validator = RequestValidator(config.twilio_auth_token)
            url = config.public_base_url + path
            headers["X-Twilio-Signature"] = validator.compute_signature(url, kw.get("data") or {})
        return headers

"""SECRET_KEY signs the session cookie, and with it every staff sign-in: a guessable one lets
anyone forge a signed-in session. The application refuses to start with a weak one."""

import base64
import secrets
import string

import pytest

from app.config import Config

# 50 characters of Django's alphabet: lower case, digits and signs, no capitals.
DJANGO_ALPHABET = string.ascii_lowercase + string.digits + "!@#$%^&*(-_=+)"


@pytest.mark.parametrize(
    "weak",
    [
        "x",
        "test",
        "bench",
        secrets.token_hex(31),  # 31 bytes: one short
        secrets.token_urlsafe(31),
        "a" * 64,
        "0123456789abcdef" * 4,
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        "Xk4#" * 16,
        "change-me-to-something-long-and-random-please-0001",
        "pz-pajottenland-session-secret-" + secrets.token_hex(8),
        "0" * 63 + "1",
    ],
    ids=[
        "x",
        "test",
        "bench",
        "31-bytes-hex",
        "31-bytes-urlsafe",
        "one-letter",
        "hex-repeated",
        "alphabet",
        "pattern",
        "placeholder",
        "words-and-hex",
        "nearly-zero",
    ],
)
def test_a_weak_secret_key_stops_the_start_with_a_clear_message(tmp_path, weak):
    with pytest.raises(ValueError, match="SECRET_KEY") as refused:
        Config.from_env(tmp_path, env={"SECRET_KEY": weak})
    assert "secrets.token_hex(32)" in str(refused.value)  # says how to make a good one
    if len(weak) >= 8:
        assert weak not in str(refused.value)  # and never repeats it (logs, screens)


@pytest.mark.parametrize(
    "strong",
    [
        secrets.token_hex(32),
        secrets.token_hex(64),
        secrets.token_urlsafe(32),
        base64.b64encode(secrets.token_bytes(32)).decode(),  # openssl rand -base64 32
        "".join(secrets.choice(DJANGO_ALPHABET) for _ in range(50)),
    ],
    ids=["token_hex", "token_hex-64", "token_urlsafe", "base64", "django"],
)
def test_a_random_secret_key_is_taken(tmp_path, strong):
    assert Config.from_env(tmp_path, env={"SECRET_KEY": strong}).secret_key == strong


def test_in_demo_mode_too(tmp_path):
    with pytest.raises(ValueError, match="SECRET_KEY"):
        Config.from_env(tmp_path, env={"SECRET_KEY": "x", "BLAUWLIJN_DEMO": "1"})


def test_without_one_a_random_key_is_made_once_in_the_instance_folder(tmp_path):
    first = Config.from_env(tmp_path, env={}).secret_key
    assert len(bytes.fromhex(first)) == 32
    assert Config.from_env(tmp_path, env={}).secret_key == first  # sessions survive restarts
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_a_weak_key_in_the_instance_file_stops_the_start_too(tmp_path):
    (tmp_path / "secret_key").write_text("x\n")
    with pytest.raises(ValueError, match="secret_key"):
        Config.from_env(tmp_path, env={})

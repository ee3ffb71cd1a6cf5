"""Whether a configured secret looks like 32 random bytes, the least that signs sessions safely.

``weakness(key)`` names what is wrong, or None. A secret cannot be proved random; this refuses
what obviously is not: too short for 256 bits in its alphabet, few different characters,
repeated or running patterns, and the words people type into a placeholder. Values made by
``secrets.token_hex(32)``, ``secrets.token_urlsafe(32)`` or ``openssl rand -base64 32`` pass
(each check's chance of refusing one of those is below one in a million).
"""

import string
from itertools import pairwise

MIN_HEX_LENGTH = 64  # 32 bytes written as hexadecimal digits
MIN_LENGTH = 43  # 32 bytes in URL-safe base64, the densest usual spelling
MIN_DISTINCT = 10  # 64 random hex digits show about 16 different ones
MIN_UNIQUE_TRIGRAMS = 0.75  # share of different three-character pieces among all
MAX_RUNNING_STEPS = 0.5  # share of neighbours next to each other in the character table
PLACEHOLDER_WORDS = (
    "change",
    "secret",
    "password",
    "example",
    "default",
    "replace",
    "geheim",
    "sleutel",
    "blauwlijn",
    "pajottenland",
)


def weakness(key: str) -> str | None:
    """What makes ``key`` unfit to sign sessions, in a few English words; None when fit."""
    hex_only = all(c in string.hexdigits for c in key)
    shortest = MIN_HEX_LENGTH if hex_only else MIN_LENGTH
    if len(key) < shortest:
        return f"it is shorter than {shortest} characters"
    if len(set(key)) < MIN_DISTINCT:
        return "it uses too few different characters"
    trigrams = [key[i : i + 3] for i in range(len(key) - 2)]
    if len(set(trigrams)) < MIN_UNIQUE_TRIGRAMS * len(trigrams):
        return "it repeats itself"
    running = sum(abs(ord(b) - ord(a)) == 1 for a, b in pairwise(key))
    if running > MAX_RUNNING_STEPS * (len(key) - 1):
        return "it runs through the alphabet"
    lowered = key.lower()
    if any(word in lowered for word in PLACEHOLDER_WORDS):
        return "it contains a word, not random characters"
    return None

"""Write app/static/ivr/hold.wav: the blue number's hold music, a soft arpeggio made here
(royalty-free by construction; no download). Rerun to change it: python scripts/make_hold_music.py"""

import math
import struct
import wave
from pathlib import Path

RATE = 8000  # telephone quality: the caller hears no more, and the file stays small
NOTES = (261.63, 329.63, 392.00, 523.25, 392.00, 329.63)  # C major, up and down
NOTE_SECONDS = 0.5
ROUNDS = 3
VOLUME = 0.25
TARGET = Path(__file__).resolve().parents[1] / "app" / "static" / "ivr" / "hold.wav"


def samples() -> list[int]:
    out = []
    per_note = int(RATE * NOTE_SECONDS)
    for _ in range(ROUNDS):
        for freq in NOTES:
            for i in range(per_note):
                t = i / RATE
                envelope = min(1.0, i / 400) * math.exp(-3 * t)  # soft attack, bell-like decay
                tone = math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(4 * math.pi * freq * t)
                out.append(int(32767 * VOLUME * envelope * tone / 1.3))
    return out


def main() -> None:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(TARGET), "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(RATE)
        file.writeframes(b"".join(struct.pack("<h", s) for s in samples()))


if __name__ == "__main__":
    main()

"""Earlier moments, offered to those who asked: a citizen's wish to move forward, the moments
that free up, and the offers made one at a time by SMS (reply JA) in the order they asked."""

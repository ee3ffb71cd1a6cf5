"""Telephony: what the phone menu (ivr) and the call-takers' console (callcenter) share about
Twilio, and nothing about what a call is for.

- ``twiml``: writing a voice answer (spoken text, gathers, hold music — defined once);
- ``signature``: the check every Twilio webhook goes through;
- ``browser_phone``: a call-taker's browser phone as a Twilio client identity, and ringing it;
- ``control``: steering a live call (Twilio's REST redirect, or its simulated twin in
  ``simulated`` for a zone without a Twilio account).

What a caller hears and may do (the menu, the queue, messages) lives beside this package in
``ivr/``; the console in ``callcenter/``. This package imports neither
(pyproject.toml's import-linter contracts).
"""

"""The shared scheduling engine: pure domain code, no web, no Twilio, no clock of its own."""

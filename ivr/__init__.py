"""Twilio voice and SMS webhooks (the blue number)."""

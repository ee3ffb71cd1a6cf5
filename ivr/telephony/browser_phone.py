"""The call-takers' browser phone as the phone side sees it: a Twilio client identity per staff
member, and the TwiML that rings it with the caller's call id. Shared by the queue (ivr) and
the console (callcenter), which imports it from here: ivr never imports the console."""

from twilio.twiml.voice_response import VoiceResponse


def identity(staff_id: int) -> str:
    """The browser phone's Twilio client identity for a staff member."""
    return f"staff-{staff_id}"


def staff_of(identity_or_from: str) -> int | None:
    """The staff id in ``staff-7`` or Twilio's ``client:staff-7``; None otherwise."""
    name = identity_or_from.removeprefix("client:")
    number = name.removeprefix("staff-")
    return int(number) if name.startswith("staff-") and number.isdigit() else None


def ring_browser(reply: VoiceResponse, identity: str, call_id: int) -> None:
    """Add to ``reply``: the caller's call rings the call-taker's browser phone (the call's
    id travels with it, so the page knows which caller it is)."""
    client = reply.dial().client()
    client.identity(identity)
    client.parameter(name="call", value=str(call_id))


def to_browser_twiml(identity: str, call_id: int) -> str:
    reply = VoiceResponse()
    ring_browser(reply, identity, call_id)
    return str(reply)

"""The closed vocabularies of the domain."""

from enum import StrEnum


class Role(StrEnum):
    DISTRICT_OFFICER = "district_officer"  # wijkagent
    CASE_HANDLER = "case_handler"
    WEAPONS_SERVICE = "weapons_service"
    CALL_TAKER = "call_taker"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    # The reporting point (app/reports, docs/reports.md): the desk that triages reports and
    # answers questions; the restricted team that alone reads sensitive reports, its lead
    # (who also reads their access log) and the zone chief, who sees everything.
    INTAKE = "intake"
    RESTRICTED_TEAM = "restricted_team"
    RESTRICTED_LEAD = "restricted_lead"
    ZONE_CHIEF = "zone_chief"


class LocationKind(StrEnum):
    OFFICE = "office"  # at a police site
    HOME = "home"  # the officer visits the citizen
    ON_SITE = "on_site"  # police assistance at the address a bailiff gives


class Audience(StrEnum):
    CITIZEN = "citizen"
    BAILIFF = "bailiff"


class ServedBy(StrEnum):
    DISTRICT_OFFICER = "district_officer"  # the wijkagent of the citizen's address
    TEAM = "team"  # any member of the service's team
    INVITED_STAFF = "invited_staff"  # only the staff member who sent the invitation


class BookingStatus(StrEnum):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    DONE = "done"
    NO_SHOW = "no_show"


class Channel(StrEnum):
    WEB = "web"
    API = "api"
    PHONE = "phone"
    SMS = "sms"
    STAFF = "staff"
    GALOP = "galop"
    SYSTEM = "system"


class ActorKind(StrEnum):
    CITIZEN = "citizen"
    STAFF = "staff"
    BAILIFF = "bailiff"
    SYSTEM = "system"


class EventKind(StrEnum):
    BOOKED = "booked"
    CANCELLED_BY_CITIZEN = "cancelled_by_citizen"
    CANCELLED_BY_STAFF = "cancelled_by_staff"
    MOVED = "moved"
    OFFICER_CHANGED = "officer_changed"


class MessageKind(StrEnum):
    """What an outgoing message is (one template each, in app.notify.messages)."""

    CONFIRMATION = "confirmation"
    REMINDER = "reminder"
    CANCELLED_BY_STAFF = "cancelled_by_staff"
    CHANGED = "changed"
    CANCELLED_BY_CITIZEN = "cancelled_by_citizen"  # to the staff member
    INVITATION = "invitation"  # a case handler invites a citizen (no booking yet)
    LINK = "link"  # a link a caller asked for on the blue number (book, or move)
    CALLBACK = "callback"  # a caller's call-back request is registered
    # The reporting point (app/reports/telling.py): to the citizen, then to the staff.
    REPORT_RECEIVED = "report_received"  # number and status link
    REPORT_UPDATE = "report_update"  # a public update on the status page
    REPORT_ANSWER = "report_answer"  # the answer or closing message
    REPORT_STAFF_NOTICE = "report_staff_notice"  # a case for you (a link, never content)
    REPORT_REMINDER = "report_reminder"  # a question due tomorrow
    REPORT_FORWARD = "report_forward"  # a report sent on to the municipality
    # Bailiff assistance (app/assistance/telling.py): e-mails to the office, in its language.
    ASSISTANCE_BOOKED = "assistance_booked"
    ASSISTANCE_CHANGED = "assistance_changed"  # moved (by the office or the zone, with reason)
    ASSISTANCE_CANCELLED = "assistance_cancelled"  # cancelled or refused (with reason)
    OFFICE_INVITATION = "office_invitation"  # a one-time link to set a portal password
    # An earlier moment offered to a citizen who asked for one (app/earlier): reply JA.
    EARLIER_OFFER = "earlier_offer"


class NoticeChannel(StrEnum):
    """How an outbox message travels."""

    SMS = "sms"
    EMAIL = "email"


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for its due time (or its next attempt)
    SENDING = "sending"  # claimed by a worker; the provider may or may not have it
    SENT = "sent"  # accepted by the provider (sid recorded)
    DELIVERED = "delivered"  # the status callback said so
    FAILED = "failed"  # the provider accepted it but could not deliver it
    FINAL = "final"  # never sent: a permanent error, too many attempts, or superseded


class CallbackStatus(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    DONE = "done"


class PresenceStatus(StrEnum):
    """Whether a call-taker can take a call now (set from their console)."""

    AVAILABLE = "available"
    BUSY = "busy"  # on a call
    PAUSE = "pause"
    OFFLINE = "offline"

"""The reporting point's closed vocabularies (stored as plain strings with a CHECK)."""

from enum import StrEnum


class CategoryKind(StrEnum):
    REPORT = "report"  # something to report: nuisance, dumping, a sensitive phenomenon
    QUESTION = "question"  # the contact form: answered by a promised date
    LOST = "lost"  # an object the citizen lost
    FOUND = "found"  # an object the citizen found


class ReportChannel(StrEnum):
    WEB = "web"
    PHONE = "phone"  # a call-taker registers it for a caller
    API = "api"  # Open311


class ReportStatus(StrEnum):
    NEW = "new"
    TRIAGED = "triaged"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"


# A case in one of these is finished: nothing more happens to it but retention (a question
# is finished once answered: a follow-up is a new question).
FINISHED = frozenset(
    {ReportStatus.ANSWERED, ReportStatus.CLOSED, ReportStatus.WITHDRAWN, ReportStatus.MERGED}
)


class ReportActor(StrEnum):
    CITIZEN = "citizen"
    STAFF = "staff"
    SYSTEM = "system"


class ReportEventKind(StrEnum):
    SUBMITTED = "submitted"
    INFORMATION_ADDED = "information_added"
    WITHDRAWN = "withdrawn"
    TRIAGED = "triaged"
    MERGED = "merged"  # on the duplicate
    ABSORBED = "absorbed"  # on the case a duplicate was merged into
    NOTE = "note"  # internal, never public
    PUBLIC_UPDATE = "public_update"
    CLOSED = "closed"
    FORWARDED = "forwarded"  # sent on to the municipality (details: to whom, identity or not)
    ANONYMISED = "anonymised"


class ContactHow(StrEnum):
    """How the reporter of a sensitive report may be contacted: never SMS or voicemail."""

    PHONE = "phone"
    EMAIL = "email"
    NOT_AT_ALL = "not_at_all"


class AccessAction(StrEnum):
    OPEN = "open"
    CHANGE = "change"
    EXPORT = "export"


class QuestionType(StrEnum):
    TEXT = "text"
    CHOICE = "choice"

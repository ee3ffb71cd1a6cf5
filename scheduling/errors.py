"""What the engine refuses, with the field it is about (so every channel can say it well)."""


class SchedulingError(Exception):
    """Base of every refusal; ``field`` names the input at fault when there is one."""

    code = "scheduling_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(SchedulingError):
    code = "not_found"


class InvalidRequest(SchedulingError):
    code = "invalid_request"


class AddressNotInZone(SchedulingError):
    code = "address_not_in_zone"


class SlotUnavailable(SchedulingError):
    """The moment is not (or no longer) free: someone else took it, or it never was."""

    code = "slot_unavailable"


class NotAllowed(SchedulingError):
    """The rules forbid it: past the cancellation cut-off, wrong audience, used invitation."""

    code = "not_allowed"


class Forbidden(SchedulingError):
    """The actor may not do this at all (a citizen booking bailiff assistance)."""

    code = "forbidden"

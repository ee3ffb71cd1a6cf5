"""One mark sent twice at once (a phone back online that resends while the first is on its
way), on PostgreSQL with real commits: one ``VisitMark``, one close of the booking, and both
answers say it is kept."""

import re
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from werkzeug.test import TestResponse

from app.staff.models import VisitMark
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen, book
from scheduling.enums import BookingStatus, Channel, LocationKind
from scheduling.models import AuditEntry, Booking, Site, Staff
from scheduling.trail import Actor
from tests.app.races import NOW, Track, open_track
from tests.factories import make_credential, make_one_off
from tests.staff_login import sign_in

pytestmark = pytest.mark.slow
NOW_UTC = datetime.fromisoformat(NOW)  # Tuesday 10:00 in Brussels
BXL = ZoneInfo("Europe/Brussels")
SENDERS = 2


@pytest.fixture
def track(fresh_database: Callable[[str], str], tmp_path: Path) -> Iterator[Track]:
    yield from open_track(fresh_database, tmp_path)


def _started_booking(track: Track) -> int:
    """The officer's appointment at 09:30 today, booked yesterday: it has begun."""
    with track.session() as session:
        officer = session.get_one(Staff, track.officer_id)
        make_credential(session, officer)
        window = make_one_off(session, officer, on=NOW_UTC.date(), starts=time(9), ends=time(12))
        window.site_id = session.scalars(select(Site.id)).one()
        request = BookingRequest(
            "wijkagent",
            datetime(2026, 12, 1, 9, 30, tzinfo=BXL).astimezone(UTC),
            officer.id,
            LocationKind.OFFICE,
            Citizen("Burger", "+32470120000"),
            address=Address("1547", "Plaats", "1"),
        )
        booked = book(
            session,
            request=request,
            actor=Actor.citizen(Channel.WEB),
            now=NOW_UTC - timedelta(days=1),
            zone=BXL,
        )
        session.commit()
        return booked.booking.id


def _sender(track: Track, n: int, booking_id: int, mark_id: str) -> Callable[[], TestResponse]:
    """The officer signed in on a client of their own, the today page loaded."""
    client = track.client(n)
    with track.session() as session:
        sign_in(client, session.get_one(Staff, track.officer_id))
    page = client.get("/staff/today").get_data(as_text=True)
    found = re.search(r'data-csrf="([^"]+)"', page)
    assert found
    body = {"mark_id": mark_id, "booking_id": booking_id, "kind": "done", "note": ""}
    headers = {"X-CSRF-Token": found.group(1)}
    return lambda: client.post("/staff/today/marks", json=body, headers=headers)


def test_one_mark_sent_twice_at_once_is_kept_once(track: Track) -> None:
    booking_id = _started_booking(track)
    mark_id = str(uuid.uuid4())
    answers = track.race([_sender(track, n, booking_id, mark_id) for n in range(SENDERS)])

    assert sorted(a.status_code for a in answers) == [200, 201]
    assert sorted(a.json["status"] for a in answers) == ["already", "recorded"]
    with track.session() as session:
        assert [m.mark_id for m in session.scalars(select(VisitMark))] == [mark_id]
        assert session.get_one(Booking, booking_id).status is BookingStatus.DONE
        closes = session.scalars(
            select(AuditEntry).where(
                AuditEntry.booking_id == booking_id, AuditEntry.action == "done"
            )
        ).all()
        assert len(closes) == 1

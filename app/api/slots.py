"""GET /slots: free moments of a service, found by the one engine."""

from datetime import datetime, timedelta

from flask import Response, current_app
from sqlalchemy import select

from app import current
from app.api import BadInput, bp, local_iso, parse_query
from app.api.schemas import SlotQuery
from app.api.slot_cache import Answer, SlotCache, VersionReader
from app.db import get_session
from scheduling.addresses import Address
from scheduling.eligibility import (
    Who,
    check_location,
    eligible_staff,
    service_by_code,
    valid_invitation,
)
from scheduling.enums import LocationKind, ServedBy
from scheduling.models import Staff
from scheduling.slots import MAX_SEARCH_DAYS, find_slots

ADDRESS_PARTS = ("postcode", "street", "number")


def _address(query: SlotQuery) -> Address | None:
    given = {part: getattr(query, part) for part in ADDRESS_PARTS}
    if not any(given.values()):
        return None
    missing = [part for part, value in given.items() if not value]
    if missing:
        raise BadInput(
            [
                {"field": part, "message": "Give postcode, street and number together."}
                for part in missing
            ]
        )
    return Address(query.postcode or "", query.street or "", query.number or "")


@bp.get("/slots")
def list_slots() -> Response:
    query = parse_query(SlotQuery)
    if query.to < query.from_:
        raise BadInput([{"field": "to", "message": "'to' comes before 'from'."}])
    if (query.to - query.from_).days + 1 > MAX_SEARCH_DAYS:
        raise BadInput(
            [{"field": "to", "message": f"Search at most {MAX_SEARCH_DAYS} days at once."}]
        )
    moment = current.now()
    cache: SlotCache | None = current_app.extensions.get("slot_cache")
    if cache is None or query.invitation_code:
        # Invitation searches are rare, personal, and valid only for a while: never kept.
        return _json(_search(query, moment).body_at(moment))
    key = tuple(sorted(query.model_dump(exclude_none=True).items()))
    read_version: VersionReader = current_app.extensions["schedule_version"]
    version = read_version()  # before the data: see slot_cache
    day = moment.astimezone(current.zone()).date()
    answer = cache.get(key, version=version, day=day)
    if answer is None:
        answer = _search(query, moment, version=version)
        cache.put(key, answer)
    return _json(answer.body_at(moment))


def _json(body: bytes) -> Response:
    return Response(body, mimetype="application/json")


def _search(query: SlotQuery, moment: datetime, version: int = -1) -> Answer:
    session = get_session()
    service = service_by_code(session, query.service)
    location = LocationKind(query.location) if query.location else None
    check_location(service, location)
    who = Who(
        address=_address(query),
        invitation_code=query.invitation_code,
        staff_id=query.staff,
    )
    staff_ids = eligible_staff(session, service, who, moment)
    slots = find_slots(
        session,
        service=service,
        staff_ids=staff_ids,
        first_day=query.from_,
        last_day=query.to,
        now=moment,
        zone=current.zone(),
        location=location,
        covers=staff_ids.covers,
        place=staff_ids.place,
    )
    if query.invitation_code and service.served_by is ServedBy.INVITED_STAFF:
        # An invitation's moments end with its period.
        until = valid_invitation(session, query.invitation_code, service, moment).valid_until
        slots = [slot for slot in slots if slot.start <= until]
    names = dict(
        session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(staff_ids))).tuples().all()
    )
    return Answer.of(
        version=version,
        day=moment.astimezone(current.zone()).date(),
        min_notice=timedelta(minutes=service.min_notice_minutes),
        starts=[slot.start for slot in slots],
        items=[
            {
                "start": local_iso(slot.start),
                "end": local_iso(slot.end),
                "staff": {"id": slot.staff_ids[0], "name": names[slot.staff_ids[0]]},
                "location": slot.location.value,
            }
            for slot in slots
        ],
    )

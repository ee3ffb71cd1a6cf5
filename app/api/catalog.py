"""What can be booked and where: services, districts, "who is my wijkagent"."""

from flask import Response, jsonify
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.api import bp, language, parse_query
from app.api.schemas import OfficerQuery
from app.db import get_session
from scheduling.addresses import Address, district_for
from scheduling.enums import ServedBy
from scheduling.models import District, Service


@bp.get("/services")
def list_services() -> Response:
    lang = language()
    services = get_session().scalars(select(Service).order_by(Service.code))
    return jsonify(
        [
            {
                "code": s.code,
                "name": s.name(lang),
                "duration_minutes": s.duration_minutes,
                "locations": s.locations,
                "audience": s.audience.value,
                "requires_invitation": s.served_by is ServedBy.INVITED_STAFF,
                "served_by": s.served_by.value,
            }
            for s in services
        ]
    )


@bp.get("/districts")
def list_districts() -> Response:
    districts = get_session().scalars(
        select(District)
        .options(joinedload(District.officer), selectinload(District.streets))
        .order_by(District.municipality, District.name)
    )
    return jsonify(
        [
            {
                "id": d.id,
                "name": d.name,
                "municipality": d.municipality,
                "officer": {"id": d.officer.id, "name": d.officer.name},
                "streets": [{"postcode": s.postcode, "street": s.street} for s in d.streets],
            }
            for d in districts
        ]
    )


@bp.get("/officer")
def find_officer() -> Response:
    query = parse_query(OfficerQuery)
    district = district_for(get_session(), Address(query.postcode, query.street, query.number))
    return jsonify(
        {
            "officer": {"id": district.officer.id, "name": district.officer.name},
            "district": {"id": district.id, "name": district.name},
        }
    )

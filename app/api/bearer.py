"""Who calls with ``Authorization: Bearer``: a bailiff office's case software, by one of the
API tokens the office's admin makes in the portal (``OfficeApiToken``)."""

from dataclasses import dataclass

from flask import Response, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import current
from app.api import bp
from app.api.problems import problem
from app.assistance.models import OfficeApiToken
from scheduling.booking import hash_token
from scheduling.models import BailiffAccount


@dataclass(frozen=True)
class OfficeCaller:
    """The office a token belongs to, and which token it was (the booking's history says)."""

    office: BailiffAccount
    token_id: int


def office_caller(session: Session) -> OfficeCaller | None:
    """The office of a ``Bearer`` token, None without an Authorization header; a wrong,
    revoked or demo token (outside demo mode), or an inactive office's, is a 401."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    found = session.scalar(
        select(OfficeApiToken)
        .join(BailiffAccount, BailiffAccount.id == OfficeApiToken.office_id)
        .where(
            OfficeApiToken.token_hash == hash_token(token.strip()),
            OfficeApiToken.revoked_at.is_(None),
            BailiffAccount.active,
        )
    )
    if scheme.lower() != "bearer" or found is None:
        raise Unauthorized()
    if found.office.demo and not current.config().demo_mode:
        raise Unauthorized()  # demo logins work only under `make run` (BLAUWLIJN_DEMO=1)
    found.last_used_at = current.now()  # the office's token page shows it
    return OfficeCaller(found.office, found.id)


def office_required(session: Session) -> OfficeCaller:
    """The calling office; without a token the caller is a citizen, who may not (403)."""
    caller = office_caller(session)
    if caller is None:
        raise OfficesOnly()
    return caller


class Unauthorized(Exception):
    pass


class OfficesOnly(Exception):
    pass


@bp.errorhandler(Unauthorized)
def _unauthorized(_error: Unauthorized) -> Response:
    response = problem(401, "The bearer token is not valid.", code="unauthorized")
    response.headers["WWW-Authenticate"] = 'Bearer realm="blauwlijn"'
    return response


@bp.errorhandler(OfficesOnly)
def _offices_only(_error: OfficesOnly) -> Response:
    return problem(
        403,
        "Police assistance is for bailiff offices: send your office's API token "
        "(Authorization: Bearer ...), made by your office's admin in the portal.",
        code="bailiff_token_required",
        errors=[{"field": "Authorization", "message": "An office's API token is required."}],
    )

"""The phone side's share of the daily purge (app.retention): a call's caller number and
what the menu held for the caller (an address keyed in, the appointment heard, the moments
offered) go once the contact period has passed; the menu path, topic, duration and outcome
stay for the figures."""

from collections import Counter
from typing import Any

from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import Session

from app.retention import Cutoffs, anonymise, take
from ivr.models import Call

EMPTY_STATE = "{}"  # how the JSON column stores an empty state, on both databases


def forget_callers(_sender: Any, *, session: Session, cutoffs: Cutoffs, batch: int) -> Counter[str]:
    personal = or_(Call.caller.is_not(None), cast(Call.state, String) != EMPTY_STATE)
    ids = take(
        session,
        select(Call.id).where(Call.started_at < cutoffs.contact, personal).order_by(Call.id),
        batch,
    )
    return Counter(calls=anonymise(session, Call.id, ids, personal, caller=None, state={}))

"""The console's share of the daily purge (app.retention): the call-takers' notes on a call
or a call-back go once the contact period has passed; who took it, when, its category and
outcome stay for the figures."""

from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.retention import Cutoffs, anonymise, take
from callcenter.models import CallbackWork, TakenCall


def forget_notes(_sender: Any, *, session: Session, cutoffs: Cutoffs, batch: int) -> Counter[str]:
    done: Counter[str] = Counter()
    for kind, key, when, note in (
        ("call_notes", TakenCall.call_id, TakenCall.taken_at, TakenCall.note),
        ("callback_notes", CallbackWork.task_id, CallbackWork.claimed_at, CallbackWork.note),
    ):
        still = note.is_not(None)
        keys = take(session, select(key).where(when < cutoffs.contact, still).order_by(key), batch)
        done[kind] = anonymise(session, key, keys, still, note=None)
    return done

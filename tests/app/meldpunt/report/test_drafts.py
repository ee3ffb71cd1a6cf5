"""Report drafts expire LIFETIME after the last answer; the worker's hourly job forgets them
and erases the photo files they still hold (a sent draft holds none: its photos are the
report's)."""

from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select

from app.meldpunt import draft
from app.meldpunt.models import ReportDraft
from app.reports import photos
from app.worker import build_scheduler, purge_report_drafts
from tests.app.meldpunt.report.walk import jpeg

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def _photo(uploads) -> str:
    accepted = photos.accept(jpeg(), "x.jpg")
    assert isinstance(accepted, photos.AcceptedPhoto)
    return photos.store(accepted, uploads)


def test_expired_drafts_go_with_their_photo_files(session, tmp_path):
    old, fresh = _photo(tmp_path), _photo(tmp_path)
    session.add_all(
        [
            ReportDraft(
                key_hash="a" * 64,
                answers={"description": "Lawaai", "photos": [{"name": old}, {"name": "../etc"}]},
                expires_at=NOW,
            ),
            ReportDraft(
                key_hash="b" * 64,
                answers={"photos": [{"name": fresh}]},
                expires_at=NOW + timedelta(seconds=1),
            ),
        ]
    )
    session.flush()
    assert draft.purge(session, now=NOW, uploads=tmp_path) == 1
    assert session.scalars(select(ReportDraft.key_hash)).all() == ["b" * 64]
    assert not (tmp_path / old).exists()
    assert (tmp_path / fresh).is_file()


def test_the_worker_purges_report_drafts_hourly(app: Flask, session):
    uploads = app.config["BLAUWLIJN"].report_uploads_dir
    name = _photo(uploads)
    session.add(
        ReportDraft(
            key_hash="c" * 64,
            answers={"photos": [{"name": name}]},
            expires_at=datetime.now(UTC) - timedelta(minutes=1),
        )
    )
    session.commit()
    assert purge_report_drafts(app) == 1
    assert not (uploads / name).exists()
    assert session.scalars(select(ReportDraft)).all() == []
    assert "purge_report_drafts" in {job.id for job in build_scheduler(app).get_jobs()}

"""Retention of the reporting point, inside the daily purge (app.retention)."""

import io
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image
from sqlalchemy import func, select

from app import retention
from app.config import Config
from app.reports import commands, photos
from app.reports.commands import Place, Reporter, staff
from app.reports.enums import ContactHow, ReportEventKind
from app.reports.models import ReportPhoto
from tests.app.reports.factories import NOW, make_category, submit
from tests.factories import TEST_SECRET_KEY, make_staff

CLOSED = datetime(2026, 12, 2, 10, tzinfo=UTC)  # Wednesday 2 December, 11:00 in Brussels


def _config(tmp_path: Path) -> Config:
    return Config.from_env(tmp_path, env={"SECRET_KEY": TEST_SECRET_KEY})


def purge(session, now: datetime, tmp_path: Path):
    return retention.purge_round(session, retention.cutoffs(_config(tmp_path), now), batch=100)


def _stored_photo(tmp_path: Path) -> str:
    """A real photo in the uploads folder, as the report form stores it."""
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(picture, "JPEG")
    accepted = photos.accept(picture.getvalue(), "glasbol.jpg")
    assert isinstance(accepted, photos.AcceptedPhoto)
    return photos.store(accepted, _config(tmp_path).report_uploads_dir)


def test_a_closed_report_loses_its_personal_data_after_its_category_s_period(session, tmp_path):
    officer = make_staff(session)
    category = make_category(session, retention_days=30)
    report = submit(
        session,
        category,
        place=Place(
            street_name="Plaats",
            house_number="3",
            postcode="1547",
            municipality="Bever",
            landmark="Aan de glasbol",
            lat=50.7,
            lon=3.9,
        ),
        reporter=Reporter(
            name="An",
            phone="+32470123456",
            email="an@example.be",
            contact_how=ContactHow.PHONE,
            contact_when="na 18 u",
        ),
        recurring="elke vrijdag",
    )
    open_one = submit(session, category)
    stored_name = _stored_photo(tmp_path)
    uploaded = _config(tmp_path).report_uploads_dir / stored_name
    assert uploaded.exists()
    session.add(
        ReportPhoto(
            report_id=report.id,
            stored_name=stored_name,
            content_type="image/jpeg",
            size_bytes=10,
            width=1,
            height=1,
            created_at=NOW,
        )
    )
    commands.add_note(session, report, "Buurman gekend", actor=staff(officer.id), now=CLOSED)
    commands.close_with_message(session, report, "Opgeruimd.", actor=staff(officer.id), now=CLOSED)

    # Kept through the 30th day after closing (1 January 2027, local), gone on the 31st.
    assert purge(session, datetime(2027, 1, 1, 22, 59, tzinfo=UTC), tmp_path)["reports"] == 0
    done = purge(session, datetime(2027, 1, 1, 23, 1, tzinfo=UTC), tmp_path)
    assert (done["reports"], done["report_photos"]) == (1, 1)
    session.refresh(report)
    assert (report.reporter_name, report.reporter_phone, report.reporter_email) == (None,) * 3
    assert (report.contact_how, report.contact_when, report.house_number, report.landmark) == (
        None,
    ) * 4
    assert (report.lat, report.lon, report.recurring, report.description) == (None, None, None, "")
    assert (report.street_name, report.postcode, report.municipality) == ("Plaats", "1547", "Bever")
    assert (report.category, report.created_at, report.closed_at) == (category, NOW, CLOSED)
    assert all("text" not in e.details for e in report.events)
    assert report.events[-1].kind == ReportEventKind.ANONYMISED
    assert session.scalar(select(func.count()).select_from(ReportPhoto)) == 0
    assert not uploaded.exists()  # the file goes with its row
    assert open_one.reporter_name == "An Peeters"  # not closed: kept
    assert purge(session, datetime(2027, 1, 2, 12, tzinfo=UTC), tmp_path)["reports"] == 0

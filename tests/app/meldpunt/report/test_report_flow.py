"""/melden: the start page and a report's questions through to the confirmation, in Dutch,
French and English; errors next to the field, what was typed kept; one report per draft."""

import logging
import re
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from app import ratelimit
from app.meldpunt.models import ReportDraft
from app.reports.enums import ReportChannel, ReportStatus
from app.reports.models import Report, ReportCategory, ReportPhoto
from tests.app.meldpunt.report.walk import PLAATS_3, csrf, jpeg, post, walk_to_check, walk_to_photos
from tests.bidi import assert_isolated

NOW = "2026-12-01T09:00:00Z"  # Tuesday 10:00 in Brussels


def reports(session) -> list[Report]:
    return list(session.scalars(select(Report).order_by(Report.id)))


@pytest.mark.parametrize(
    ("lang", "public", "sensitive", "emergency"),
    [
        ("nl", "Sluikstort", "Radicalisering", "Bel 101"),
        ("fr", "Dépôt clandestin", "Radicalisation", "Appelez le 101"),
        ("en", "Illegal dumping", "Radicalisation", "Call 101"),
    ],
)
def test_the_start_page_lists_what_can_be_reported_and_what_not(
    client, zone, lang, public, sensitive, emergency
):
    page = client.get(f"/melden?lang={lang}").get_data(as_text=True)
    assert public in page
    assert sensitive not in page  # the sensitive phenomena have their own, discreet entry
    assert "112" in page
    assert emergency in page
    assert 'href="/melden/illegal_dumping/where"' in page
    assert 'href="/melden/discreet"' in page
    assert 'href="/contact"' in page
    assert 'href="/melden/question/where"' not in page  # questions: the contact form


@freeze_time(NOW)
def test_a_french_dumping_report_with_a_photo_reaches_the_register_streets_wijkagent(
    client, zone, session, app
):
    client.get("/melden?lang=fr")
    token = csrf(client)
    slug = "illegal_dumping"
    # The street as French speakers write it: the register knows it as Plaats.
    where = {"postcode": "1547", "street": "Place", "number": "3"}
    walk_to_photos(client, slug, token, where=where, description="Des sacs de déchets 🗑️")
    added = client.post(
        f"/melden/{slug}/photos",
        data={"csrf_token": token, "action": "add", "photos": (BytesIO(jpeg()), "sacs.jpg")},
        content_type="multipart/form-data",
    )
    assert added.status_code == 302
    page = client.get(f"/melden/{slug}/photos").get_data(as_text=True)
    assert "Photo 1" in page, page[page.find("<main") : page.find("</main")]
    assert post(client, f"/melden/{slug}/photos", token, action="continue").status_code == 302
    post(client, f"/melden/{slug}/who", token, name="Marie Dubois", email="marie@example.be")
    check = client.get(f"/melden/{slug}/check").get_data(as_text=True)
    assert "Vérifiez votre signalement" in check
    assert "Des sacs de déchets 🗑️" in check
    sent = post(client, f"/melden/{slug}/check", token)
    assert sent.location == "/melden/done"
    done = client.get("/melden/done").get_data(as_text=True)

    [report] = reports(session)
    assert re.fullmatch(r"M-2026-\d{6}", report.number)
    assert report.number in done
    public = app.config["BLAUWLIJN"].public_base_url
    link = re.search(rf"{re.escape(public)}(/status/[A-Za-z0-9_-]+)", done)
    assert link is not None
    status = client.get(link.group(1)).get_data(as_text=True)
    assert report.number in status  # the confirmation's link opens this report's status page
    assert (report.street_id, report.street_name, report.house_number) == (
        zone.street.id,
        "Plaats",
        "3",
    )
    assert report.assigned_staff_id == zone.wijkagent.id
    assert (report.language, report.channel, report.status) == (
        "fr",
        ReportChannel.WEB,
        ReportStatus.NEW,
    )
    assert (report.reporter_name, report.reporter_email) == ("Marie Dubois", "marie@example.be")
    assert report.occurred_at is not None
    [photo] = session.scalars(select(ReportPhoto)).all()
    assert photo.report_id == report.id
    assert photo.content_type == "image/jpeg"
    uploads = app.config["BLAUWLIJN"].report_uploads_dir
    assert (uploads / photo.stored_name).is_file()


@freeze_time(NOW)
def test_an_english_lost_object_asks_its_kind_and_a_dutch_nuisance_its_own_question(
    client, zone, session
):
    client.get("/melden?lang=en")
    token = csrf(client)
    post(client, "/melden/lost_object/where", token, landmark="The bus stop at the church")
    post(client, "/melden/lost_object/when", token, when="moment", day="30/11/2026", clock="17:00")
    missing = post(client, "/melden/lost_object/what", token, description="A brown wallet")
    assert 'id="object_type-error"' in missing.get_data(as_text=True)
    assert "A brown wallet" in missing.get_data(as_text=True)  # what was typed is kept
    post(
        client,
        "/melden/lost_object/what",
        token,
        description="A brown wallet",
        object_type="wallet",
    )
    post(client, "/melden/lost_object/photos", token, action="continue")
    post(client, "/melden/lost_object/who", token, phone="0470 12 34 56", website="")
    assert "Wallet or purse" in client.get("/melden/lost_object/check").get_data(as_text=True)
    post(client, "/melden/lost_object/check", token)

    client.get("/melden?lang=nl")
    walk_to_photos(client, "nuisance", token, **{"q-nuisance_kind": "noise"})
    post(client, "/melden/nuisance/photos", token, action="continue")
    post(client, "/melden/nuisance/who", token, website="")
    check = client.get("/melden/nuisance/check").get_data(as_text=True)
    assert "Wat voor overlast?" in check
    assert "Lawaai" in check
    assert "Anoniem" in check
    post(client, "/melden/nuisance/check", token)

    lost, nuisance = reports(session)
    assert (lost.object_type, lost.landmark, lost.reporter_phone) == (
        "wallet",
        "The bus stop at the church",
        "+32470123456",
    )
    assert lost.assigned_staff_id is None  # a landmark only: the intake desk triages it
    assert lost.occurred_at.isoformat() == "2026-11-30T16:00:00+00:00"  # 17:00 in Brussels
    assert lost.language == "en"
    assert nuisance.answers == {"nuisance_kind": "noise"}
    assert nuisance.reporter_name is None
    assert nuisance.assigned_staff_id == zone.wijkagent.id


@freeze_time(NOW)
def test_where_says_what_is_missing_or_unknown_next_to_the_field(client, zone):
    client.get("/melden?lang=en")
    token = csrf(client)
    path = "/melden/traffic_danger/where"
    nothing = post(client, path, token).get_data(as_text=True)
    assert 'id="street-error"' in nothing
    assert "describe the place" in nothing
    unknown = post(client, path, token, postcode="1547", street="Nergensstraat", number="1")
    assert "We do not find this address in our zone" in unknown.get_data(as_text=True)
    assert 'value="Nergensstraat"' in unknown.get_data(as_text=True)
    half = post(client, path, token, street="Plaats").get_data(as_text=True)
    assert 'id="postcode-error"' in half
    assert 'id="number-error"' in half
    bad_point = post(client, path, token, lat="51.5", lon="east").get_data(as_text=True)
    assert 'id="locate-error"' in bad_point
    located = post(client, path, token, lat="50.7151234", lon="3.9331")
    assert located.location == "/melden/traffic_danger/when"


@freeze_time(NOW)
def test_when_refuses_a_moment_to_come_and_a_date_it_cannot_read(client, zone):
    client.get("/melden?lang=en")
    token = csrf(client)
    post(client, "/melden/traffic_danger/where", token, **PLAATS_3)
    path = "/melden/traffic_danger/when"
    assert 'id="when-error"' in post(client, path, token).get_data(as_text=True)
    future = post(client, path, token, when="moment", day="02/12/2026", clock="10:00")
    assert "has not come yet" in future.get_data(as_text=True)
    unread = post(client, path, token, when="moment", day="31/02/2026", clock="25:00")
    assert 'id="day-error"' in unread.get_data(as_text=True)
    assert 'id="clock-error"' in unread.get_data(as_text=True)
    empty = post(client, path, token, when="recurring")
    assert 'id="recurring-error"' in empty.get_data(as_text=True)
    recurring = post(client, path, token, when="recurring", recurring="Every Friday night")
    assert recurring.location == "/melden/traffic_danger/what"


@freeze_time(NOW)
def test_a_question_opened_before_the_earlier_ones_sends_back_to_the_first_unanswered(client, zone):
    client.get("/melden?lang=en")
    token = csrf(client)
    assert client.get("/melden/nuisance/check").location == "/melden/nuisance/where"
    post(client, "/melden/nuisance/where", token, **PLAATS_3)
    assert client.get("/melden/nuisance/who").location == "/melden/nuisance/when"
    assert client.get("/melden/no_such_thing/where").status_code == 404
    assert client.get("/melden/question/where").status_code == 404  # the contact form's
    assert client.get("/melden/radicalisation/where").status_code == 404  # discreet only


@freeze_time(NOW)
def test_html_emoji_and_long_texts_are_shown_back_harmlessly_and_direction_characters_refused(
    client, zone
):
    client.get("/melden?lang=en")
    token = csrf(client)
    walk_to_photos(client, "other", token)
    path = "/melden/other/what"
    override = post(client, path, token, description="Kapotte lamp \u202egpj.exe")
    assert 'id="description-error"' in override.get_data(as_text=True)
    long = post(client, path, token, description="x" * 5001).get_data(as_text=True)
    assert "Keep it to 5000 characters (this is 5001)" in long
    assert "x" * 5001 in long  # kept to shorten
    html = "<script>alert(1)</script> 🚲 <b>bold</b>"
    post(client, path, token, description=html)
    post(client, "/melden/other/photos", token, action="continue")
    post(client, "/melden/other/who", token, name="<i>Jan</i> 😀", website="")
    check = client.get("/melden/other/check").get_data(as_text=True)
    assert "<script>" not in check
    assert "<i>Jan</i>" not in check
    assert_isolated(check, html)
    assert_isolated(check, "<i>Jan</i> 😀")


@freeze_time(NOW)
def test_the_honeypot_refuses_a_bot_and_keeps_nothing_of_it(client, zone, session):
    client.get("/melden?lang=en")
    token = csrf(client)
    walk_to_photos(client, "other", token)
    post(client, "/melden/other/photos", token, action="continue")
    bot = post(client, "/melden/other/who", token, name="Bot", website="http://spam.example")
    assert bot.status_code == 400
    assert client.get("/melden/other/check").location == "/melden/other/who"


@freeze_time(NOW)
def test_who_is_required_where_the_category_allows_no_anonymous_reports(client, zone, session):
    category = session.scalars(
        select(ReportCategory).where(ReportCategory.code == "traffic_danger")
    ).one()
    category.anonymous_allowed = False
    session.commit()
    client.get("/melden?lang=en")
    token = csrf(client)
    walk_to_photos(client, "traffic_danger", token)
    post(client, "/melden/traffic_danger/photos", token, action="continue")
    nobody = post(client, "/melden/traffic_danger/who", token, website="").get_data(as_text=True)
    assert 'id="name-error"' in nobody
    assert 'id="phone-error"' in nobody
    wrong = post(
        client, "/melden/traffic_danger/who", token, name="An", phone="12", email="a@", website=""
    ).get_data(as_text=True)
    assert "like 0470 12 34 56" in wrong
    assert "like name@example.be" in wrong


@freeze_time(NOW)
def test_a_second_click_on_send_makes_no_second_report_and_shows_the_same_confirmation(
    client, zone, session
):
    client.get("/melden?lang=nl")
    token = csrf(client)
    walk_to_check(client, "illegal_dumping", token)
    first = post(client, "/melden/illegal_dumping/check", token)
    second = post(client, "/melden/illegal_dumping/check", token)
    assert first.location == second.location == "/melden/done"
    assert session.scalar(select(func.count()).select_from(Report)) == 1
    [report] = reports(session)
    assert report.number in client.get("/melden/done").get_data(as_text=True)
    # The draft keeps nothing of the answers now, and only for a while.
    [kept] = session.scalars(select(ReportDraft)).all()
    assert kept.answers["description"] == kept.answers["name"] == ""
    assert kept.answers["number_sent"] == report.number
    assert kept.expires_at <= datetime.now(UTC) + timedelta(minutes=30)
    # A new report starts afresh, with a new key.
    assert client.get("/melden/illegal_dumping/where").status_code == 200
    walk_to_check(client, "illegal_dumping", token)
    post(client, "/melden/illegal_dumping/check", token)
    assert session.scalar(select(func.count()).select_from(Report)) == 2


@freeze_time(NOW)
def test_sending_is_rate_limited_per_address_and_per_contact(client, zone, session, monkeypatch):
    monkeypatch.setitem(ratelimit.LIMITS, "report-contact", 1)
    client.get("/melden?lang=en")
    token = csrf(client)
    walk_to_check(client, "other", token, email="jan@example.be")
    assert post(client, "/melden/other/check", token).status_code == 302
    walk_to_check(client, "other", token, email="jan@example.be")
    assert post(client, "/melden/other/check", token).status_code == 429
    monkeypatch.setitem(ratelimit.LIMITS, "report-ip", 1)
    walk_to_check(client, "other", token)  # anonymous: only the address counts
    assert post(client, "/melden/other/check", token).status_code == 429
    assert session.scalar(select(func.count()).select_from(Report)) == 1


@freeze_time(NOW)
def test_a_refusal_at_sending_leads_back_to_the_answer_with_a_message(client, zone, session):
    """The category stopped taking anonymous reports after the citizen answered: the
    commands refuse, and the citizen lands on the question to answer again."""
    client.get("/melden?lang=nl")
    token = csrf(client)
    walk_to_check(client, "traffic_danger", token)
    session.scalars(
        select(ReportCategory).where(ReportCategory.code == "traffic_danger")
    ).one().anonymous_allowed = False
    session.commit()
    refused = post(client, "/melden/traffic_danger/check", token)
    assert refused.location == "/melden/traffic_danger/who"
    page = client.get(refused.location).get_data(as_text=True)
    assert "Dit antwoord kon niet bewaard worden" in page
    assert reports(session) == []


@freeze_time(NOW)
def test_nothing_personal_reaches_a_log_line(client, zone, caplog):
    caplog.set_level(logging.DEBUG)
    client.get("/melden?lang=nl")
    token = csrf(client)
    walk_to_photos(client, "nuisance", token, description="Feestje bij Jansens elke nacht")
    post(client, "/melden/nuisance/photos", token, action="continue")
    post(
        client,
        "/melden/nuisance/who",
        token,
        name="Jan Peeters",
        phone="0470 12 34 56",
        email="jan.peeters@example.be",
        website="",
    )
    post(client, "/melden/nuisance/check", token)
    said = "\n".join(record.getMessage() for record in caplog.records)
    for personal in ("Jansens", "Peeters", "470", "jan.peeters", "Plaats"):
        assert personal not in said

"""Steps shared by the browser tests: walking the booking questions as a citizen does.

Elements are found by what the pages promise (field ids, names, link targets), never by their
words, so the tests hold in Dutch, French and English as the translations land.

The live server's data is shared by every browser test, so each test books in weeks of its
own (``WEEK_*``): whichever order the tests run in, one never takes a moment another needs.
"""

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import pyotp
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.assistance.models import OfficeUser
from app.demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET
from app.ratelimit.models import RateLimitHit
from app.staff.models import StaffCredential
from ivr.models import Call
from scheduling.booking import BookingRequest, Citizen, book, cancel
from scheduling.enums import BookingStatus, Channel, LocationKind
from scheduling.models import Booking, Invitation, Service, Staff
from scheduling.slots import find_slots
from scheduling.trail import Actor
from tests.browser.conftest import LiveServer

CheckAxe = Callable[[Page, str], None]
Shoot = Callable[[Page, str], Path]

# The demo bailiff office's users (app/demo/zone.py OFFICE_USERS): its admin, and another.
OFFICE_ADMIN = "griet@vandamme-desmet.example.be"
OFFICE_USER = "luc@vandamme-desmet.example.be"

# The demo address (app/demo/zone.py EXAMPLE_ADDRESS) and its wijkagent.
POSTCODE, STREET, NUMBER = "1547", "Plaats", "1"
OFFICER = "Geert Demol"


class Resident(NamedTuple):
    """An address in the zone and the wijkagent who serves it."""

    postcode: str
    street: str
    number: str
    officer: str


DEMO_RESIDENT = Resident(POSTCODE, STREET, NUMBER, OFFICER)

# Weeks ahead (0 = the coming seven days) in which each test books, one week per test and
# service, so that tests never compete for a moment. The wijkagent's office hours are on
# Monday and Wednesday; the demo service horizon is 60 days (weeks 0 to 8).
WEEK_FLOW = {("nl", "phone"): 1, ("nl", "desktop"): 2, ("fr", "phone"): 3, ("fr", "desktop"): 4}
WEEK_KEYBOARD = {("nl", "desktop"): 5, ("fr", "phone"): 6, ("en", "desktop"): 1}
WEEK_TAKEN = 7
WEEK_HOME_VISIT = 1  # home visits: Tuesday and Friday, never the office days
WEEK_WEAPONS = 1
WEEK_INVITATION_TYPED = 1  # the seed's invitation, with GALOP-2001
WEEK_INVITATION_LINK = 2  # a fresh one, with another case handler (GALOP-2002)
PAGES_AXE_DAYS_AHEAD = 35  # the appointments test_pages_axe makes through the engine

REFERENCE = re.compile(r"^\d{9}$")


# --- Looking at a page --------------------------------------------------------------------


def sign_in_to_console(page: Page, live_server: LiveServer, personnel_number: str) -> None:
    """A demo call-taker signs in on the console page."""
    page.goto(f"{live_server.url}/console")
    page.fill("#personnel_number", personnel_number)
    page.fill("#password", DEMO_PASSWORD)
    submit(page)


def take_queued_caller(
    page: Page, live_server: LiveServer, call_taker: str, number: str, topic: str
) -> None:
    """A demo call-taker signs in, ready, and takes a caller from ``number`` who waits in the
    queue about ``topic``."""
    sign_in_to_console(page, live_server, call_taker)
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "ready")
    with db(live_server) as session, session.begin():
        call_id = queued_caller(session, number, waited=20, topic=topic).id
    page.locator(f"#queue-rows tr[data-call='{call_id}'] button").click()
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "in-call")


def sign_in_with_code(
    page: Page, live_server: LiveServer, personnel_number: str, path: str
) -> None:
    """A demo staff member who gives a TOTP code (a supervisor...) opens ``path``, signing
    in with the password and then the code."""
    # A code works once per 30 s step: forget the step another test's sign-in used.
    with db(live_server) as session, session.begin():
        staff_id = (
            select(Staff.id).where(Staff.personnel_number == personnel_number).scalar_subquery()
        )
        session.execute(
            update(StaffCredential)
            .where(StaffCredential.staff_id == staff_id)
            .values(totp_last_step=None)
        )
    page.goto(f"{live_server.url}{path}")
    page.fill("#personnel_number", personnel_number)
    page.fill("#password", DEMO_PASSWORD)
    submit(page)
    page.fill("#code", pyotp.TOTP(DEMO_TOTP_SECRET).now())
    submit(page)
    assert_on(page, path)


def sign_in_office(page: Page, live_server: LiveServer, email: str, path: str) -> None:
    """A portal user of the demo office (``email``, e.g. OFFICE_ADMIN) opens ``path`` under
    /deurwaarder, signing in with the demo password and then the code."""
    # A code works once per 30 s step: forget the step another test's sign-in used.
    with db(live_server) as session, session.begin():
        session.execute(
            update(OfficeUser)
            .where(OfficeUser.email == email)
            .values(totp_last_step=None, failed_logins=0, locked_until=None)
        )
    page.goto(f"{live_server.url}{path}")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    submit(page)
    page.fill("#code", pyotp.TOTP(DEMO_TOTP_SECRET).now())
    submit(page)
    assert_on(page, path.split("?")[0])


def html_lang(page: Page) -> str:
    return str(page.get_attribute("html", "lang"))


def looked_at(page: Page, check_axe: CheckAxe, shoot: Shoot, name: str) -> None:
    """Every page and state of a test: axe finds nothing, and a picture for the humans."""
    check_axe(page, name)
    shoot(page, name)


def assert_error_next_to(page: Page, field: str) -> None:
    """The field's error stands in the field's own block, and the field is described by it."""
    error = page.locator(f"#{field}-error")
    assert error.is_visible(), f"no visible error for {field!r}"
    assert error.inner_text().strip()
    assert page.locator(f".field-error:has(#{field}-error) #{field}").count() == 1
    assert page.get_attribute(f"#{field}", "aria-invalid") == "true"
    described = (page.get_attribute(f"#{field}", "aria-describedby") or "").split()
    assert f"{field}-error" in described
    # ...and it is drawn next to the field: right above it, at most a line or two away.
    error_box, field_box = error.bounding_box(), page.locator(f"#{field}").bounding_box()
    assert error_box is not None
    assert field_box is not None
    assert 0 <= field_box["y"] - (error_box["y"] + error_box["height"]) < 60
    # The summary at the top links to the field.
    assert page.locator(f".error-summary a[href='#{field}']").count() == 1


def submit(page: Page) -> None:
    """Press the main form's submit button (the page's one form with a button), and wait
    for the answer page: a form that comes back with errors keeps the same address."""
    with page.expect_navigation(wait_until="load", timeout=15_000):
        page.locator("main form button[type=submit]").last.click()


# --- The booking questions, with the mouse --------------------------------------------------


def find_officer(page: Page) -> None:
    """On the start page: who is my wijkagent? Ends on /officer with the answer."""
    street = page.locator("#street")
    assert street.get_attribute("list") == "zone-streets"
    suggestions = page.locator("datalist#zone-streets option").evaluate_all(
        "options => options.map(o => o.value)"
    )
    assert STREET in suggestions
    page.fill("#postcode", POSTCODE)
    street.fill(STREET)
    page.fill("#number", NUMBER)
    page.locator("form[action$='/officer'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/officer\?"))
    assert OFFICER in page.locator(".panel-result").inner_text()


def choose_service(page: Page, code: str) -> None:
    page.check(f"input[name=service][value={code}]")
    submit(page)


def enter_address(
    page: Page, postcode: str = POSTCODE, street: str = STREET, number: str = NUMBER
) -> None:
    page.fill("#postcode", postcode)
    page.fill("#street", street)
    page.fill("#number", number)
    submit(page)


def choose_location(page: Page, where: str) -> None:
    page.check(f"input[name=location][value={where}]")
    submit(page)


def slot_buttons(page: Page) -> list[str]:
    values = page.locator("button.slot").evaluate_all("buttons => buttons.map(b => b.value)")
    return [str(value) for value in values]


def go_to_week(page: Page, week: int) -> None:
    """Follow the "Later" link once, then on to ``week`` weeks ahead (by the address that
    link has, to spare page loads) and further until a week has free moments."""
    current = week_offset(page)
    if current < week:
        _click_later(page, current)
        current += 1
    if current < week:
        page.goto(_with_week(page.url, week))
        current = week
    while not slot_buttons(page):
        _click_later(page, current)
        current += 1


def _click_later(page: Page, current: int) -> None:
    later = page.locator(f".week-nav a[href*='week={current + 1}']")
    assert later.count() == 1, f"no free moment up to week {current}"
    later.click()
    page.wait_for_url(re.compile(rf"week={current + 1}\b"))


def _with_week(url: str, week: int) -> str:
    if re.search(r"[?&]week=\d+", url):
        return re.sub(r"([?&]week=)\d+", rf"\g<1>{week}", url)
    return url + ("&" if "?" in url else "?") + f"week={week}"


def week_offset(page: Page) -> int:
    found = re.search(r"[?&]week=(\d+)", page.url)
    return int(found.group(1)) if found else 0


def choose_moment(page: Page, *, week: int, index: int = 0, value: str | None = None) -> str:
    """Press a moment button: ``value`` when given, else the ``index``-th of the week."""
    go_to_week(page, week)
    values = slot_buttons(page)
    chosen = value if value is not None else values[min(index, len(values) - 1)]
    page.locator(f"button.slot[value='{chosen}']").click()
    page.wait_for_load_state()
    return chosen


def enter_details(page: Page, name: str, phone: str) -> None:
    page.fill("#name", name)
    page.fill("#phone", phone)
    submit(page)


def confirm(page: Page) -> str:
    """Confirm on the check page; the manage link (the appointment page without ``?new=1``)."""
    submit(page)
    page.wait_for_url(re.compile(r"/appointment/[^/?]+\?new=1$"))
    reference = page.locator(".reference").inner_text().strip()
    assert REFERENCE.match(reference), reference
    return page.url.split("?")[0]


def assert_on(page: Page, path: str) -> None:
    """The browser is on ``path`` (its query aside), that page loaded: a click's navigation
    may still be under way when this is called."""
    wanted = re.compile(rf"{re.escape(path)}(\?|$)")
    try:
        page.wait_for_url(wanted, timeout=10_000)  # waits for the page's load event too
    except PlaywrightTimeoutError:
        raise AssertionError(f"{page.url} is not {path}") from None


def download_ics(page: Page) -> str:
    with page.expect_download() as info:
        page.locator("a[href$='/calendar.ics']").click()
    path = info.value.path()
    return Path(path).read_text(encoding="utf-8")


def when(page: Page) -> str:
    """The appointment page's "When" line (the second line of its summary)."""
    return page.locator("dl.summary > div").nth(1).locator("dd").inner_text().strip()


# --- Data straight from the database ---------------------------------------------------------


def db(live_server: LiveServer) -> Session:
    return Session(live_server.app.extensions["db_engine"])


def forget_rate_limits(live_server: LiveServer) -> None:
    """Every browser books from 127.0.0.1: start each booking test with a clean hourly count
    (the limits themselves are proven by tests/app/test_web_booking.py)."""
    with db(live_server) as session, session.begin():
        session.execute(delete(RateLimitHit))


def seeded_invitation(live_server: LiveServer) -> str:
    """The demo's open invitation (the code ``seed-demo`` prints): valid now, no appointment.

    Only test_booking_flow's typed-code test books with it; it fails loudly when it is gone.
    """
    now = datetime.now(UTC)
    with db(live_server) as session:
        taken = select(Booking.invitation_id).where(
            Booking.status == BookingStatus.CONFIRMED, Booking.invitation_id.is_not(None)
        )
        codes = session.scalars(
            select(Invitation.code)
            .where(
                Invitation.valid_from <= now,
                Invitation.valid_until >= now,
                Invitation.id.not_in(taken),
                Invitation.code.not_like(f"{TEST_INVITATION}%"),
            )
            .order_by(Invitation.id)
        ).all()
    assert codes, "the demo seed has no open invitation left"
    return codes[0]


TEST_INVITATION = "INV-T"  # too short to be one of the seed's codes (8 characters)


def new_invitation(live_server: LiveServer, handler: str) -> str:
    """A fresh invitation code for the dossier service with the case handler ``handler``."""
    now = datetime.now(UTC)
    with db(live_server) as session, session.begin():
        staff = session.scalars(select(Staff).where(Staff.personnel_number == handler)).one()
        service = session.scalars(select(Service).where(Service.code == "dossier")).one()
        count = len(session.scalars(select(Invitation.id)).all())
        code = f"{TEST_INVITATION}{count:05d}"
        session.add(
            Invitation(
                code=code,
                staff_id=staff.id,
                service_id=service.id,
                dossier_code=f"PV 2026/{9000 + count}",
                phone=None,
                valid_from=now - timedelta(minutes=1),
                valid_until=now + timedelta(days=30),
                created_at=now,
            )
        )
    return code


def engine_booking(
    live_server: LiveServer,
    *,
    days_ahead: int,
    language: str,
    cancelled: bool = False,
    too_close: bool = False,
) -> str:
    """A weapons-service appointment booked through the engine; its manage token.

    ``too_close`` then moves it to within the hour: the one state no citizen can reach by
    booking (the service asks two hours' notice and allows changes until two hours before),
    which the appointment page must still explain.
    """
    now = datetime.now(UTC)
    zone = live_server.app.config["BLAUWLIJN"].zone
    with db(live_server) as session, session.begin():
        service = session.scalars(select(Service).where(Service.code == "wapens")).one()
        first = now.astimezone(zone).date() + timedelta(days=days_ahead)
        slots = find_slots(
            session,
            service=service,
            staff_ids=[s.id for s in service.team],
            first_day=first,
            last_day=first + timedelta(days=13),
            now=now,
            zone=zone,
            location=LocationKind.OFFICE,
        )
        slot = slots[0]
        booked = book(
            session,
            request=BookingRequest(
                "wapens",
                slot.start,
                slot.staff_ids[0],
                LocationKind.OFFICE,
                Citizen("Axel Tester", "+32470999888"),
                language=language,
            ),
            actor=Actor.citizen(Channel.WEB),
            now=now,
            zone=zone,
        )
        if cancelled:
            cancel(
                session,
                booking=booked.booking,
                actor=Actor.citizen(Channel.WEB),
                now=now,
                reason="Test",
            )
        if too_close:
            booked.booking.start_at = now + timedelta(minutes=60)
            booked.booking.end_at = now + timedelta(minutes=90)
    return booked.manage_token


def queued_caller(
    session: Session, caller: str, *, waited: int, topic: str = "appointment"
) -> Call:
    """A caller the IVR put in the call-takers' queue ``waited`` seconds ago (the row
    ivr/queue.py writes), for the console and supervisor pages to show."""
    now = datetime.now(UTC)
    call = Call(
        call_sid=f"CA{now.timestamp() * 1e6:032.0f}",
        caller=caller,
        language="nl",
        topic=topic,
        path=["voice", f"topic:{topic}"],
        state={},
        started_at=now - timedelta(seconds=waited),
        outcome="queued",
    )
    session.add(call)
    session.flush()
    return call

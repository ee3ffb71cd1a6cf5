"""The official address register (BeST Address CSV): read, imported all or nothing and
idempotently, and then a street is found by its name in any of its languages."""

import io

import pytest
from sqlalchemy import select, text

from app.addresses.best import BadRegisterFile, current_addresses, municipalities_with
from app.addresses.importer import NothingForTheZone, import_register
from app.places import zone_streets
from scheduling.addresses import Address, canonical, district_for
from scheduling.errors import AddressNotInZone
from scheduling.models import SCHEDULE_TABLES, DistrictStreet, RegisterAddress, Street
from tests.factories import make_district, make_staff

HEADER = (
    "EPSG:31370_x,EPSG:31370_y,EPSG:4326_lat,EPSG:4326_lon,address_id,box_number,"
    "house_number,municipality_id,municipality_name_de,municipality_name_fr,"
    "municipality_name_nl,postcode,postname_fr,postname_nl,street_id,streetname_de,"
    "streetname_fr,streetname_nl,region_code,status"
)
BEVER = "23009,,Biévène,Bever,1547,Biévène,Bever"
LENNIK = "23104,,,Lennik,1750,,Lennik"
HALLE = "23027,,Hal,Halle,1500,Hal,Halle"


def _row(
    address_id: str,
    number: str,
    town: str,
    street_id: str,
    names: str,
    *,
    box: str = "",
    status: str = "current",
    lat: str = "50.7171",
    lon: str = "3.9452",
) -> str:
    """One register row; ``names`` is "de,fr,nl", ``town`` the municipality's seven fields."""
    return (
        f"128000.1,150000.2,{lat},{lon},{address_id},{box},{number},{town},{street_id},"
        f"{names},BE-VLG,{status}"
    )


KERKSTRAAT = ",Rue de l'Église,Kerkstraat"
ROWS = [
    _row("5001", "1", BEVER, "1001", KERKSTRAAT),
    _row("5002", "1", BEVER, "1001", KERKSTRAAT, box="1"),  # a box of number 1: one address
    _row("5003", "3", BEVER, "1001", KERKSTRAAT),
    _row("5004", "5", BEVER, "1001", KERKSTRAAT, status="retired"),  # history
    _row("6001", "1", LENNIK, "2001", ",,Markt", lat="50.8063", lon="4.1620"),  # nl only
    _row("6002", "2A", LENNIK, "2001", ",,Markt", lat="50.8064", lon="4.1621"),
    _row("7001", "1", HALLE, "3001", ",Rue de la Basilique,Basiliekstraat"),  # not the zone's
]
REGISTER = "\n".join([HEADER, *ROWS]) + "\n"


def _snapshot(session) -> tuple[list[tuple], list[tuple], list[tuple]]:
    session.flush()
    session.expire_all()
    return (
        sorted(
            session.execute(
                select(Street.id, Street.best_id, Street.name_nl, Street.name_fr, Street.key_fr)
            ).tuples()
        ),
        sorted(session.execute(select(RegisterAddress.__table__)).tuples()),
        sorted(session.execute(select(DistrictStreet.id, DistrictStreet.street_id)).tuples()),
    )


@pytest.fixture
def district(session):
    """A district with a Bever and a Lennik street, and one the register does not know."""
    return make_district(
        session,
        make_staff(session),
        streets=(("1547", "Kerkstraat"), ("1750", "Markt"), ("1547", "Verzonnenstraat")),
    )


# --- Reading the file (no database) -------------------------------------------------------


def test_the_reader_keeps_current_addresses_of_the_municipalities_asked_for():
    rows = list(current_addresses(io.StringIO(REGISTER), {"23009", "23104"}))
    assert [(r.address_id, r.house_number, r.box_number) for r in rows] == [
        ("BE-VLG:5001", "1", ""),
        ("BE-VLG:5002", "1", "1"),
        ("BE-VLG:5003", "3", ""),
        ("BE-VLG:6001", "1", ""),
        ("BE-VLG:6002", "2A", ""),
    ]
    first = rows[0]
    assert (first.street.nl, first.street.fr, first.street.de) == (
        "Kerkstraat",
        "Rue de l'Église",
        "",
    )
    assert (first.nis_code, first.postcode, first.street_id) == ("23009", "1547", "BE-VLG:1001")
    assert (first.lat, first.lon) == (50.7171, 3.9452)
    assert first.municipality.fr == "Biévène"


def test_the_municipalities_come_from_the_postcodes():
    assert municipalities_with(io.StringIO(REGISTER), {"1547", "1750"}) == {"23009", "23104"}


@pytest.mark.parametrize(
    ("register", "line", "column"),
    [
        (REGISTER.replace("EPSG:4326_lat", "lat"), 1, "EPSG:4326_lat"),
        ("", 1, "-"),
        (REGISTER.replace("50.8064", "50,8064"), 7, "-"),  # a comma too many: 21 fields
        (REGISTER.replace("50.8064", "fifty"), 7, "EPSG:4326_lat"),
        (REGISTER.replace("4.1621", "150000.2"), 7, "EPSG:4326_lon"),  # Lambert 72, not WGS-84
        (
            REGISTER.replace(",3,23009,,Biévène,Bever,1547,", ",3,23009,,Biévène,Bever,15470,"),
            4,
            "postcode",
        ),
        (REGISTER.replace("1547,Biévène,Bever,1001", "1547,Biévène,Bever,"), 2, "street_id"),
    ],
)
def test_a_malformed_file_names_its_line_and_column(register, line, column):
    with pytest.raises(BadRegisterFile) as refused:
        list(current_addresses(io.StringIO(register), {"23009", "23104"}))
    assert (refused.value.line, refused.value.column) == (line, column)
    assert f"line {line}, column {column}" in str(refused.value)


# --- Importing it ---------------------------------------------------------------------------


def test_import_keeps_the_zones_streets_in_every_language_and_one_address_per_number(
    session, district
):
    imported = import_register(session, io.StringIO(REGISTER))
    assert imported.municipalities == {"23009": "Bever / Biévène", "23104": "Lennik"}
    streets = {s.name_nl: s for s in session.scalars(select(Street))}
    assert set(streets) == {"Kerkstraat", "Markt"}  # not Halle's
    assert (streets["Kerkstraat"].name_fr, streets["Kerkstraat"].key_fr) == (
        "Rue de l'Église",
        "ruedeleglise",
    )
    assert (streets["Markt"].name_fr, streets["Markt"].key_fr) == ("", "")
    addresses = {
        (a.best_id, a.house_number, a.number, a.postcode, a.lat, a.lon)
        for a in session.scalars(select(RegisterAddress))
    }
    assert addresses == {
        ("BE-VLG:5001", "1", 1, "1547", 50.7171, 3.9452),  # the box row left out
        ("BE-VLG:5003", "3", 3, "1547", 50.7171, 3.9452),  # number 5 is retired
        ("BE-VLG:6001", "1", 1, "1750", 50.8063, 4.1620),
        ("BE-VLG:6002", "2A", 2, "1750", 50.8064, 4.1621),
    }
    assert (imported.addresses.added, imported.streets.added) == (4, 2)
    linked = {s.street: s.street_id for s in district.streets}
    assert linked == {
        "Kerkstraat": streets["Kerkstraat"].id,
        "Markt": streets["Markt"].id,
        "Verzonnenstraat": None,
    }
    assert imported.linked == 2
    assert imported.not_found == [("1547", "Verzonnenstraat")]
    assert "  1547 Verzonnenstraat" in imported.lines()


def test_the_same_file_twice_changes_nothing(session, district):
    import_register(session, io.StringIO(REGISTER))
    before = _snapshot(session)
    again = import_register(session, io.StringIO(REGISTER))
    assert _snapshot(session) == before
    assert (str(again.streets), str(again.addresses), again.linked) == (
        "0 added, 0 changed, 0 removed",
        "0 added, 0 changed, 0 removed",
        0,
    )


def test_what_left_the_register_goes_only_in_the_municipalities_the_file_covers(session, district):
    import_register(session, io.StringIO(REGISTER))
    bever_only = [
        _row("5001", "1", BEVER, "1001", KERKSTRAAT),
        _row("5003", "3", BEVER, "1001", KERKSTRAAT, status="retired"),
    ]
    imported = import_register(session, io.StringIO("\n".join([HEADER, *bever_only])))
    assert imported.municipalities == {"23009": "Bever / Biévène"}
    assert str(imported.addresses) == "0 added, 0 changed, 1 removed"
    left = set(session.scalars(select(RegisterAddress.best_id)))
    assert left == {"BE-VLG:5001", "BE-VLG:6001", "BE-VLG:6002"}  # Lennik kept


def test_a_street_that_left_the_register_unlinks_its_district_street(session, district):
    import_register(session, io.StringIO(REGISTER))
    renumbered = REGISTER.replace(",1001,", ",1009,")  # Kerkstraat under a new register id
    imported = import_register(session, io.StringIO(renumbered))
    assert (imported.streets.added, imported.streets.removed, imported.unlinked) == (1, 1, 1)
    assert imported.linked == 1  # linked again, to the new one
    kerkstraat = session.scalars(select(Street).where(Street.best_id == "BE-VLG:1009")).one()
    row = next(s for s in district.streets if s.street == "Kerkstraat")
    assert row.street_id == kerkstraat.id


def test_one_id_for_two_addresses_is_refused_before_anything_is_written(session, district):
    twice = REGISTER.replace("5003,,3,", "5001,,3,")  # line 4 reuses the id of line 2
    with pytest.raises(BadRegisterFile) as refused:
        import_register(session, io.StringIO(twice))
    assert (refused.value.line, refused.value.column) == (4, "address_id")
    assert session.scalar(select(Street.id)) is None


def test_a_file_without_the_zones_municipalities_is_refused(session, district):
    with pytest.raises(NothingForTheZone):
        import_register(session, io.StringIO("\n".join([HEADER, ROWS[-1]])))


# --- The command: all or nothing ------------------------------------------------------------


@pytest.fixture
def run(app, tmp_path):
    runner = app.test_cli_runner()

    def invoke(register: str, *args: str):
        path = tmp_path / "best.csv"
        path.write_text(register, encoding="utf-8")
        return runner.invoke(args=["addresses-import", str(path), *args])

    return invoke


def test_the_command_imports_and_says_what_it_linked(run, session, district):
    result = run("\ufeff" + REGISTER)  # a byte-order mark, as spreadsheets write
    assert result.exit_code == 0, result.output
    assert "addresses: 4 added, 0 changed, 0 removed" in result.output
    assert "district streets linked to the register: 2 now" in result.output
    assert "  1547 Verzonnenstraat" in result.output


def test_the_command_takes_the_municipalities_it_is_given(run, session, district):
    result = run(REGISTER, "--municipality", "23027")
    assert result.exit_code == 0, result.output
    assert set(session.scalars(select(Street.name_nl))) == {"Basiliekstraat"}


def test_a_broken_file_changes_nothing_and_says_where(run, session, district):
    assert run(REGISTER).exit_code == 0
    before = _snapshot(session)
    changed = REGISTER.replace("6001,,1,", "6001,,9,").replace("50.8064", "x")  # lines 6, 7
    result = run(changed)
    assert result.exit_code == 1
    assert "nothing imported" in result.output
    assert "line 7, column EPSG:4326_lat: not a number" in result.output
    assert _snapshot(session) == before

    result = run(REGISTER.replace("house_number", "huisnummer"))
    assert result.exit_code == 1
    assert "line 1, column house_number" in result.output
    assert _snapshot(session) == before


# --- Finding a district by the register's names --------------------------------------------


def test_a_street_is_found_by_its_name_in_any_language(session, district):
    with pytest.raises(AddressNotInZone):
        district_for(session, Address("1547", "Rue de l'Eglise", "1"))
    import_register(session, io.StringIO(REGISTER))
    for typed in ("Kerkstraat", "rue de l'eglise", "Rue de l’Église"):
        assert district_for(session, Address("1547", typed, "3")).id == district.id
    assert canonical(session, Address("1547", "rue de l eglise", "3")) == Address(
        "1547", "Rue de l'Église", "3"
    )
    assert canonical(session, Address("1547", "kerkstraat", "3")) == Address(
        "1547", "Kerkstraat", "3"
    )
    assert canonical(session, Address("1750", "markt", "2A")) == Address("1750", "Markt", "2A")
    with pytest.raises(AddressNotInZone):  # the name, but not in this postcode
        district_for(session, Address("1750", "Rue de l'Église", "1"))


def test_the_number_ranges_stay_with_the_register(session):
    low, high = make_staff(session), make_staff(session)
    first = make_district(session, low, streets=())
    second = make_district(session, high, streets=())
    session.add_all(
        [
            DistrictStreet(
                district_id=first.id,
                postcode="1547",
                street="Kerkstraat",
                street_key="kerkstraat",
                number_to=2,
            ),
            DistrictStreet(
                district_id=second.id,
                postcode="1547",
                street="Kerkstraat",
                street_key="kerkstraat",
                number_from=3,
            ),
        ]
    )
    session.flush()
    import_register(session, io.StringIO(REGISTER))
    assert district_for(session, Address("1547", "Rue de l'Église", "1")).id == first.id
    assert district_for(session, Address("1547", "Rue de l'Église", "3")).id == second.id


def test_street_suggestions_give_every_language_of_the_zones_streets(app, session, district):
    import_register(session, io.StringIO(REGISTER))
    assert zone_streets(session) == [
        "Kerkstraat",
        "Markt",
        "Rue de l'Église",
        "Verzonnenstraat",
    ]


def test_every_schedule_table_bumps_the_schedule_version(connection):
    """Migration 0013 adds a column to district_streets: on SQLite that copies the table,
    which would drop its triggers, and then cached slot searches would go stale."""
    if connection.dialect.name == "sqlite":
        query = (
            "SELECT DISTINCT tbl_name FROM sqlite_master "
            "WHERE type = 'trigger' AND name LIKE 'bump_schedule_version%'"
        )
    else:
        query = (
            "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger "
            "WHERE tgname = 'bump_schedule_version'"
        )
    assert set(connection.execute(text(query)).scalars()) == set(SCHEDULE_TABLES)

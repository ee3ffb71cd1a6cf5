"""The application's configuration, read from the environment in one place (README.md, "What a zone configures")."""

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from app.email_address import normalized_email
from app.enterprise_number import enterprise_number
from app.key_strength import weakness
from app.phone import e164_or_none
from scheduling.errors import InvalidRequest
from scheduling.hours import Hours, parse_hours

DEFAULT_FROM_NUMBER = "+3254313501"
DEFAULT_CALLTAKER_HOURS = "mon-fri 07:00-21:00"
DEFAULT_ANSWER_HOURS = "mon-fri 08:00-17:00"
# Belgium's national help lines, shown beside the sensitive reporting flow: violence and
# abuse, discrimination (Unia), suicide prevention (Dutch- and French-speaking lines).
DEFAULT_HELP_LINES = (
    ("1712", "1712"),
    ("Unia", "0800 12 800"),
    ("Zelfmoordlijn", "1813"),
    ("Centre de prévention du suicide", "0800 32 123"),
)
DEFAULT_QUICK_EXIT_URL = "https://www.meteo.be/"
# Where the demo zone forwards reports to its six municipalities (made up, demo mode only: a
# real zone that forgot MUNICIPALITY_EMAILS must never send a citizen's report to them).
DEMO_MUNICIPALITY_EMAILS = (
    ("Bever", "milieu@bever.example.be"),
    ("Galmaarden", "milieu@galmaarden.example.be"),
    ("Gooik", "milieu@gooik.example.be"),
    ("Herne", "milieu@herne.example.be"),
    ("Lennik", "milieu@lennik.example.be"),
    ("Pepingen", "milieu@pepingen.example.be"),
)
# Twilio's Amazon Polly neural voices for Belgian Dutch, Belgian French and British English.
DEFAULT_VOICES = (
    ("nl", "Polly.Lisa-Neural"),
    ("fr", "Polly.Isabelle-Neural"),
    ("en", "Polly.Amy-Neural"),
)
MIN_API_KEY_LENGTH = 24
MAX_SENDER_ID_LENGTH = 11
STATIC_DIR = (Path(__file__).parent / "static").resolve()


@dataclass(frozen=True)
class Config:
    database_url: str
    secret_key: str
    public_base_url: str
    zone_timezone: str
    twilio_account_sid: str | None
    twilio_auth_token: str | None
    twilio_from_number: str
    twilio_api_base_url: str | None
    sms_transport: str
    zone_name: str = "Pajottenland"
    demo_mode: bool = False
    # Unset: the GALOP push endpoint refuses every request. Kept out of repr (and so of logs).
    galop_api_key: str | None = field(default=None, repr=False)
    # An alphanumeric sender id (e.g. "PZPajotten") instead of the blue number, where allowed.
    sms_sender_id: str | None = None
    # A message claimed by a worker that died is offered again after this many seconds.
    sms_send_lease_seconds: int = 300
    # Database connections per process: kept open, and opened on top of those under load
    # (and closed again at once: a connection costs PostgreSQL a process, so the kept ones
    # should cover a worker's usual concurrency; bench/RESULTS.md, voice webhooks).
    db_pool_size: int = 10
    db_max_overflow: int = 10
    # The blue number (ivr): when call-takers answer, their Twilio queue, when a waiting
    # caller is offered a call-back, the Twilio voice per language, what the keypad books.
    calltaker_hours: Hours = field(default_factory=lambda: parse_hours(DEFAULT_CALLTAKER_HOURS))
    calltaker_queue: str = "calltakers"
    queue_callback_after_seconds: int = 120
    ivr_voices: tuple[tuple[str, str], ...] = DEFAULT_VOICES
    ivr_booking_service: str = "wijkagent"
    # E-mail, the second channel: on when a host and a sender address are set.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str | None = None
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_starttls: bool = False
    # How e-mail leaves: "smtp" (SMTP_HOST and SMTP_FROM set), "log" (sends nothing, logs
    # that it left: `make run` without a relay), None: the zone sends no e-mail.
    mail_transport: str | None = None
    # The call-takers' console (callcenter): a Twilio API key and TwiML App for the browser
    # phone (unset: the console works without it and says so), how long an access token
    # lives, and how long one Server-Sent Events connection stays open before the browser
    # reconnects (each open stream holds a worker thread).
    twilio_api_key_sid: str | None = None
    twilio_api_key_secret: str | None = field(default=None, repr=False)
    twilio_twiml_app_sid: str | None = None
    console_token_ttl_seconds: int = 600
    console_stream_seconds: int = 55
    # How many reverse proxies in front of the app to believe about the client's address and
    # scheme (X-Forwarded-For/-Proto): 0, the peer is the client. Rate limits key on it.
    trusted_proxies: int = 0
    # How long personal data is kept (app.retention purges it; the privacy page shows it).
    retention_appointment_days: int = 365
    retention_contact_days: int = 90
    # The zone as publisher (legal notice) and its data-protection officer (privacy page).
    # The defaults are the demo zone's, made up; a zone sets its own.
    zone_publisher: str = "Politiezone Pajottenland (PZ 5405)"
    zone_address: str = "Ninoofsesteenweg 9, 1500 Halle"
    zone_enterprise_number: str = "0212.345.668"
    dpo_name: str = "An Demeester"
    dpo_email: str = "dpo@pajottenland.example.be"
    # Where report photos are kept (app.reports.photos): never under the static folder.
    report_uploads_dir: Path = Path("instance") / "uploads"
    # The contact form's promise: an answer within this many working days of the zone's
    # answer hours (weekends, Belgian public holidays and CLOSED_DAYS skipped).
    question_answer_days: int = 5
    answer_hours: Hours = field(default_factory=lambda: parse_hours(DEFAULT_ANSWER_HOURS))
    # The sensitive reporting flow: help lines listed on its pages (name, number), and where
    # its quick-exit button leaves to (a neutral site).
    help_lines: tuple[tuple[str, str], ...] = DEFAULT_HELP_LINES
    quick_exit_url: str = DEFAULT_QUICK_EXIT_URL
    # Where the intake desk forwards a report per municipality (name, e-mail address).
    municipality_emails: tuple[tuple[str, str], ...] = ()
    # The bailiffs' portal: whether an office sees the names of the officers who go (off:
    # their number only), and the number its pages give to call inside a booking's cut-off
    # (unset: the blue number).
    bailiff_show_officer_names: bool = False
    bailiff_desk_phone: str | None = None
    # An earlier moment offered by SMS waits this long for JA before it passes to the next
    # citizen who asked (app.earlier.offers).
    earlier_offer_minutes: int = 30
    # Operations (docs/operations.md): /metrics answers only with this bearer token (unset:
    # 404, as if there were none); "json" writes every log record as one JSON line.
    metrics_token: str | None = field(default=None, repr=False)
    log_format: str = "text"

    @property
    def email_enabled(self) -> bool:
        return self.mail_transport == "log" or bool(self.smtp_host and self.smtp_from)

    def municipality_email(self, municipality: str | None) -> str | None:
        """The address reports in ``municipality`` are forwarded to (None: not configured)."""
        wanted = (municipality or "").strip().casefold()
        for name, address in self.municipality_emails:
            if wanted and name.casefold() == wanted:
                return address
        return None

    @property
    def desk_phone(self) -> str:
        """Whom a bailiff office calls about a booking the portal can no longer change."""
        return self.bailiff_desk_phone or self.twilio_from_number

    @property
    def sms_sender(self) -> str:
        return self.sms_sender_id or self.twilio_from_number

    @property
    def closed_days(self) -> frozenset[date]:
        """The zone's own closing days (CLOSED_DAYS): call-takers and offices alike."""
        return self.calltaker_hours.closed_days

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.zone_timezone)

    @classmethod
    def from_env(cls, instance_path: Path, env: dict[str, str] | None = None) -> "Config":
        env = dict(os.environ if env is None else env)
        sid = env.get("TWILIO_ACCOUNT_SID") or None
        token = env.get("TWILIO_AUTH_TOKEN") or None
        return cls(
            database_url=env.get("DATABASE_URL")
            or f"sqlite:///{instance_path / 'blauwlijn.sqlite3'}",
            secret_key=_secret_key(env.get("SECRET_KEY") or None, instance_path),
            # Unset, links point where `make run` serves: PORT=8000 make run links to :8000.
            public_base_url=(
                env.get("PUBLIC_BASE_URL") or f"http://127.0.0.1:{env.get('PORT') or 5000}"
            ).rstrip("/"),
            zone_timezone=env.get("ZONE_TIMEZONE", "Europe/Brussels"),
            twilio_account_sid=sid,
            twilio_auth_token=token,
            twilio_from_number=env.get("TWILIO_FROM_NUMBER", DEFAULT_FROM_NUMBER),
            twilio_api_base_url=env.get("TWILIO_API_BASE_URL") or None,
            sms_transport=env.get("SMS_TRANSPORT") or ("twilio" if sid and token else "log"),
            zone_name=env.get("ZONE_NAME", "Pajottenland"),
            demo_mode=env.get("BLAUWLIJN_DEMO", "") == "1",
            galop_api_key=_api_key(env.get("GALOP_API_KEY") or None),
            sms_sender_id=_sender_id(env.get("SMS_SENDER_ID") or None),
            sms_send_lease_seconds=int(env.get("SMS_SEND_LEASE_SECONDS") or 300),
            db_pool_size=_connections(env, "DB_POOL_SIZE", 10, least=1),
            db_max_overflow=_connections(env, "DB_MAX_OVERFLOW", 10, least=0),
            calltaker_hours=parse_hours(
                env.get("CALLTAKER_HOURS") or DEFAULT_CALLTAKER_HOURS, env.get("CLOSED_DAYS", "")
            ),
            calltaker_queue=env.get("CALLTAKER_QUEUE") or "calltakers",
            queue_callback_after_seconds=int(env.get("QUEUE_CALLBACK_AFTER_SECONDS") or 120),
            ivr_voices=tuple(
                (lang, env.get(f"IVR_VOICE_{lang.upper()}") or voice)
                for lang, voice in DEFAULT_VOICES
            ),
            ivr_booking_service=env.get("IVR_BOOKING_SERVICE") or "wijkagent",
            smtp_host=env.get("SMTP_HOST") or None,
            smtp_port=int(env.get("SMTP_PORT") or 25),
            smtp_from=env.get("SMTP_FROM") or None,
            smtp_user=env.get("SMTP_USER") or None,
            smtp_password=env.get("SMTP_PASSWORD") or None,
            smtp_starttls=env.get("SMTP_STARTTLS", "") == "1",
            mail_transport=_mail_transport(env),
            twilio_api_key_sid=env.get("TWILIO_API_KEY_SID") or None,
            twilio_api_key_secret=env.get("TWILIO_API_KEY_SECRET") or None,
            twilio_twiml_app_sid=env.get("TWILIO_TWIML_APP_SID") or None,
            console_token_ttl_seconds=int(env.get("CONSOLE_TOKEN_TTL_SECONDS") or 600),
            console_stream_seconds=int(env.get("CONSOLE_STREAM_SECONDS") or 55),
            trusted_proxies=_proxy_count(env.get("TRUSTED_PROXIES") or "0"),
            retention_appointment_days=_days(env, "RETENTION_APPOINTMENT_DAYS", 365),
            retention_contact_days=_days(env, "RETENTION_CONTACT_DAYS", 90),
            zone_publisher=env.get("ZONE_PUBLISHER") or cls.zone_publisher,
            zone_address=env.get("ZONE_ADDRESS") or cls.zone_address,
            zone_enterprise_number=_enterprise_number(
                env.get("ZONE_ENTERPRISE_NUMBER") or cls.zone_enterprise_number
            ),
            dpo_name=env.get("DPO_NAME") or cls.dpo_name,
            dpo_email=_dpo_email(env.get("DPO_EMAIL") or cls.dpo_email),
            report_uploads_dir=_uploads_dir(env.get("REPORT_UPLOADS_DIR") or None, instance_path),
            question_answer_days=_days(env, "QUESTION_ANSWER_DAYS", 5),
            answer_hours=parse_hours(
                env.get("ANSWER_HOURS") or DEFAULT_ANSWER_HOURS, env.get("CLOSED_DAYS", "")
            ),
            help_lines=_help_lines(env.get("HELP_LINES") or None),
            quick_exit_url=_https_url("QUICK_EXIT_URL", env.get("QUICK_EXIT_URL") or None)
            or DEFAULT_QUICK_EXIT_URL,
            municipality_emails=_municipality_emails(
                env.get("MUNICIPALITY_EMAILS") or None, demo=env.get("BLAUWLIJN_DEMO", "") == "1"
            ),
            bailiff_show_officer_names=env.get("BAILIFF_SHOW_OFFICER_NAMES", "") == "1",
            bailiff_desk_phone=_desk_phone(env.get("BAILIFF_DESK_PHONE") or None),
            earlier_offer_minutes=_minutes(env, "EARLIER_OFFER_MINUTES", 30),
            metrics_token=_secret("METRICS_TOKEN", env.get("METRICS_TOKEN") or None),
            log_format=log_format(env),
        )


def _desk_phone(number: str | None) -> str | None:
    """BAILIFF_DESK_PHONE as +32…; a number that is none stops the start loudly."""
    if number is None:
        return None
    normalized = e164_or_none(number)
    if normalized is None:
        raise ValueError("BAILIFF_DESK_PHONE must be a phone number, e.g. 054 31 35 01")
    return normalized


def _mail_transport(env: dict[str, str]) -> str | None:
    """MAIL_TRANSPORT, or SMTP when a relay is configured, else none (`make run` sets the
    log when no relay is: scripts/run.sh)."""
    relay = bool(env.get("SMTP_HOST") and env.get("SMTP_FROM"))
    asked = env.get("MAIL_TRANSPORT") or None
    if asked == "smtp" and not relay:
        raise ValueError("MAIL_TRANSPORT=smtp needs SMTP_HOST and SMTP_FROM")
    if asked not in (None, "smtp", "log"):
        raise ValueError(f"unknown MAIL_TRANSPORT {asked!r} (smtp or log)")
    if asked:
        return asked
    return "smtp" if relay else None


def _help_lines(text: str | None) -> tuple[tuple[str, str], ...]:
    """``HELP_LINES="1712=1712;Unia=0800 12 800"``: name=number pairs, in the order shown."""
    if text is None:
        return DEFAULT_HELP_LINES
    lines = []
    for pair in filter(None, (p.strip() for p in text.split(";"))):
        name, sep, number = pair.partition("=")
        if not sep or not name.strip() or not number.strip():
            raise ValueError(f"HELP_LINES: {pair!r} is not name=number")
        lines.append((name.strip(), number.strip()))
    return tuple(lines)


def _municipality_emails(text: str | None, *, demo: bool) -> tuple[tuple[str, str], ...]:
    """``MUNICIPALITY_EMAILS="Gooik=milieu@gooik.example.be;Lennik=..."``: one e-mail address
    per municipality (as the address register names it). Unset: none, the demo's in demo mode."""
    if text is None:
        return DEMO_MUNICIPALITY_EMAILS if demo else ()
    found: list[tuple[str, str]] = []
    for pair in filter(None, (p.strip() for p in text.split(";"))):
        name, sep, address = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"MUNICIPALITY_EMAILS: {pair!r} is not municipality=address")
        try:
            found.append((name.strip(), normalized_email(address)))
        except InvalidRequest as refused:
            raise ValueError(
                f"MUNICIPALITY_EMAILS: {name.strip()!r} needs one e-mail address"
            ) from refused
    return tuple(found)


def _https_url(name: str, url: str | None) -> str | None:
    if url is not None and not url.startswith("https://"):
        raise ValueError(f"{name} must be an https:// address")
    return url


def _api_key(key: str | None) -> str | None:
    """A shared secret long enough not to be guessed; a short one stops the start loudly."""
    if key is not None and len(key.strip()) < MIN_API_KEY_LENGTH:
        raise ValueError(f"GALOP_API_KEY must be at least {MIN_API_KEY_LENGTH} characters")
    return key.strip() if key else None


def _secret(name: str, key: str | None) -> str | None:
    """A bearer token long enough not to be guessed; a short one stops the start loudly."""
    if key is not None and len(key.strip()) < MIN_API_KEY_LENGTH:
        raise ValueError(f"{name} must be at least {MIN_API_KEY_LENGTH} characters")
    return key.strip() if key else None


def log_format(env: Mapping[str, str]) -> str:
    """LOG_FORMAT: "text" (the default) or "json". Read by gunicorn's master too, before any
    app exists (app.logs.RedactingLogger)."""
    value = (env.get("LOG_FORMAT") or "text").strip().lower()
    if value not in ("text", "json"):
        raise ValueError('LOG_FORMAT must be "text" or "json"')
    return value


def _sender_id(sender: str | None) -> str | None:
    """An alphanumeric sender id: 1-11 letters, digits or spaces, at least one letter."""
    if sender is None:
        return None
    if not (
        len(sender) <= MAX_SENDER_ID_LENGTH
        and all(c.isascii() and (c.isalnum() or c == " ") for c in sender)
        and any(c.isalpha() for c in sender)
    ):
        raise ValueError("SMS_SENDER_ID must be 1-11 letters, digits or spaces, with a letter")
    return sender


def _connections(env: dict[str, str], name: str, default: int, *, least: int) -> int:
    raw = env.get(name) or str(default)
    if not raw.isdigit() or int(raw) < least:
        raise ValueError(f"{name} must be a whole number of connections, at least {least}")
    return int(raw)


def _secret_key(key: str | None, instance_path: Path) -> str:
    """SECRET_KEY, or the one generated into instance/; a weak one stops the start loudly: it
    signs the session cookie, and a guessed key forges anyone's staff session."""
    where = "SECRET_KEY" if key is not None else f"the key in {instance_path / 'secret_key'}"
    key = key if key is not None else _stored_secret(instance_path)
    problem = weakness(key)
    if problem is not None:
        raise ValueError(
            f"{where} is too weak to sign sessions ({problem}): use at least 32 random bytes, "
            "e.g. python3 -c 'import secrets; print(secrets.token_hex(32))'"
        )
    return key


def _proxy_count(value: str) -> int:
    """TRUSTED_PROXIES: a whole number, 0 or more."""
    if not (value.strip().isascii() and value.strip().isdigit()):
        raise ValueError(
            "TRUSTED_PROXIES must be the number of reverse proxies in front of the app (0 or more)"
        )
    return int(value)


def _days(env: dict[str, str], name: str, default: int) -> int:
    """A retention period: a whole number of days, at least 1."""
    value = (env.get(name) or str(default)).strip()
    if not (value.isascii() and value.isdigit() and int(value) >= 1):
        raise ValueError(f"{name} must be a whole number of days, at least 1")
    return int(value)


def _minutes(env: dict[str, str], name: str, default: int) -> int:
    """A number of minutes from 5 to a day: shorter, nobody reads the SMS in time."""
    value = (env.get(name) or str(default)).strip()
    if not (value.isascii() and value.isdigit() and 5 <= int(value) <= 1440):
        raise ValueError(f"{name} must be a whole number of minutes from 5 to 1440")
    return int(value)


def _uploads_dir(value: str | None, instance_path: Path) -> Path:
    """REPORT_UPLOADS_DIR as an absolute path (a later change of directory cannot move it),
    or instance/uploads. Inside the static folder the web server would hand photos to anyone."""
    directory = (Path(value).expanduser() if value else instance_path / "uploads").resolve()
    if directory.is_relative_to(STATIC_DIR):
        raise ValueError("REPORT_UPLOADS_DIR must be outside the web root (app/static)")
    return directory


def _dpo_email(value: str) -> str:
    """The address citizens write to about their data: one valid address, or no start."""
    try:
        return normalized_email(value)
    except InvalidRequest as refused:
        raise ValueError("DPO_EMAIL must be one e-mail address") from refused


def _enterprise_number(value: str) -> str:
    """The zone's enterprise number: a typo would be printed on the legal notice."""
    try:
        return enterprise_number(value)
    except InvalidRequest as refused:
        raise ValueError(
            "ZONE_ENTERPRISE_NUMBER must be a valid Belgian enterprise number"
        ) from refused


def _stored_secret(instance_path: Path) -> str:
    """A secret generated once into instance/, so sessions survive restarts without setup."""
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()

"""How an e-mail copy leaves: one SMTP session per message, to the configured relay."""

import logging
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import parseaddr

from app.config import Config
from app.email_address import smtp_address
from app.logs import mask_email
from app.notify.sender import MailTransport
from app.notify.transports import Accepted
from scheduling.errors import InvalidRequest
from scheduling.notices import SendError

TIMEOUT_SECONDS = 10.0
log = logging.getLogger(__name__)


def make_mail_transport(config: Config) -> MailTransport | None:
    """The configured way e-mail leaves (``Config.mail_transport``), None without one."""
    if config.mail_transport == "log":
        return LogMailTransport()
    return SmtpTransport(config) if config.email_enabled else None


class LogMailTransport:
    """Sends nothing: logs that an e-mail left, to a masked address and without its subject
    or text (the outbox row is the record of what it said). The demo's way without a relay."""

    def send(self, *, to: str, subject: str, body: str) -> Accepted | SendError:
        sid = "LOG" + uuid.uuid4().hex
        log.info("E-mail %s to %s, %d characters", sid, mask_email(to), len(body))
        return Accepted(sid)


class SmtpTransport:
    def __init__(self, config: Config) -> None:
        if not (config.smtp_host and config.smtp_from):
            raise ValueError("SMTP_HOST and SMTP_FROM are needed to send e-mail")
        self.config = config
        self.host, self.sender = config.smtp_host, config.smtp_from  # may carry a display name
        self.domain = parseaddr(self.sender)[1].rpartition("@")[2] or "blauwlijn"

    def send(self, *, to: str, subject: str, body: str) -> Accepted | SendError:
        try:
            address = smtp_address(to)
        except InvalidRequest:
            # Every edge normalizes the address it takes; one stored before that check (a
            # list, a line break) is never tried again. The reason names no address: it is
            # logged and shown on the undelivered-messages page.
            return SendError("invalid-address", "not one valid e-mail address", retryable=False)
        sid = "EM" + uuid.uuid4().hex
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = address
        message["Subject"] = subject
        message["Message-ID"] = f"<{sid}@{self.domain}>"
        message.set_content(body)
        try:
            with smtplib.SMTP(self.host, self.config.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
                if self.config.smtp_starttls:
                    smtp.starttls()
                if self.config.smtp_user:
                    smtp.login(self.config.smtp_user, self.config.smtp_password or "")
                smtp.send_message(message, to_addrs=[address])  # never what a header says
        except smtplib.SMTPRecipientsRefused as exc:
            code, reason = next(iter(exc.recipients.values()))
            return smtp_error(code, reason)
        except smtplib.SMTPResponseException as exc:
            return smtp_error(exc.smtp_code, exc.smtp_error)
        except (OSError, smtplib.SMTPException) as exc:  # refused, timed out, dropped
            return SendError("smtp", f"{type(exc).__name__}: {exc}"[:500], retryable=True)
        return Accepted(sid)


def smtp_error(code: int, reason: bytes | str) -> SendError:
    """A 4xx reply is temporary (try again later); a 5xx one is final (RFC 5321)."""
    text = reason.decode(errors="replace") if isinstance(reason, bytes) else reason
    return SendError(f"smtp-{code}", text[:500], retryable=not 500 <= code < 600)

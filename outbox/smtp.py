"""Send one email over SMTP: STARTTLS, implicit TLS (ssl) or plain, credentials from env.

Every failure becomes a `MailError` whose message says what went wrong and what to check,
so callers can record it and retry later without knowing smtplib's many exception types.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage

from core.config import MailSettings

logger = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 30


class MailError(Exception):
    """The email could not be sent; the message names the setting or server to check."""


def send_email(
    settings: MailSettings,
    message: EmailMessage,
    *,
    timeout: float = SMTP_TIMEOUT_SECONDS,
    ssl_context: ssl.SSLContext | None = None,
) -> None:
    """Deliver `message` through the configured server (raises `MailError`)."""
    username, password = settings.username, settings.password
    if username and not password:
        raise MailError(
            f"SMTP user is set ({settings.username_env}) but the password is not: set the "
            f"environment variable {settings.password_env}."
        )
    context = ssl_context or ssl.create_default_context()
    where = f"{settings.host}:{settings.port} ({settings.security})"
    try:
        if settings.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=timeout, context=context
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
        with client:
            client.ehlo()
            if settings.security == "starttls":
                client.starttls(context=context)
                client.ehlo()
            if username and password:
                if settings.security == "none":
                    logger.warning("sending SMTP credentials over an unencrypted connection")
                client.login(username, password)
            refused = client.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(
            f"SMTP server {where} refused the login: check {settings.username_env} and "
            f"{settings.password_env}."
        ) from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise MailError(
            f"SMTP server {where} does not support this: {exc}. Check mail.security."
        ) from exc
    except ssl.SSLError as exc:
        raise MailError(
            f"TLS with SMTP server {where} failed: {exc}. Check mail.security and the "
            "server certificate."
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(f"Could not send mail via {where}: {exc}") from exc
    if refused:
        raise MailError(f"SMTP server {where} refused recipients: {', '.join(refused)}")
    logger.info("mail %r sent via %s to %s", message["Subject"], where, message["To"])

"""The SMTP adapter of the ``Mailer`` port (R-13.3): statements go out through a mail
server with the standard library's ``smtplib`` and ``email`` (docs/decisions/0033).

Configuration comes from arguments or the environment: ``CM_SMTP_HOST``, ``CM_SMTP_PORT``
(default 587 with STARTTLS, 465 with SSL, else 25), ``CM_SMTP_SECURITY`` = ``starttls`` |
``ssl`` | ``none``, ``CM_SMTP_USER``, ``CM_SMTP_PASSWORD`` and ``CM_SMTP_FROM``. A failure
(refused connection, rejected recipient, authentication) is raised as it comes, so the
statement service can try again and report it per customer.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Literal

from attrs import frozen

Security = Literal["starttls", "ssl", "none"]
_DEFAULT_PORTS: Mapping[str, int] = {"starttls": 587, "ssl": 465, "none": 25}
_TYPES: Mapping[str, tuple[str, str]] = {
    "pdf": ("application", "pdf"),
    "xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


class MailNotConfigured(ValueError):
    """No mail server is configured: the message names the setting that is missing."""


@frozen(kw_only=True)
class SmtpMailer:
    """Sends one message per call over a fresh SMTP connection."""

    host: str
    sender: str
    port: int | None = None
    security: Security = "starttls"
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SmtpMailer:
        """The mailer the ``CM_SMTP_*`` variables describe; ``MailNotConfigured`` names
        the one that is missing or wrong."""
        env = os.environ if environ is None else environ
        host = env.get("CM_SMTP_HOST", "").strip()
        if not host:
            raise MailNotConfigured(
                "CM_SMTP_HOST is not set: name the mail server statements are sent through"
            )
        sender = env.get("CM_SMTP_FROM", "").strip()
        if "@" not in sender:
            raise MailNotConfigured("CM_SMTP_FROM must be the sender's e-mail address")
        security = env.get("CM_SMTP_SECURITY", "starttls").strip().lower()
        if security not in _DEFAULT_PORTS:
            raise MailNotConfigured("CM_SMTP_SECURITY must be starttls, ssl or none")
        port_text = env.get("CM_SMTP_PORT", "").strip()
        if port_text and not port_text.isdigit():
            raise MailNotConfigured(f"CM_SMTP_PORT must be a port number, not {port_text!r}")
        return cls(
            host=host,
            sender=sender,
            port=int(port_text) if port_text else None,
            security=security,  # type: ignore[arg-type]
            user=env.get("CM_SMTP_USER") or None,
            password=env.get("CM_SMTP_PASSWORD") or None,
        )

    def send(
        self, *, to: str, subject: str, body: str, attachments: Sequence[tuple[str, bytes]] = ()
    ) -> None:
        """Send one message with its attachments; raise on any failure."""
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2])
        message.set_content(body)
        for name, data in attachments:
            kind = _TYPES.get(name.rpartition(".")[2].lower(), ("application", "octet-stream"))
            message.add_attachment(data, maintype=kind[0], subtype=kind[1], filename=name)
        port = self.port or _DEFAULT_PORTS[self.security]
        context = ssl.create_default_context()
        if self.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(self.host, port, timeout=self.timeout, context=context)
        else:
            client = smtplib.SMTP(self.host, port, timeout=self.timeout)
        with client:
            if self.security == "starttls":
                client.starttls(context=context)
            if self.user:
                client.login(self.user, self.password or "")
            client.send_message(message)

"""A real SMTP server on 127.0.0.1 (aiosmtpd) that records what it receives.

It can speak plain SMTP, offer STARTTLS or use TLS from the first byte, ask for a password,
and answer DATA with a scripted refusal, so the real `smtplib` adapter is tested end to end.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    """One email the server accepted."""

    mail_from: str
    recipients: list[str]
    message: EmailMessage
    login: str | None


class _Controller(Controller):
    """Listen on port 0 and learn the port the system chose."""

    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpServer:
    """`with SmtpServer() as server:` … `server.url`, `server.received`."""

    def __init__(self, *, security: str = "plain", users: dict[str, str] | None = None,
                 certificate: tuple[Path, Path] | None = None) -> None:
        self.security, self.users = security, users or {}
        self.received: list[Received] = []
        self.refuse_data: str | None = None   # e.g. "451 4.3.0 try again later"
        kwargs: dict[str, Any] = {}
        if security != "plain":
            assert certificate is not None, "TLS needs a certificate (see make_certificate)"
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(certificate[0]), str(certificate[1]))
            kwargs["ssl_context" if security == "implicit" else "tls_context"] = context
            if security == "starttls":
                kwargs["require_starttls"] = True
        if self.users:
            # With TLS from the first byte aiosmtpd cannot tell the session is encrypted.
            kwargs.update(authenticator=self._authenticate,
                          auth_require_tls=security == "starttls")
        self.controller = _Controller(self, hostname="127.0.0.1", port=0, **kwargs)

    @property
    def port(self) -> int:
        return self.controller.port

    def url(self, user: str | None = None, password: str | None = None) -> str:
        """Return the SMTP_URL reaching this server."""
        scheme = "smtps" if self.security == "implicit" else "smtp"
        credentials = f"{user}:{password}@" if user else ""
        return f"{scheme}://{credentials}127.0.0.1:{self.port}"

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_data:
            return self.refuse_data
        message = message_from_bytes(envelope.original_content or envelope.content,
                                     policy=default_policy)
        login = session.auth_data.login.decode() if isinstance(session.auth_data,
                                                                LoginPassword) else None
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message,
                                      login))
        return "250 2.0.0 accepted"

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str,
                      auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            user, password = auth_data.login.decode(), auth_data.password.decode()
            if self.users.get(user) == password:
                return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)


def make_certificate(directory: Path) -> tuple[Path, Path] | None:
    """Write a self-signed certificate for 127.0.0.1; None when openssl is not installed."""
    if shutil.which("openssl") is None:
        return None
    cert, key = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext",
                    "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key

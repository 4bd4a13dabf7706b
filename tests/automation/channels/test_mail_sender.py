"""The SMTP adapter against a real local SMTP server: plain, STARTTLS, TLS, logins, failures."""

from __future__ import annotations

import logging
import socket
import ssl
import time
from email.message import EmailMessage

import pytest

from automation.channels.email.smtp import (OUTBOX, SENT, MailSendError, NullMailSender,
                                             SmtpMailSender, SmtpSettings, build_mail_sender)
from tests.fakes.smtp_server import SmtpServer, make_certificate


def _email(to: str = "camille@example.com") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Demo Shop <support@shop.example>"
    message["To"] = to
    message["Subject"] = "Re: Où est ma commande ?"
    message["Message-ID"] = "<reply-1@shop.example>"
    message.set_content("Bonjour Camille, elle arrive demain avec Colissimo.")
    return message


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    made = make_certificate(tmp_path_factory.mktemp("tls"))
    if made is None:
        pytest.skip("openssl is not installed: no certificate for the TLS tests")
    return made


@pytest.fixture
def warnings_seen(caplog):
    """Capture the adapter's log (Alembic's fileConfig disables loggers made before it ran)."""
    logger = logging.getLogger("automation.channels.email.smtp")
    disabled, logger.disabled = logger.disabled, False
    yield caplog
    logger.disabled = disabled


def _trusting(certificate) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate[0]))


@pytest.mark.parametrize("url, expected", [
    ("smtp://user:pass@mail.example.com:587",
     SmtpSettings("mail.example.com", 587, "starttls", "user", "pass")),
    ("smtps://user:pass@mail.example.com", SmtpSettings("mail.example.com", 465, "tls",
                                                        "user", "pass")),
    ("smtp://relay.local:25", SmtpSettings("relay.local", 25, "plain")),
    ("smtp://relay.local", SmtpSettings("relay.local", 25, "plain")),
    ("smtp://user:pass@mail.example.com", SmtpSettings("mail.example.com", 587, "starttls",
                                                       "user", "pass")),
    ("smtp://apikey:p%40ss%3Aword@mail.example.com:2525",
     SmtpSettings("mail.example.com", 2525, "starttls", "apikey", "p@ss:word")),
])
def test_smtp_urls_choose_host_port_security_and_login(url, expected):
    assert SmtpSettings.from_url(url) == expected


@pytest.mark.parametrize("url", ["http://mail.example.com", "smtp://", "mail.example.com:25"])
def test_a_malformed_smtp_url_is_refused(url):
    with pytest.raises(ValueError, match="SMTP_URL"):
        SmtpSettings.from_url(url)


def test_without_smtp_the_null_sender_keeps_mail_in_the_outbox(warnings_seen):
    with warnings_seen.at_level(logging.INFO):
        sender = build_mail_sender(None)
    assert isinstance(sender, NullMailSender) and sender.send(_email()) == OUTBOX
    assert "outbox" in warnings_seen.text


def test_a_typo_in_smtp_url_falls_back_to_the_outbox_with_an_error(warnings_seen):
    with warnings_seen.at_level(logging.ERROR):
        assert isinstance(build_mail_sender("smtp:/oops"), NullMailSender)
    assert "SMTP_URL" in warnings_seen.text


def test_plain_smtp_delivers_the_email():
    with SmtpServer() as server:
        status = build_mail_sender(server.url(), timeout=5).send(_email())
    assert status == SENT
    [received] = server.received
    assert received.recipients == ["camille@example.com"]
    assert received.mail_from == "support@shop.example"
    assert received.message["Subject"] == "Re: Où est ma commande ?"
    assert "Colissimo" in received.message.get_content()


def test_a_password_is_sent_to_a_local_relay_without_tls():
    with SmtpServer(users={"desk": "s3cret"}) as server:
        assert build_mail_sender(server.url("desk", "s3cret"), timeout=5).send(_email()) == SENT
    assert server.received[0].login == "desk"


def test_starttls_is_used_before_logging_in(certificate):
    with SmtpServer(security="starttls", users={"desk": "s3cret"},
                    certificate=certificate) as server:
        settings = SmtpSettings.from_url(server.url("desk", "s3cret"))
        sender = SmtpMailSender(settings, timeout=5, ssl_context=_trusting(certificate))
        assert sender.send(_email()) == SENT
    assert server.received[0].login == "desk"


def test_smtps_speaks_tls_from_the_first_byte(certificate):
    with SmtpServer(security="implicit", users={"desk": "s3cret"},
                    certificate=certificate) as server:
        settings = SmtpSettings.from_url(server.url("desk", "s3cret"))
        assert settings.security == "tls"
        sender = SmtpMailSender(settings, timeout=5, ssl_context=_trusting(certificate))
        assert sender.send(_email()) == SENT
    assert server.received[0].login == "desk"


def test_an_untrusted_certificate_is_a_failure(certificate):
    with SmtpServer(security="implicit", certificate=certificate) as server:
        with pytest.raises(MailSendError, match="SSL") as failure:
            build_mail_sender(server.url(), timeout=5).send(_email())
    assert server.received == [] and not failure.value.permanent


def test_a_wrong_password_fails_for_good():
    with SmtpServer(users={"desk": "s3cret"}) as server:
        with pytest.raises(MailSendError, match="535") as failure:
            build_mail_sender(server.url("desk", "wrong"), timeout=5).send(_email())
    assert failure.value.permanent


@pytest.mark.parametrize("answer, permanent", [("451 4.3.0 try again later", False),
                                               ("550 5.1.1 no such mailbox", True)])
def test_a_refusal_says_whether_retrying_can_help(answer, permanent):
    with SmtpServer() as server:
        server.refuse_data = answer
        with pytest.raises(MailSendError, match=answer[:3]) as failure:
            build_mail_sender(server.url(), timeout=5).send(_email())
    assert failure.value.permanent is permanent


def test_an_unreachable_server_is_a_temporary_failure():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nobody listens there once the probe is closed
    with pytest.raises(MailSendError) as failure:
        build_mail_sender(f"smtp://127.0.0.1:{port}", timeout=2).send(_email())
    assert not failure.value.permanent


def test_a_silent_server_times_out_quickly():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # accepts the connection, never greets
        started = time.monotonic()
        with pytest.raises(MailSendError, match="timed out") as failure:
            build_mail_sender(f"smtp://127.0.0.1:{silent.getsockname()[1]}",
                              timeout=0.3).send(_email())
    assert time.monotonic() - started < 3 and not failure.value.permanent

"""Background job of the email channel: the invitation a stranger gets (no conversation).

Jobs get plain strings, never ORM objects; they run in the bound app's context (the worker's
web_app), where the email adapter and the engine live.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app

from automation.accounts.invitations import invitation
from automation.channels.email import message as email_message
from automation.channels.email.adapter import MailSetup
from automation.channels.email.smtp import MailSendError
from automation.runtime import i18n, jobs, shop_settings
from database import db, events

log = logging.getLogger(__name__)


def mail_setup(app: Flask | None = None) -> MailSetup:
    """Return the app's email setup (sender, support address, shop name): the one it was
    built with for `app`, else the current app's with the admins' name and address."""
    setup = (app or current_app).extensions["channels"].email.setup
    return setup if app is not None else setup.live(shop_settings.current())


@jobs.job(retries=3, retry_delay=60, retry_backoff=2)
def invite_sender(*, to: str, subject: str, message_id: str, references: list[str],
                  text: str) -> None:
    """Send the invitation to register to an unknown sender, in their language."""
    setup = mail_setup()
    domain, language = to.rpartition("@")[2], _language_of(text)
    body = invitation(language, channel="email", shop_name=setup.shop_name,
                      public_base_url=setup.public_base_url)
    email = email_message.format(
        reply=body, to=to, to_name="", from_address=setup.support_address,
        subject=email_message.subject_for(subject, shop_name=setup.shop_name),
        shop_name=setup.shop_name, language=language, in_reply_to=message_id,
        references=references, signed=False)  # the invitation signs itself
    try:
        setup.sender.send(email)
    except MailSendError as exc:
        events.record(events.EMAIL_SEND_FAILED, level="warning",
                      payload={"domain": domain, "error": str(exc), "kind": "invitation",
                               "permanent": exc.permanent, "sender": setup.sender.name})
        db.session.commit()
        if not exc.permanent:
            raise


def _language_of(text: str) -> str:
    """Return the language an unknown sender wrote in (the NLU's), English when unsure."""
    try:
        language = current_app.extensions["engine"].analyse(text[:2000]).language
    except Exception:  # noqa: BLE001 - an invitation in English beats no invitation
        log.warning("NLU unavailable for an invitation; it goes out in English")
        return "en"
    return i18n.language_of(language)

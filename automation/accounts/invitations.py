"""The invitation to register sent to a stranger who writes by WhatsApp or email.

It says nothing about any order or account (a phone number or a sender address proves
nothing), in the language the stranger most likely reads.
"""

from __future__ import annotations

from automation.runtime import i18n
from automation.runtime.i18n import N_

WHATSAPP = N_("Hello! We could not find a {shop} account for this WhatsApp number, so we cannot "
              "look at any order from here yet. {how}")
WHATSAPP_LINK = N_("Create your account with this phone number at {url} and write to us again.")
WHATSAPP_NO_LINK = N_("Create your account with this phone number on our website, or write to "
                      "us from the number on your account.")
EMAIL = N_("Hello,\n\nThank you for writing to {shop}. We could not find a customer account for "
           "this email address, so we cannot look into any order from here.\n\nIf you already "
           "shop with us, please write again from the email address of your account. {how}\n\n"
           "Kind regards,\n{shop} customer support")
EMAIL_LINK = N_("Otherwise, you can create an account in a minute: {url}")
EMAIL_NO_LINK = N_("Otherwise, you can create an account on our website.")
_TEXTS = {"whatsapp": (WHATSAPP, WHATSAPP_LINK, WHATSAPP_NO_LINK),
          "email": (EMAIL, EMAIL_LINK, EMAIL_NO_LINK)}


def invitation(language: str, *, channel: str, shop_name: str,
               public_base_url: str | None) -> str:
    """Return the invitation to register for `channel` ("whatsapp" or "email")."""
    language = i18n.language_of(language)
    whole, with_link, without_link = _TEXTS[channel]
    if public_base_url:
        how = i18n.text(language, with_link, url=public_base_url.rstrip("/") + "/register")
    else:
        how = i18n.text(language, without_link)
    return i18n.text(language, whole, shop=shop_name, how=how)

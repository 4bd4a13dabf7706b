"""Pictures and files a shopper sends: thanked in their language, and looked at by a person.

A picture with a caption gets "we received your picture" before the answer to the caption; a
picture alone gets the thanks and a ticket, so that the person the reply promises does look.
"""

from __future__ import annotations

from typing import Any

from automation.runtime import i18n
from automation.runtime.i18n import N_

RECEIVED = {"picture": N_("Thank you {name}, we have received your picture."),
            "file": N_("Thank you {name}, we have received your file.")}
LOOK_AT_IT = N_("A person from our team will look at it and get back to you if needed.")


def kind_of(meta: dict[str, Any]) -> str | None:
    """Return "picture", "file" or None for a message's stored metadata."""
    media = meta.get("media") or []
    if not media:
        return None
    pictures = any(m.get("kind") == "image" or str(m.get("content_type", "")).startswith("image/")
                   for m in media)
    return "picture" if pictures else "file"


def received(kind: str, language: str, name: str) -> str:
    """Say that the picture or file arrived."""
    return i18n.text(language, RECEIVED[kind], name=name)


def will_look(language: str) -> str:
    """Say that a person will look at it (a ticket makes it so)."""
    return i18n.text(language, LOOK_AT_IT)

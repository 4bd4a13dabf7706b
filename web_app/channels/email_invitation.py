"""The reply to an email from an address no shopper has: an invitation, and nothing else.

It says nothing about any order or account (a sender address proves nothing), in the
language the email was written in.
"""

from __future__ import annotations

import re

INVITATION = {
    "en": ("Hello,\n\nThank you for writing to {shop}. We could not find a customer account "
           "for this email address, so we cannot look into any order from here.\n\n"
           "If you already shop with us, please write again from the email address of your "
           "account. {how}\n\nKind regards,\n{shop} customer support"),
    "fr": ("Bonjour,\n\nMerci pour votre message à {shop}. Nous ne trouvons aucun compte client "
           "pour cette adresse e-mail : nous ne pouvons donc consulter aucune commande depuis "
           "celle-ci.\n\nSi vous êtes déjà client, écrivez-nous depuis l'adresse e-mail de "
           "votre compte. {how}\n\nBien cordialement,\nLe service client {shop}"),
    "pt": ("Olá,\n\nObrigado pela sua mensagem para a {shop}. Não encontrámos nenhuma conta de "
           "cliente com este endereço de e-mail, por isso não podemos consultar encomendas a "
           "partir dele.\n\nSe já é cliente, escreva-nos a partir do endereço de e-mail da sua "
           "conta. {how}\n\nCom os melhores cumprimentos,\nApoio ao cliente {shop}"),
}
HOW_WITH_LINK = {
    "en": "Otherwise, you can create an account in a minute: {url}",
    "fr": "Sinon, vous pouvez créer un compte en une minute : {url}",
    "pt": "Caso contrário, pode criar uma conta num minuto: {url}",
}
HOW_WITHOUT_LINK = {
    "en": "Otherwise, you can create an account on our website.",
    "fr": "Sinon, vous pouvez créer un compte sur notre site.",
    "pt": "Caso contrário, pode criar uma conta no nosso site.",
}
# Used only when the NLU cannot run: a few very common words of each language.
_COMMON_WORDS = {
    "fr": "bonjour merci je j mon ma mes est où commande pas une le la les vous votre avec pour",
    "pt": "olá ola obrigado obrigada eu minha meu não está onde encomenda uma com para você o",
    "en": "hello hi thanks thank you my is where order the not a with for your i",
}
_WORD_SETS = {language: frozenset(listed.split()) for language, listed in _COMMON_WORDS.items()}


def invitation(language: str, *, shop_name: str, public_base_url: str | None) -> str:
    """Return the invitation to register, in `language` (English when not fr or pt)."""
    language = language if language in INVITATION else "en"
    if public_base_url:
        how = HOW_WITH_LINK[language].format(url=public_base_url.rstrip("/") + "/register")
    else:
        how = HOW_WITHOUT_LINK[language]
    return INVITATION[language].format(shop=shop_name, how=how)


def guess_language(text: str) -> str:
    """Return fr, pt or en from common words: the fallback when the NLU is unavailable."""
    words = re.findall(r"\w+", text.lower())
    scores = {language: sum(word in listed for word in words)
              for language, listed in _WORD_SETS.items()}
    best = max(scores, key=lambda language: scores[language])
    return best if scores[best] else "en"

"""Read a shopper's answer to a read-back: a clear yes, a clear no, or not sure.

Only an unambiguous yes confirms an action on an order. A question ("yes?"), a hedge ("ok
wait", "oui mais attends") or a shrug ("ok whatever") is not a yes: the agent asks again.
French, English and Portuguese (and the Spanish a shopper may slip into).
"""

from __future__ import annotations

import re
import unicodedata

YES, NO, UNSURE = "yes", "no", "unsure"

# Whole answers that mean yes or no, once folded (lower case, no accents, no punctuation).
_YES_ANSWERS = {
    "yes", "y", "yeah", "yep", "yup", "ok", "okay", "sure", "confirm", "confirmed",
    "please do", "go ahead", "do it", "absolutely", "of course", "that's right", "correct",
    "oui", "ouais", "d'accord", "daccord", "je confirme", "confirme", "vas-y", "vas y",
    "allez-y", "allez y", "bien sur", "exactement", "c'est ca", "c'est bon",
    "sim", "claro", "pode", "pode ser", "confirmo", "isso", "isso mesmo", "com certeza",
    "ta bom", "esta bem", "certo", "exato", "pode avancar", "avanca",
}
_NO_ANSWERS = {
    "no", "n", "nope", "nah", "don't", "dont", "do not", "cancel that", "stop", "not now",
    "non", "nan", "pas du tout", "surtout pas", "laisse tomber", "non merci", "annule pas",
    "nao", "nao obrigado", "nao obrigada", "negativo", "deixa", "deixa pra la", "nem pensar",
    "no thanks", "no thank you", "non, merci",
}
# Answers that are neither: the shopper gets the question again.
_UNSURE_ANSWERS = {
    "s", "si", "right", "not sure", "dunno", "i don't know", "pas sur", "je sais pas",
    "je ne sais pas", "nao sei", "sei la", "hmm", "hum", "euh", "bof", "maybe", "peut-etre",
    "talvez", "ok whatever", "whatever", "i guess", "je suppose", "acho que sim",
}
# A clear yes may open an answer that goes on with words like these, and nothing else.
_YES_WORDS = {"yes", "yeah", "yep", "yup", "ok", "okay", "oui", "ouais", "sim", "confirm",
              "confirmed", "confirme", "confirmo", "absolutely", "sure", "claro", "certo"}
_NO_WORDS = {"no", "nope", "non", "nao", "nah"}
_FILLERS = {
    "please", "thanks", "thank", "you", "go", "ahead", "do", "it", "that", "this", "cancel",
    "change", "return", "register", "confirm", "yes", "ok", "okay", "sure", "fine", "great",
    "perfect", "merci", "svp", "stp", "s'il", "vous", "plait", "te", "allez", "allez-y",
    "vas-y", "y", "annule", "annulez", "change", "changez", "retour", "parfait", "oui",
    "d'accord", "c'est", "ca", "bon", "je", "confirme", "obrigado", "obrigada", "por", "favor",
    "pode", "cancelar", "cancela", "mudar", "alterar", "devolver", "confirmo", "sim", "claro",
    "perfeito", "otimo", "the", "order", "commande", "encomenda", "la", "a", "my", "ma",
    "minha", "de", "da", "do", "le", "it's", "is", "fine", "right", "away", "now", "agora",
    "maintenant", "go", "on",
}
# "oui, annulez-la", "yes, cancel it", "sim, pode cancelar": the action itself, said again.
_ACTION_STEMS = ("annul", "cancel", "chang", "modif", "mud", "alter", "retourn", "devolv",
                 "return", "regist", "enregistr", "confirm", "proced", "avanc", "go")
# Words that take a yes back: it is a question, a doubt, a condition or a shrug.
_HEDGES = {
    "but", "wait", "hold", "hmm", "hum", "why", "maybe", "perhaps", "whatever", "guess",
    "unsure", "not", "what", "how", "if", "first", "later", "before", "actually",
    "mais", "attends", "attendez", "pourquoi", "peut-etre", "sais", "quoi", "comment", "si",
    "d'abord", "avant", "plutot", "euh", "bof",
    "mas", "espera", "espere", "porque", "porquê", "talvez", "sei", "como", "antes",
    "primeiro", "afinal", "hum", "pero", "quizas",
}
_YES_EMOJI = {"👍", "👌", "✅", "👍🏻", "👍🏼", "👍🏽", "👍🏾", "👍🏿"}
_NO_EMOJI = {"👎", "❌", "🚫"}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _words(folded: str) -> list[str]:
    return re.findall(r"[\w'-]+", folded)


def _filler(word: str) -> bool:
    return word in _FILLERS or word.startswith(_ACTION_STEMS)


def reading(text: str) -> str | None:
    """Return YES, NO or UNSURE for an answer to a read-back; None when it is neither."""
    stripped = text.strip()
    if stripped in _YES_EMOJI:
        return YES
    if stripped in _NO_EMOJI:
        return NO
    folded = _fold(stripped)
    words = _words(folded)
    if not words:
        return None
    answer = " ".join(words)
    if answer in _UNSURE_ANSWERS:
        return UNSURE
    leads_yes = words[0] in _YES_WORDS or words[0] in _YES_ANSWERS \
        or " ".join(words[:2]) in _YES_ANSWERS
    leads_no = words[0] in _NO_WORDS
    says_yes = answer in _YES_ANSWERS or leads_yes
    says_no = answer in _NO_ANSWERS or leads_no
    if not (says_yes or says_no):
        return None
    if "?" in stripped or _HEDGES & set(words) and not says_no:
        return UNSURE
    if answer in _YES_ANSWERS or (leads_yes and all(_filler(w) for w in words[1:])):
        return YES
    if answer in _NO_ANSWERS or (leads_no and len(words) <= 6):
        return NO
    return UNSURE


def is_yes(text: str) -> bool:
    """Tell whether the message is a clear yes (never a yes with a question or a doubt)."""
    return reading(text) == YES


def is_no(text: str) -> bool:
    """Tell whether the message is a clear no."""
    return reading(text) == NO

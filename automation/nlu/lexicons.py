"""Sentiment and frustration word lists for fr, en, pt and es, written for shop chats.

Words are folded (lowercase, no accents). A key ending in "*" matches as a prefix.
"""
from __future__ import annotations

# Valence from -3 (worst) to +3 (best).
VALENCE: dict[str, float] = {
    # positive
    "merci*": 1.0, "mrc": 1.0, "thank*": 1.0, "thx": 1.0, "ty": 0.8, "obrigad*": 1.0,
    "obg": 1.0, "valeu": 1.0, "vlw": 1.0, "gracias": 1.0, "cheers": 1.0, "agradec*": 1.0,
    "remercie*": 1.0, "appreciat*": 1.5, "apprecie*": 1.5,
    "super": 1.5, "great": 2.0, "genial": 2.0, "top": 1.5, "parfait*": 2.0, "perfect*": 2.0,
    "perfeit*": 2.0, "excellent*": 2.5, "excelente*": 2.5, "bravo": 2.0, "kudos": 2.0,
    "parabens": 2.0, "enhorabuena": 2.0, "adore*": 2.5, "love": 2.5, "loved": 2.5,
    "adoro": 2.5, "amei": 2.5, "encant*": 2.5, "magnifique": 2.5, "beautiful": 2.0,
    "gorgeous": 2.5, "lindo": 2.0, "linda": 2.0, "bonito": 1.5, "bonita": 1.5, "good": 1.5,
    "bon": 1.0, "bonne": 1.0, "bom": 1.0, "boa": 1.0, "bien": 0.8, "bem": 0.8, "cool": 1.5,
    "nickel": 1.5, "satisfait*": 2.0, "satisfied": 2.0, "satisfeit*": 2.0, "happy": 2.0,
    "contente": 2.0, "content": 1.5, "ravi*": 2.5, "delighted": 2.5, "rapide*": 1.0,
    "fast": 1.0, "quick*": 1.0, "rapid*": 1.0, "recommand*": 2.0, "recommend*": 2.0,
    "recomend*": 2.0, "fantasti*": 2.5, "awesome": 2.5, "amazing": 2.5, "incroyable": 2.0,
    "incrive*": 2.0, "helpful": 1.5, "efficace*": 1.5, "efficient": 1.5, "eficiente": 1.5,
    "useful": 1.5, "util": 1.0, "pratique": 1.0, "handy": 1.0, "agreable": 1.5,
    "pleasant": 1.5, "nice": 1.5, "sympa": 1.5, "gentil*": 1.5, "kind": 1.5,
    "simpatic*": 1.5, "adorable": 2.0, "lovely": 2.0, "brilliant": 2.5, "otimo": 2.0,
    "otima": 2.0, "optimo": 2.0, "wonderful": 2.5, "merveille*": 2.5, "maravilh*": 2.5,
    "comfy": 1.5, "confortable*": 1.5, "comfortable": 1.5, "confortave*": 1.5,
    # negative
    "nul": -2.5, "nuls": -2.5, "nulle": -2.5, "worst": -3.0, "pire": -3.0, "pior": -3.0,
    "peor": -3.0, "terrible": -2.5, "horrible": -2.5, "horrive*": -2.5, "pessim*": -3.0,
    "mauvais*": -1.5, "bad": -1.5, "ruim": -2.0, "malo": -1.5, "mala": -1.5, "mal": -1.0,
    "decu": -2.0, "decue": -2.0, "decus": -2.0, "decevant*": -2.0, "disappoint*": -2.0,
    "desiludid*": -2.0, "decepcion*": -2.0, "mecontent*": -2.0, "unhappy": -2.0,
    "insatisfeit*": -2.0, "inadmissible": -3.0, "unacceptable": -3.0, "inaceitave*": -3.0,
    "inacceptable": -3.0, "inadmisible": -3.0, "scandal*": -3.0, "escandal*": -3.0,
    "honte*": -2.5, "shame*": -2.0, "vergonha": -2.5, "verguenza": -2.5, "ridicul*": -2.5,
    "absurd*": -2.5, "arnaque*": -3.0, "scam*": -3.0, "golpe*": -3.0, "estafa*": -3.0,
    "voleur*": -3.0, "thieves": -3.0, "ladroes": -3.0, "ladrones": -3.0, "fraud*": -3.0,
    "escroc*": -3.0, "lamentable": -2.5, "pathetic": -2.5, "useless": -2.5, "inutil*": -2.0,
    "incompetent*": -2.5, "rude": -2.0, "desagreable": -2.0, "maleducad*": -2.0,
    "furieu*": -3.0, "furious": -3.0, "furios*": -3.0, "angry": -2.5, "enerve*": -2.5,
    "irrit*": -2.0, "annoyed": -2.0, "chatead*": -2.0, "marre": -2.5, "farto": -2.5,
    "farta": -2.5, "harto": -2.5, "harta": -2.5, "broken": -1.5, "casse*": -1.5,
    "damaged": -1.5, "abime*": -1.5, "estragad*": -1.5, "defectu*": -2.0, "defective": -2.0,
    "defeit*": -2.0, "faulty": -2.0, "retard*": -1.0, "delay*": -1.0, "atras*": -1.0,
    "lost": -1.5, "perdu*": -1.5, "perdid*": -1.5, "probleme*": -1.0, "problem*": -1.0,
    "souci*": -1.0, "erreur*": -1.0, "error*": -1.0, "erro": -1.0, "wrong": -1.2,
    "junk": -2.5, "camelote": -2.5, "porcaria": -2.5, "merde": -3.0, "shit": -3.0,
    "crap": -3.0, "merda": -3.0, "putain": -2.0, "fuck*": -3.0, "wtf": -2.5, "bordel": -2.0,
    "mierda": -3.0, "blague": -1.5, "joke": -1.5, "piada": -1.5, "lent": -1.0, "slow": -1.0,
    "lento": -1.0, "triste": -1.5, "sad": -1.5, "hate": -3.0, "deteste*": -3.0,
    "odeio": -3.0, "odio": -3.0, "dommage": -1.0, "pena": -1.0, "chocad*": -2.5,
    "appalled": -2.5, "choque*": -2.0, "gache": -2.0, "ruined": -2.0, "estragou": -2.0,
    "mess": -1.5, "bagunca": -1.5, "palhac*": -2.5, "foutage": -3.0, "catastroph*": -2.5,
    "desastre": -2.5, "disaster": -2.5, "sujo": -1.5, "dirty": -1.5,
}

NEGATORS = frozenset(
    "pas not no nao nem ni jamais never nunca sans without sem sin aucun aucune none "
    "dont doesnt isnt wasnt didnt arent havent hasnt cannot couldnt wouldnt shouldnt "
    "don doesn isn wasn didn aren haven hasn couldn wouldn shouldn n".split()
)
INTENSIFIERS = frozenset(
    "tres very muito mt muy super so really vraiment trop bem tao mega hyper extremely "
    "extremement totalement completely totally totalmente absolutely absolument "
    "vraiment tellement".split()
)

# Words that on their own show an exasperated shopper.
INSULTS = (
    "connard*", "connasse*", "idiot*", "imbecil*", "imbecile*", "cretin*", "debile*",
    "abruti*", "stupid*", "moron*", "dumb", "asshole*", "bastard*", "burro*", "estupid*",
    "otario*", "caralho", "porra", "foda*", "cabron*", "gilipollas", "joder", "puta*",
    "guignol*", "clown*", "palhac*", "escroc*", "arnaqueur*", "scammer*", "golpista*",
    "estafador*", "voleur*", "thieves", "ladroes", "ladrones", "merde", "shit", "bullshit",
    "fuck*", "wtf", "crap", "merda", "mierda", "putain", "foutage", "foutez",
)
FRUSTRATION_WORDS = (
    "nul", "nuls", "nulle", "inadmissible", "inacceptable", "unacceptable", "inaceitave*",
    "inadmisible", "absurd*", "ridicul*", "pessim*", "worst", "pire", "pior", "peor",
    "scandal*", "escandal*", "honte", "honteu*", "shameful", "disgrace*", "vergonha",
    "verguenza", "lamentable", "pathetic", "patetic*", "marre", "farto", "farta", "harto",
    "harta", "arnaque*", "scam*", "golpe", "estafa*", "furieu*", "furious", "furios*",
    "enerve*", "exige", "exijo", "demand", "avocat", "lawyer", "advogado", "abogado",
    "plainte", "queixa", "reclamacoes", "useless", "incompetent*", "inutil*",
)
FRUSTRATION_PHRASES = (
    "ras le bol", "fed up", "en ai assez", "c'est une blague", "is a joke", "e uma piada",
    "n'importe quoi", "kidding me", "gozar comigo", "fout de", "troisieme fois",
    "3eme fois", "3e fois", "third time", "terceira vez", "tercera vez", "quatrieme fois",
    "encore une fois", "once again", "yet again", "de novo", "outra vez", "otra vez",
    "plus jamais", "never again", "nunca mais", "nunca jamas", "legal action",
    "porter plainte", "livro de reclamacoes", "ca commence a bien faire", "getting old",
    "ja chega", "ca suffit", "enough is enough",
)

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
    "frustrat*": -2.0, "frustrant*": -2.0, "frustrad*": -2.0, "nightmare": -2.0,
    "cauchemar*": -2.0, "pesadelo": -2.0, "hopeless": -2.5, "shambles": -2.5, "fiasco": -2.5,
    "degoute*": -2.5, "revoltad*": -2.5, "revolte*": -2.5, "indignad*": -2.5, "indigne*": -2.5,
    "outraged": -3.0, "outrageous": -3.0, "disgust*": -3.0, "dissatisf*": -2.0,
    "deplorable": -2.5, "deplorave*": -2.5, "inadmissive*": -3.0, "regret*": -1.5,
    "arrependid*": -2.0, "aborrecid*": -2.0, "zangad*": -2.5, "irritad*": -2.0,
    "vergonhos*": -2.5, "lamentave*": -2.5, "mediocre": -2.0, "mediocr*": -2.0, "awful": -2.5,
    "appalling": -3.0, "atrocious": -3.0, "abysmal": -3.0, "poor": -1.5, "upset": -2.0,
    "livid": -3.0, "unprofessional": -2.5,
    "incompetence": -2.5, "incompetencia": -2.5, "amateur*": -2.0, "nulos": -2.5,
    "nulas": -2.5, "horroroso": -2.5, "horrorosa": -2.5, "cheat*": -2.5, "conned": -2.5,
    "scammed": -3.0, "enganad*": -2.0, "galere": -2.0, "mau": -1.5, "disgrace*": -3.0,
    "deception*": -2.0, "desilus*": -2.0, "decepcao": -2.0, "rubbish": -2.5, "garbage": -2.5,
    "ignored": -2.0, "ignoring": -2.0, "unreliable": -2.0, "misleading": -2.0, "liar*": -3.0,
    "lies": -2.5, "sucks": -2.5, "dreadful": -2.5, "horrendous": -3.0, "fuming": -3.0,
    "gutted": -2.0, "unhelpful": -2.0, "careless": -2.0, "shoddy": -2.5, "overpriced": -1.5,
    "worthless": -2.5, "pointless": -2.0, "inexcusable": -3.0, "pourri*": -2.5,
    "minable*": -2.5, "agace*": -2.0, "furax": -3.0, "insupportable*": -2.5,
    "intolerable*": -3.0, "ignoree*": -2.0, "bacle*": -2.0,
    "menteur*": -3.0, "mensonge*": -2.5, "escroquerie*": -3.0, "desapontad*": -2.0,
    "lixo": -2.5, "mentiros*": -3.0, "mentira*": -2.5, "vigaris*": -3.0, "burla*": -3.0,
    "ignorad*": -2.0, "desleix*": -2.0, "intoleravel": -3.0, "shocking": -2.5,
    "insatisf*": -2.0, "inacreditave*": -2.0, "pires": -3.0, "piores": -3.0,
}

NEGATORS = frozenset(
    "pas not no nao nem ni jamais never nunca sans without sem sin aucun aucune none "
    "dont doesnt isnt wasnt didnt arent havent hasnt cannot couldnt wouldnt shouldnt "
    "don doesn isn wasn didn aren haven hasn couldn wouldn shouldn n ain aint ne".split()
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

# Phrases that carry a feeling their words alone don't (folded text, matched on word edges).
PHRASE_VALENCE: dict[str, float] = {
    # en
    "thanks for nothing": -3.0, "fed up": -2.5, "sick of": -2.5, "sick and tired": -3.0,
    "never again": -2.5, "waste of money": -2.5, "waste of time": -2.5, "rip off": -3.0,
    "ripoff": -3.0, "ripped off": -3.0, "let down": -2.0, "let me down": -2.0,
    "no one answers": -2.0, "nobody answers": -2.0, "no one replies": -2.0,
    "nobody replies": -2.0, "no one is helping": -2.0, "nobody is helping": -2.0,
    "no answer": -1.5, "no reply": -1.5, "no response": -1.5, "what a joke": -2.5,
    "is a joke": -2.5, "you lied": -2.5, "lied to me": -2.5, "do not recommend": -2.5,
    "don t recommend": -2.5, "wouldn t recommend": -2.5, "not recommend": -2.5,
    "want my money back": -1.5, "had enough": -2.5, "last time i order": -2.5,
    "last time i buy": -2.5, "stay away": -2.5, "avoid this shop": -3.0, "fobbed off": -2.5,
    "going in circles": -2.0, "sort it out": -1.5, "get your act together": -2.5,
    "not good enough": -2.5, "a nightmare": -2.5, "expected better": -2.0,
    "expected much better": -2.5, "expected more": -2.0, "so hard to": -2.0,
    "done with you": -2.5, "how many times": -2.0, "losing patience": -2.5,
    "lost patience": -2.5, "out of patience": -2.5, "tired of": -2.5, "fatigue de": -2.0,
    "cansado de": -2.0, "cansada de": -2.0,
    "impossible to get": -2.0,
    # fr
    "en ai marre": -2.5, "ras le bol": -3.0, "plus jamais": -2.5, "foutez de": -3.0,
    "fout de": -3.0, "se moque": -2.5, "vous moquez": -2.5, "personne ne repond": -2.0,
    "aucune reponse": -2.0, "pas de reponse": -1.5, "aucun retour": -1.5,
    "ne recommande pas": -2.5, "a fuir": -3.0, "c est une blague": -2.5,
    "n importe quoi": -2.5, "pas serieux": -2.5, "en colere": -2.5, "hors de moi": -3.0,
    "j en peux plus": -2.5, "ca suffit": -2.5, "ca commence a bien faire": -2.5,
    "perte de temps": -2.5, "perte d argent": -2.5, "merci pour rien": -3.0,
    "je regrette": -2.0, "perds patience": -2.5, "a bout de patience": -2.5,
    "pas normal": -2.0, "pas acceptable": -3.0, "attendais a mieux": -2.0,
    "derniere fois que je commande": -2.5, "derniere fois que j achete": -2.5,
    # pt
    "estou farto": -2.5, "estou farta": -2.5, "nunca mais": -2.5, "ninguem responde": -2.0,
    "sem resposta": -1.5, "nenhuma resposta": -2.0, "nao recomendo": -2.5, "a evitar": -2.5,
    "e uma piada": -2.5, "uma vergonha": -2.5, "que vergonha": -3.0, "falta de respeito": -3.0,
    "gozar comigo": -3.0, "perda de tempo": -2.5, "dinheiro deitado fora": -2.5,
    "obrigado por nada": -3.0, "obrigada por nada": -3.0, "nao ha direito": -3.0,
    "ja chega": -2.5, "um pesadelo": -2.5, "nao e normal": -2.0, "nao e aceitavel": -3.0,
    "esperava melhor": -2.0, "esperava mais": -2.0, "ultima vez que compro": -2.5,
    "perder a paciencia": -2.5, "perco a paciencia": -2.5,
}

# A grievance about time or silence ("still nothing", "toujours rien", "ainda nada", "3 weeks
# later"): its presence turns the polite or sarcastic words around it ("great", "merci") sour.
GRIEVANCES = (
    r"still (?:nothing|no|not|waiting|haven t|hasn t|didn t|don t|doesn t)",
    r"not (?:a single|one) (?:reply|answer|response|word|email|call|update)",
    r"(?:wrong|broken|late|missing|damaged|same problem)[a-z ]{0,30} again",
    r"never (?:buying|ordering|shopping|coming back|using)\b(?: [a-z]+){0,4} again",
    r"another (?:day|week|month)s? (?:without|and still|of waiting)",
    r"(?:hasn t|hasnt|has not|haven t|not) (?:moved|changed|updated|arrived) (?:in|for) "
    r"(?:\d+|two|three|several|many) (?:days|weeks)",
    r"another (?:[a-z]+ ){0,2}(?:lost|broken|damaged|delay|mistake|error|problem|excuse)",
    r"you (?:promised|said you would|told me it would)",
    r"encore (?:un|une|des) (?:[a-z]+ ){0,2}(?:perdu|perdue|casse|cassee|abime|abimee|erreur|"
    r"retard|probleme|oubli)",
    r"vous (?:m )?aviez (?:promis|dit)",
    r"(?:yet|once) again", r"\b(?:third|fourth|fifth|3rd|4th|5th) time",
    r"(?:weeks|days|months) (?:later|now|and still|and nothing|without)",
    r"for (?:\d+|two|three|four|five|six|several|many) (?:weeks|days|months)",
    r"after (?:\d+|two|three|four|five|six|several|many) (?:weeks|days|months)",
    r"toujours (?:rien|pas|aucun|aucune|en attente)", r"encore une fois", r"une fois de plus",
    r"(?:troisieme|quatrieme|3e|3eme|4e) fois",
    r"depuis (?:\d+|deux|trois|quatre|des) (?:jours|semaines|mois)",
    r"(?:jours|semaines|mois) (?:apres|plus tard) (?:et )?(?:toujours|rien)",
    r"ainda (?:nada|nao|sem|estou a espera|espero)", r"outra vez", r"de novo",
    r"(?:terceira|quarta) vez", r"mais (?:um|uma) (?:semana|mes|dia)", r"mais uma vez",
    r"mais (?:um|uma) (?:[a-z]+ ){0,2}(?:perdid|atrasad|estragad|partid|erro|problema)[a-z]*",
    r"(?:prometeram|disseram que)",
    r"(?:ha|faz|fazem) (?:\d+|duas|tres|quatro|varias) (?:dias|semanas|meses)",
    r"(?:dias|semanas|meses) depois (?:e )?(?:nada|ainda)",
)

"""Multilingual concept cues: words of fr/en/pt/es mapped to shared tokens for the intent model.

Each language has only a few dozen examples per intent; mapping "annuler", "cancel", "cancelar"
and "anular" to one token lets what is learnt in one language carry to the others and to words
the examples never used. Keys are folded words; a key ending in "*" matches as a prefix.
"""
from __future__ import annotations

from automation.nlu.wordmap import WordMap

CONCEPTS: dict[str, tuple[str, ...]] = {
    "cancel": (
        "annul*", "cancel*", "anul*", "desist*", "renonc*", "withdraw", "withdrawal", "void",
        "stopper", "terminat*", "rescind*", "resili*", "rescis*",
    ),
    "where": (
        "ou", "where", "wheres", "onde", "cade", "kd", "donde", "anda", "whereabouts",
    ),
    "track": (
        "suivi", "track*", "rastre*", "seguimento", "seguimiento", "acheminement", "statut",
        "status", "estado", "etat", "expedi*", "shipped", "dispatched", "enviad*", "despach*",
        "transit", "recu", "received", "recebi", "chegou", "arrive*", "arrived", "livre",
        "delivered", "entregue", "llegado", "toujours", "still", "ainda", "todavia", "nouvelles",
        "news", "novidade*", "update",
    ),
    "modify": (
        "modif*", "chang*", "mudar", "mude*", "mudem", "alter*", "trocar", "troque*", "cambi*",
        "corrig*", "correct*", "fix", "edit*", "update", "atualiz*", "swap", "replace",
        "remplac*", "substitu*", "ajout*", "rajout*", "add", "adicion*", "acrescent*", "junt*",
        "anad*", "retir*", "remove", "enlev*", "tirar", "tirem", "switch", "passer", "decal*",
        "adiar", "regroup*", "combine", "split", "divis*", "dividir",
    ),
    "address": (
        "adresse", "address", "morada", "endereco", "direccion", "destinatair*", "recipient",
        "destinatario", "postal", "zip", "appartement", "apartment", "andar", "batiment",
        "building", "bloco", "porte", "door", "portao",
    ),
    "buy": (
        "achet*", "acheter", "buy", "purchase", "comprar", "compra", "commander", "encomendar",
        "order", "pedir", "encargar", "panier", "cart", "basket", "carrinho", "carrito", "acquir*",
        "checkout", "reserv*", "precommand*", "preorder", "reorder", "recommander", "shopping",
    ),
    "delivery": (
        "livraison", "livr*", "delivery", "deliver", "shipping", "ship", "entrega*", "entreg*",
        "envio", "envios", "envoi", "frete", "portes", "port", "transporteur*", "courier*",
        "transportadora", "colissimo", "chronopost", "dpd", "ctt", "correios", "dhl", "relais",
        "pickup", "recolha", "recogida", "douane", "customs", "alfandega", "delai*", "expedition",
    ),
    "duration": (
        "combien", "long", "quanto", "quantos", "cuanto", "delai*", "prazo", "tarda",
        "demora", "jours", "days", "dias", "dia", "semaines", "weeks", "semanas",
    ),
    "return": (
        "retour*", "retourn*", "renvo*", "return*", "devol*", "rendre",
        "echang*", "exchange", "troca", "retractation",
    ),
    "refund": (
        "rembours*", "refund*", "reembols*", "estorno", "money", "argent", "dinheiro", "dinero",
        "avoir", "rebat*", "compensat*", "indemni*",
    ),
    "payment": (
        "paie*", "paiement*", "pay", "payer", "paye*", "paid", "paying", "payment*",
        "paga*", "pago", "pague*", "pagu*", "carte", "card", "cartao", "tarjeta", "debit*",
        "charged", "charge", "cobr*", "prelev*", "paypal", "klarna", "mbway", "multibanco",
        "pix", "boleto", "bizum", "virement", "transfer*", "transferencia", "3d", "cvv",
        "cryptogramme", "bank", "banque", "banco", "installment*", "instalment*", "prestac*",
        "parcela*", "parcelar", "plazos", "factur*", "transaction", "transacao", "refus*",
        "declined", "recusad*", "rechazad*",
    ),
    "invoice": (
        "factur*", "invoice*", "fatura*", "receipt*", "recibo", "talao", "tva", "vat", "bill",
        "bills",
        "iva", "nif", "siret", "fiscal", "justificati*", "comprovativo", "justificante",
        "proforma", "duplicata", "comptable", "accountant", "contabilista",
    ),
    "account": (
        "compte", "account", "conta", "cuenta", "login", "log", "connect*", "conect*", "senha",
        "password", "passe", "contrasena", "identifiant*", "username", "utilizador", "profil*",
        "perfil", "inscri*", "registe*", "registration*", "sign", "signed", "signup*", "pwd",
        "fidelit*", "loyalty", "points", "pontos", "rgpd", "gdpr", "donnees", "data", "dados",
        "datos", "hack*", "pirat*", "bloque", "locked", "bloquead*",
    ),
    "product": (
        "taille", "size", "tamanho", "talla", "pointure", "couleur", "colour", "color", "cor",
        "stock", "dispo*", "available", "disponi*", "rupture", "esgotad*", "agotad*",
        "matiere", "material", "made", "fabrique", "fabricad*", "compatible", "compativ*",
        "garantie", "warranty", "garantia", "prix", "price", "preco", "precio", "coute",
        "cost", "custa", "cuesta", "modele", "model", "modelo", "coton", "cotton", "algodao",
        "lave*", "wash", "lava*", "batterie", "battery", "bateria", "guide", "guia",
    ),
    "damage": (
        "cass*", "broken", "broke", "partid*", "roto", "rota", "abim*", "damaged", "estragad*",
        "defect*", "defeit*", "faulty", "trou", "hole", "buraco", "ecrase", "crushed",
        "amassad*", "fuit", "leaks", "verte", "decoll*", "fell", "descolar*", "fissur*",
        "cracked", "rachad*", "dirty", "sujo", "manque", "missing", "falta", "mauvais*",
        "wrong", "errad*", "equivocad*", "vide", "empty", "vazia", "perdu", "lost", "perderam",
    ),
    "anger": (
        "inadmissible", "inacceptable", "unacceptable", "inaceitavel", "inadmisible",
        "scandal*", "escandal*", "honte*", "shame*", "vergonha", "verguenza", "ridicul*",
        "nul", "worst", "pire", "pior", "peor", "pessim*", "terrible", "horrible", "horrivel",
        "lamentable", "arnaque", "scam*", "golpe", "estafa*", "voleur*", "thieves", "ladroes",
        "ladrones", "plainte", "reclamac*", "queixa", "legal", "marre", "fed", "farta", "farto",
        "harto", "decu*", "disappoint*", "desiludid*", "decepcionad*", "mecontent*", "unhappy",
        "insatisfeit*", "joke", "blague", "piada", "broma", "rude", "desagreable",
        "maleducado", "absurd*", "camelote", "junk", "porcaria", "jamais", "never", "nunca",
    ),
    "praise": (
        "super", "great", "top", "bravo", "kudos", "parabens", "enhorabuena", "adore*",
        "love*", "adoro", "amei", "encanta*", "recommand*", "recommend", "recomend*", "genial",
        "excellent*", "excelente", "perfect*", "parfait*", "perfeit*", "perfecto", "magnifique",
        "gorgeous", "lindo", "linda", "incroyable", "amazing", "incriveis", "etoiles", "stars",
        "estrelas", "avis", "review*", "feedback", "rating*", "testimonial*", "suggest*",
        "sugest*", "idee", "idea",
        "ameliorer", "improve", "melhorar", "devriez", "should", "deviam", "deberian",
        "aimerais", "wish", "gostava", "pratique", "handy", "pratico", "util", "useful",
        "utiles", "satisfait*", "happy", "contente", "contenta",
    ),
    "human": (
        "humain", "human", "humano", "personne", "person", "pessoa", "persona", "conseill*",
        "agent", "agente", "atendente", "assistente", "operat*", "operador", "responsable",
        "manager", "gerente", "superviseur", "supervisor", "encarregado", "encargado", "robot",
        "bot", "chatbot", "machine", "maquina", "appel*", "rappel*", "call", "ligar", "liguem",
        "liga", "llam*", "telephone", "phone", "telefone", "telefono", "someone", "quelqu",
        "alguem", "alguien", "vraie", "real", "verdade", "representative", "escal*",
    ),
    "newsletter": (
        "newsletter*", "desabonn*", "abonn*", "unsubscri*", "subscri*", "subscricao",
        "desinscri*", "inscri*", "descadastr*", "baja", "boletin", "sms", "texts", "mails",
        "emails", "promo*", "marketing", "pub", "publicit*", "spam", "diffusion", "mailing",
        "notifications", "notificac*", "alert*", "alerta*", "catalog*", "propaganda", "stop",
        "parem", "arretez", "dejen",
    ),
    "greet": (
        "bonjour", "bonsoir", "salut", "slt", "coucou", "bjr", "bsr", "cc", "hello", "hi",
        "hey", "hiya", "yo", "morning", "evening", "afternoon", "ola", "oi", "oii", "oiii",
        "hola", "buenos", "buenas", "bom", "boa", "boas", "dia", "tarde", "noite", "rebonjour",
        "salutations", "greetings", "saudacoes", "howdy", "sup", "wesh", "opa", "dear",
        "exmos", "madame", "monsieur",
    ),
    "thanks": (
        "merci*", "mrc", "cimer", "thank*", "thx", "ty", "tysm", "cheers", "obrigad*", "obg",
        "brigad*", "valeu", "vlw", "gracias", "agradec*", "remercie*", "appreciate",
        "revoir", "bye", "goodbye", "adeus", "tchau", "adios", "noted", "anotado",
    ),
}


_CONCEPT_MAP = WordMap(CONCEPTS)


def concept_tokens(words: list[str]) -> list[str]:
    """Return one "zzcue_<concept>" token per concept the folded words evoke."""
    found = {concept for word in words for concept in _CONCEPT_MAP.all_tokens(word)}
    return [f"zzcue_{concept}" for concept in sorted(found)]

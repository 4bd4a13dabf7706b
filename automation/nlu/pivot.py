"""A small fr/pt/es/en shop-chat lexicon that rewrites a message as English pivot words.

"je voudrais changer l'adresse de livraison", "queria mudar a morada de entrega" and "I'd like
to change the delivery address" all become "want change address deliver": word n-grams learnt
in one language then count in the others. Words not in the lexicon are left out of this view.
Keys are folded words; a key ending in "*" matches as a prefix; the longest prefix wins.
"""
from __future__ import annotations

from automation.nlu.places import CITIES, COUNTRIES, PLACE_PHRASES
from automation.nlu.wordmap import WordMap

PIVOT: dict[str, tuple[str, ...]] = {
    # the order and its life
    "order": (
        "commande", "commandes", "commander", "commande*", "cmd", "cde", "order", "orders",
        "ordered", "ordering", "encomenda*", "encomend*", "pedido", "pedidos", "enc",
    ),
    "buy": (
        "achet*", "achat*", "buy", "buying", "bought", "purchas*", "compra*", "compre*", "acquir*",
        "compro", "comprei", "encargar", "shopping",
    ),
    "cart": ("panier", "cart", "basket", "carrinho", "carrito", "checkout", "caisse"),
    "parcel": (
        "colis", "parcel*", "package*", "pacote*", "paquete*", "paquet*", "embrulho",
    ),
    "box": ("boite", "box", "caixa", "caja", "carton", "cardboard", "emballage*", "packaging"),
    "deliver": (
        "livr*", "deliver*", "entreg*", "reparti*",
    ),
    "ship": (
        "expedi*", "envoi", "envoy*", "envio*", "envia*", "envie*", "enviad*", "envi",
        "ship", "ships", "shipped", "shipping", "dispatch*", "despach*", "sent", "parti",
        "partie", "saiu", "sai", "salio",
    ),
    "track": ("suivi", "suivre", "track*", "rastre*", "seguimento", "seguimiento", "seguir"),
    "status": ("statut", "status", "estado", "etat"),
    "where": ("ou", "where", "wheres", "onde", "cade", "kd", "donde", "anda"),
    "when": ("quand", "when", "quando", "cuando"),
    "receive": (
        "recu", "recue", "recevoir", "recoi*", "receiv*", "receb*", "recibido", "recibi",
        "got", "get", "nothing", "rien", "nada",
    ),
    "arrive": ("arriv*", "cheg*", "lleg*", "turned"),
    "still": ("toujours", "still", "ainda", "todavia", "yet", "continuo", "continua"),
    "lost": ("perdu*", "lost", "perdid*", "perdeu", "perderam", "disparu", "vanished",
             "desaparec*", "disappear*"),
    "courier": (
        "transporteur*", "courier*", "transportadora*", "livreur*", "driver*", "estafeta*",
        "repartidor*", "carrier*", "entregador*", "colissimo", "chronopost", "dpd", "ctt",
        "correios", "dhl", "ups", "gls", "mondial", "poste", "royal",
    ),
    "cancel": ("annul*", "cancel*", "anul*", "desist*", "renonc*", "withdraw", "withdrawal",
               "void", "terminat*", "rescind*", "resili*", "rescis*"),
    "change": (
        "chang*", "modif*", "mud*", "alter*", "cambi*", "edit*", "updat*", "atualiz*",
        "actualiz*", "corrig*", "correct*", "fix", "switch", "passer",
    ),
    "swap": ("echang*", "exchang*", "troc*", "swap*", "replac*", "remplac*", "substitu*"),
    "add": ("ajout*", "rajout*", "add", "adding", "adicion*", "acrescent*", "junt*", "anad*"),
    "remove": ("enlev*", "retir*", "remov*", "tir*", "quit*"),
    "address": ("adresse", "address", "morada", "endereco", "direccion", "domicile", "home"),
    "size": ("taille*", "size*", "tamanho*", "talla*", "pointure", "tall*"),
    "colour": ("couleur*", "colour*", "color*", "cor", "cores", "coloris"),
    "return": ("retour*", "retourn*", "renvo*", "return*", "devol*", "rendre", "back"),
    "refund": ("rembours*", "refund*", "reembols*", "estorno", "avoir", "voucher", "vale",
               "rebat*", "compensat*", "indemni*"),
    "money": ("argent", "money", "dinheiro", "dinero"),
    "invoice": ("factur*", "invoice*", "fatura*", "nota", "bill", "bills"),
    "receipt": ("receipt*", "recibo", "talao", "ticket", "justificati*", "comprovativo",
                "justificante", "proof", "attestation"),
    "vat": ("tva", "vat", "iva", "nif", "siret", "cpf", "contribuinte", "tax"),
    "company": ("entreprise", "societe", "company", "empresa", "firma", "business",
                "association", "associacao", "asociacion", "charity"),
    "pay": ("paie*", "paiement*", "pay", "payer", "paye*", "paid", "paying", "payment*",
            "paga*", "pago", "pague*", "pagu*", "regl*"),
    "card": ("carte", "cartes", "card", "cards", "cartao", "tarjeta", "amex", "visa"),
    "charged": ("debit*", "charged", "charge", "cobr*", "prelev*", "taken"),
    "declined": ("refus*", "declin*", "rejected", "recusad*", "rechazad*"),
    "twice": ("fois", "times", "vezes", "veces", "twice", "double", "doublon", "duplica*"),
    "paymethod": ("paypal", "klarna", "mbway", "multibanco", "pix", "boleto", "bizum",
                  "virement", "transfer*", "transferencia", "sepa", "cheque",
                  "lydia", "paylib", "apple", "google", "alma", "clearpay", "cofidis"),
    "instalment": ("installment*", "instalment*", "prestac*", "parcela*", "plazos", "vezes"),
    "account": ("compte", "comptes", "account", "accounts", "conta", "contas", "cuenta",
                "cuentas", "profil*", "perfil", "espace", "area"),
    "password": ("password", "passwd", "pwd", "passcode", "senha", "contrasena", "mdp",
                 "palavra-passe"),
    "login": ("connect*", "conect*", "deconnect*", "desconect*", "deslig*", "login", "log",
              "logged", "sign", "signup*", "registration*", "entrar", "entro",
              "inscri*", "registe*", "regist*", "identifiant*", "username", "utilizador"),
    "delete": ("supprim*", "delet*", "apag*", "borr*", "effac*", "eras*", "eliminar",
               "clotur*", "close", "fechar", "encerrar"),
    "data": ("donnees", "data", "dados", "datos", "rgpd", "gdpr", "infos"),
    "email": ("mail", "mails", "email", "emails", "courriel", "correo", "correos"),
    "human": ("humain", "human", "humano", "personne", "person", "pessoa", "persona",
              "someone", "quelqu", "alguem", "alguien", "vraie", "vrai", "real"),
    "agent": ("conseill*", "agent*", "atendente*", "assistente*", "operat*", "operador*",
              "advisor", "representative", "rep", "manager", "gerente", "responsa*",
              "superviseur", "supervisor", "encarregado", "encargado", "vendeur", "technicien"),
    "speak": ("parler", "speak", "talk", "falar", "hablar", "discuter", "chat"),
    "call": ("appel*", "rappel*", "call", "ligar", "ligue*", "liga", "llam*", "telephon*",
             "phone", "telefon*"),
    "bot": ("robot", "bot", "chatbot", "machine", "maquina", "automatic*", "automatiq*"),
    "newsletter": ("newsletter*", "boletin", "lettre", "catalogue*", "catalog*"),
    "unsubscribe": ("desabonn*", "desinscri*", "unsubscri*", "descadastr*", "baja", "opt",
                    "desuscrib*"),
    "subscribe": ("abonn*", "subscri*", "suscrib*", "assinar", "inscrev*"),
    "promo": ("promo*", "pub", "publicit*", "marketing", "propaganda", "ads", "advertising",
              "offres", "ofertas", "offers", "deals", "spam", "commercia*", "comerciais"),
    "stop": ("stop", "arret*", "parem", "dejen", "deixem", "cessez", "chega"),
    "sms": ("sms", "texts", "text", "mensagens", "notification*", "notificac*", "alert*"),
    "hello": ("bonjour", "bonsoir", "salut", "slt", "coucou", "bjr", "bsr", "cc", "hello",
              "hi", "hey", "hiya", "ola", "oi", "oii", "hola", "buenos", "buenas", "morning",
              "evening", "afternoon", "rebonjour", "howdy", "yo", "boas", "tarde", "noite"),
    "thanks": ("merci*", "mrc", "cimer", "thank*", "thx", "ty", "tysm", "cheers", "obrigad*",
               "obg", "brigad*", "valeu", "vlw", "gracias", "agradec*", "remercie*",
               "appreciate"),
    "bye": ("revoir", "bye", "goodbye", "adeus", "tchau", "adios", "bientot", "logo"),
    "broken": ("cass*", "broken", "broke", "partid*", "partiu", "roto", "rota", "abim*",
               "damaged", "estragad*", "defect*", "defeit*", "faulty", "crack*", "rachad*",
               "fissur*", "trou", "hole", "buraco", "ecrase", "crushed", "amassad*"),
    "wrong": ("mauvais*", "wrong", "errad*", "equivocad*", "faux", "fausse", "erreur",
              "error", "erro", "engan*", "tromp*", "mistake"),
    "missing": ("manque*", "missing", "falta*", "manquant*", "vide", "empty", "vazia"),
    "late": ("retard*", "late", "delay*", "atras*"),
    "bad": ("nul", "nuls", "worst", "pire", "pior", "peor", "terrible", "horrible", "horrivel",
            "pessim*", "lamentable", "honte*", "shame*", "vergonha", "verguenza", "scandal*",
            "escandal*", "inadmissible", "unacceptable", "inaceitavel", "inacceptable",
            "ridicul*", "absurd*", "arnaque", "scam*", "golpe", "estafa*", "useless",
            "pathetic", "disgrace*", "camelote", "junk", "porcaria", "voleur*", "ladroes",
            "rude", "desagreable", "maleducad*", "furieux", "furious", "furioso", "marre",
            "fed", "farta", "farto", "harto", "joke", "blague", "piada", "broma"),
    "disappointed": ("decu*", "disappoint*", "desiludid*", "decepcion*", "mecontent*",
                     "unhappy", "insatisfeit*"),
    "complain": ("plainte", "complain*", "reclam*", "queixa", "legal", "relance*", "chased"),
    "good": ("super", "great", "top", "genial", "excellent*", "excelente", "parfait*",
             "perfect*", "perfeit*", "perfecto", "magnifique", "gorgeous", "lindo", "linda",
             "incroyable", "amazing", "incriveis", "brilliant", "ravie", "delighted",
             "encantad*", "nice", "bravo", "kudos", "parabens", "enhorabuena", "lovely"),
    "love": ("adore*", "love*", "adoro", "amei", "encanta*", "aime", "gostei", "liked"),
    "recommend": ("recommand*", "recommend*", "recomend*"),
    "suggest": ("suggest*", "sugest*", "sugir*", "idee", "idea", "ideia", "dica", "tip",
                "remarque", "remark", "reparo"),
    "improve": ("amelior*", "improv*", "melhor*", "mejor*"),
    "should": ("devriez", "should", "deviam", "deberian", "pourriez", "podiam", "could"),
    "feedback": ("avis", "review*", "feedback", "rating*", "testimonial*", "opiniao", "opinion",
                 "note", "etoiles", "stars", "estrelas"),
    "site": ("site", "website", "web", "appli*", "app", "pagina", "page"),
    "product": ("produit*", "product*", "produto*", "producto*", "article*", "artigo*",
                "item*", "articulo*", "modele*", "model*"),
    "stock": ("stock", "dispo*", "availab*", "disponi*", "rupture", "esgotad*", "agotad*",
              "sold", "reste"),
    "price": ("prix", "price*", "preco*", "precio*", "cout*", "cost*", "custa*", "cuesta*",
              "tarif*"),
    "howmuch": ("combien", "quanto", "quanta", "cuanto", "much", "many"),
    "material": ("matiere", "material", "tissu", "fabric", "tecido", "tela", "coton",
                 "cotton", "algodao", "laine", "wool", "lin", "linen", "linho"),
    "compatible": ("compatib*", "compativ*", "fit", "fits", "serve"),
    "warranty": ("garanti*", "warranty"),
    "made": ("fabriqu*", "made", "fabricad*", "feito", "hecho"),
    "time": ("delai*", "prazo*", "plazo*", "long", "demora*", "tarda*", "temps", "tempo",
             "tiempo", "combien"),
    "days": ("jour", "jours", "day", "days", "dia", "dias", "semaine*", "week*", "semana*",
             "ouvres", "business", "uteis", "habiles"),
    "free": ("gratuit*", "free", "gratis", "offert*", "offerte*"),
    "fees": ("frais", "fee", "fees", "portes", "port", "frete", "costs", "envio", "penalt*",
             "surcharge*",
             "penalit*", "penaliz*", "taxa", "taxas"),
    "country": ("pays", "country", "pais", "belgique", "belgium", "belgica", "suisse",
                "switzerland", "suica", "suiza", "espagne", "spain", "espanha", "espana",
                "france", "franca", "allemagne", "germany", "alemanha", "canada", "brasil",
                "brazil", "bresil", "portugal", "ireland", "irlande", "uk", "usa", "eua",
                "luxembourg", "luxemburgo", "monaco", "corse", "acores", "madeira", "dom",
                "canarias", "mexico", "angola", "martinique", "guadeloupe", "reunion",
                *COUNTRIES, *CITIES),
    "abroad": ("international*", "etranger", "abroad", "estrangeiro", "extranjero", "fora",
               "outside", "hors", "internacional"),
    "customs": ("douane*", "customs", "alfandega", "aduana*", "duties", "duty", "import"),
    "pickup": ("relais", "pickup", "recolha", "recogida", "locker", "cacifo", "consigne",
               "collect*", "levant*", "retrait", "recog*"),
    "store": ("magasin*", "store", "stores", "shop", "loja*", "tienda*", "boutique"),
    "express": ("express*", "expresso", "24h", "overnight", "lendemain", "seguinte"),
    "weekend": ("samedi", "saturday*", "sabado", "dimanche", "sunday*", "domingo", "weekend",
                "week-end"),
    "gift": ("cadeau*", "gift*", "present*", "regalo*", "oferecer", "offrir"),
    "job": ("emploi", "job*", "stage", "internship", "estagio", "recrut*", "hiring", "vagas",
            "candidature"),
    "partner": ("partenariat", "partnership", "parceria", "collaborat*", "colabora*",
                "influenc*", "fournisseur", "supplier", "fornecedor", "sponsor*", "patrocin*"),
    "quality": ("qualite", "quality", "qualidade", "calidad"),
    "service": ("service", "servico", "servicio", "sav", "support", "apoio", "atendimento",
                "atencion", "after-sales", "pos-venda"),
    "answer": ("repond*", "answer*", "reply", "respond*", "respost*", "contest*", "atende*"),
    "wait": ("attend*", "wait*", "esper*", "aguard*"),
    "today": ("aujourd", "today", "hoje", "hoy", "hj", "tonight", "soir"),
    "yesterday": ("hier", "yesterday", "ontem", "ayer"),
    "tomorrow": ("demain", "tomorrow", "amanha"),
    "number": ("numero*", "number", "num", "nr"),
    "can": ("peux", "peut", "pouvez", "puis", "can", "could", "posso", "pode", "podem",
            "puedo", "puede", "pueden", "possible", "possivel", "posible"),
    "want": ("veux", "voudrais", "souhait*", "aimerais", "want", "wanna", "like", "quero",
             "queria", "gostaria", "quiero", "quisiera", "jveux"),
    "need": ("besoin", "need*", "preciso", "precis*", "necesit*", "faut", "must"),
    "how": ("comment", "how", "como"),
    "why": ("pourquoi", "why", "porque", "porquoi"),
    "help": ("aide*", "aider", "help*", "ajud*", "ayud*"),
    "question": ("question*", "pregunta*", "pergunta*", "duvida*", "renseignement*", "info",
                 "information*", "informac*"),
    "not": ("pas", "not", "nao", "dont", "didnt", "havent", "hasnt", "isnt", "doesnt", "cant",
            "ne", "never", "jamais", "nunca"),
    "again": ("encore", "again", "novo", "otra", "outra", "troisieme", "third", "terceira"),
    "work": ("marche", "fonctionn*", "work*", "funcion*"),
    "link": ("lien*", "link*", "enlace*"),
    "code": ("code*", "codigo*"),
    "discount": ("reduc*", "discount*", "desconto*", "descuento*", "remise", "soldes",
                 "saldos", "rebajas"),
    "problem": ("probleme*", "problem*", "souci*", "issue*", "bug"),
    "mobile": ("portable", "mobile", "telemovel", "celular", "movil"),
    "name": ("nom", "name", "nome", "nombre", "prenom"),
    "office": ("bureau", "office", "oficina", "escritorio", "travail", "trabalho", "workplace"),
    "split": ("divis*", "split*", "dividir", "separ*"),
    "holiday": ("noel", "christmas", "natal", "navidad", "fetes", "holidays", "festas",
                "anniversaire", "birthday", "aniversario", "cumpleanos"),
    "before": ("avant", "before", "antes"),
    "now": ("maintenant", "now", "agora", "ahora", "immediat*", "asap", "urgent*", "ja"),
    "insured": ("assur*", "insur*", "seguro", "segurado*"),
    "prefer": ("prefer*", "prefir*", "prefiero", "rather", "plutot"),
}

# Multiword expressions read as one pivot word before single words are looked up.
PHRASES: dict[str, str] = {
    "bom dia": "hello", "boa tarde": "hello", "boa noite": "hello", "buenos dias": "hello",
    "mot de passe": "password", "palavra passe": "password", "point relais": "pickup",
    "send back": "return", "send it back": "return", "sending it back": "return",
    "sign up": "subscribe", "sign in": "login", "log in": "login", "logs me out": "login",
    "opt out": "unsubscribe", "de baja": "unsubscribe", "nota fiscal": "invoice",
    "note de frais": "receipt", "ticket de caisse": "receipt", "after sales": "service",
    "pos venda": "service", "service client": "service", "apoio ao cliente": "service",
    "customer service": "service", "atencion al cliente": "service", "on the way": "ship",
    "customer support": "service", "customer care": "service", "customer assistance": "service",
    "live agent": "agent", "money back": "refund", "get in touch": "call",
    "a caminho": "ship", "en route": "ship", "noise cancelling": "noise",
    "reduction de bruit": "noise", "mis en relation": "call", "de novo": "again",
    "outra vez": "again", "otra vez": "again", "how long": "time", "how much": "howmuch",
    "how many": "howmuch", "quanto tempo": "time", "combien de temps": "time",
    "thank you": "thanks", "au lieu de": "instead", "em vez de": "instead",
    "en vez de": "instead", "instead of": "instead", "a la place": "instead",
}

PHRASES.update({place: "country" for place in PLACE_PHRASES})

_PIVOT_MAP = WordMap(PIVOT)
_PHRASES_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _phrase, _token in PHRASES.items():
    _parts = tuple(_phrase.split())
    _PHRASES_BY_FIRST.setdefault(_parts[0], []).append((_parts, _token))
for _entries in _PHRASES_BY_FIRST.values():
    _entries.sort(key=lambda entry: -len(entry[0]))


def _lookup(word: str) -> str | None:
    token = _PIVOT_MAP.first_token(word)
    if token is None and len(word) > 2 and word[-1] == word[-2]:
        token = _PIVOT_MAP.first_token(word[:-1])  # "heyy", "hii": a doubled last letter
    return token


def pivot_words(words: list[str]) -> list[str]:
    """Return the English pivot word of each folded word or phrase in the lexicon, in order."""
    pivots: list[str] = []
    index = 0
    while index < len(words):
        token, width = None, 1
        for parts, phrase_token in _PHRASES_BY_FIRST.get(words[index], ()):
            if tuple(words[index:index + len(parts)]) == parts:
                token, width = phrase_token, len(parts)
                break
        if token is None:
            token = _lookup(words[index])
        if token is not None and (not pivots or pivots[-1] != token):
            pivots.append(token)
        index += width
    return pivots

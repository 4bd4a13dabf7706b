"""What simulated shoppers write, per category and language (fr, en, pt).

`{order}`, `{date}`, `{product}`, `{carrier}`, `{city}` and `{name}` are filled from the
shopper's own data by `bot_simulation.messages`. A template with `{order}` is only used when
the shopper has an order to name; the others ask without one ("where is my parcel?").
"""

from __future__ import annotations

# Our categories, and the desk intent each one should be read as.
EXPECTED_INTENT = {
    "order_status": "order_status", "delivery": "delivery_info",
    "cancellation": "cancel_order", "address_change": "modify_order",
    "returns_refunds": "return_refund", "payment": "payment", "invoice": "invoice",
    "account": "account", "product": "product_info", "complaint": "complaint",
    "thanks": "thanks", "human": "human_agent",
}
CATEGORIES = tuple(EXPECTED_INTENT)
LANGUAGES = ("fr", "en", "pt")

TEMPLATES: dict[str, dict[str, list[str]]] = {
    "order_status": {
        "fr": ["Où en est ma commande {order} ?", "Bonjour, je voudrais savoir où en est la "
               "commande {order} passée le {date}.", "Ma commande {order} est-elle partie ?",
               "Des nouvelles de ma commande ?", "quand est-ce que je vais recevoir ma "
               "commande {order} ??", "Je n'ai toujours rien reçu pour {order}, c'est normal ?"],
        "en": ["Where is my order {order}?", "Hi, could you tell me the status of order "
               "{order} I placed on {date}?", "Has my order {order} shipped yet?",
               "Any update on my order?", "when will i get my order {order}",
               "Still nothing for {order}, is that normal?"],
        "pt": ["Onde está a minha encomenda {order}?", "Olá, qual é o estado da encomenda "
               "{order} feita a {date}?", "A minha encomenda {order} já foi enviada?",
               "Há novidades da minha encomenda?", "quando recebo a encomenda {order}??",
               "Ainda não recebi nada da {order}, é normal?"],
    },
    "delivery": {
        "fr": ["Quand ma commande {order} sera-t-elle livrée ?", "Quel est le numéro de "
               "suivi {carrier} de la commande {order} ?", "Combien de temps prend la "
               "livraison à {city} ?", "Vous livrez le samedi ?", "le colis {order} est "
               "bloqué chez {carrier} depuis 3 jours"],
        "en": ["When will order {order} be delivered?", "What's the {carrier} tracking "
               "number for order {order}?", "How long does delivery to {city} take?",
               "Do you deliver on Saturdays?", "parcel {order} has been stuck with {carrier} "
               "for 3 days"],
        "pt": ["Quando é que a encomenda {order} vai ser entregue?", "Qual é o número de "
               "seguimento {carrier} da encomenda {order}?", "Quanto tempo demora a entrega "
               "em {city}?", "Fazem entregas ao sábado?", "a encomenda {order} está parada "
               "na {carrier} há 3 dias"],
    },
    "cancellation": {
        "fr": ["Je voudrais annuler ma commande {order}.", "Est-ce que je peux annuler la "
               "commande {order} svp ?", "Annulez la commande {order}, je me suis trompé.",
               "Je veux annuler ma commande."],
        "en": ["I'd like to cancel my order {order}.", "Can I still cancel order {order} "
               "please?", "Please cancel order {order}, I ordered by mistake.",
               "I want to cancel my order."],
        "pt": ["Quero cancelar a minha encomenda {order}.", "Ainda posso cancelar a "
               "encomenda {order}?", "Cancelem a encomenda {order} por favor, enganei-me.",
               "Quero cancelar a encomenda."],
    },
    "address_change": {
        "fr": ["Je dois changer l'adresse de livraison de la commande {order}.", "Est-ce "
               "possible de modifier l'adresse de ma commande {order} ? J'ai déménagé.",
               "Mauvaise adresse sur {order}, je peux la corriger ?"],
        "en": ["I need to change the delivery address of order {order}.", "Can I update "
               "the shipping address on my order {order}? I moved.", "Wrong address on "
               "{order}, can I fix it?"],
        "pt": ["Preciso de alterar a morada de entrega da encomenda {order}.", "É possível "
               "mudar a morada da encomenda {order}? Mudei de casa.", "Morada errada na "
               "{order}, posso corrigir?"],
    },
    "returns_refunds": {
        "fr": ["Je souhaite retourner ma commande {order}.", "Comment retourner {product} "
               "de la commande {order} ?", "Quand serai-je remboursé pour ma commande "
               "{order} ?", "Le {product} ne me va pas, je veux le renvoyer."],
        "en": ["I want to return my order {order}.", "How do I return the {product} from "
               "order {order}?", "When will I get my refund for order {order}?",
               "The {product} doesn't fit, I want to send it back."],
        "pt": ["Quero devolver a encomenda {order}.", "Como devolvo o {product} da "
               "encomenda {order}?", "Quando recebo o reembolso da encomenda {order}?",
               "O {product} não me serve, quero devolvê-lo."],
    },
    "payment": {
        "fr": ["J'ai été débité deux fois pour la commande {order}.", "Mon paiement par "
               "carte a été refusé, que faire ?", "Vous acceptez PayPal ?", "Le paiement de "
               "{order} n'est pas passé ?"],
        "en": ["I was charged twice for order {order}.", "My card payment was declined, "
               "what should I do?", "Do you accept PayPal?", "Did the payment for {order} "
               "not go through?"],
        "pt": ["Fui cobrado duas vezes pela encomenda {order}.", "O pagamento com cartão "
               "foi recusado, o que faço?", "Aceitam MB Way?", "O pagamento da {order} não "
               "passou?"],
    },
    "invoice": {
        "fr": ["Pouvez-vous m'envoyer la facture de la commande {order} ?", "Où trouver ma "
               "facture pour {order} ?", "J'ai besoin d'une facture avec mon numéro de TVA."],
        "en": ["Can you send me the invoice for order {order}?", "Where can I find my "
               "invoice for {order}?", "I need an invoice with my VAT number."],
        "pt": ["Podem enviar-me a fatura da encomenda {order}?", "Onde encontro a fatura "
               "da {order}?", "Preciso de uma fatura com o meu NIF."],
    },
    "account": {
        "fr": ["J'ai oublié mon mot de passe.", "Comment changer l'adresse email de mon "
               "compte ?", "Je veux supprimer mon compte.", "Je n'arrive plus à me connecter "
               "à mon compte"],
        "en": ["I forgot my password.", "How do I change the email address on my account?",
               "I want to delete my account.", "I can't log in to my account anymore"],
        "pt": ["Esqueci-me da palavra-passe.", "Como altero o email da minha conta?",
               "Quero apagar a minha conta.", "Já não consigo entrar na minha conta"],
    },
    "product": {
        "fr": ["Le {product} est-il disponible ?", "Avez-vous le {product} en taille M ?",
               "Quelle est la composition du {product} ?", "Le {product} revient quand en "
               "stock ?"],
        "en": ["Is the {product} available?", "Do you have the {product} in size M?",
               "What is the {product} made of?", "When will the {product} be back in stock?"],
        "pt": ["O {product} está disponível?", "Têm o {product} no tamanho M?", "Qual é a "
               "composição do {product}?", "Quando volta o {product} ao stock?"],
    },
    "complaint": {
        "fr": ["C'est inadmissible, ma commande {order} est arrivée abîmée !", "Très déçu, "
               "le {product} est cassé.", "Cela fait deux semaines que j'attends {order}, "
               "c'est n'importe quoi !"],
        "en": ["This is unacceptable, my order {order} arrived damaged!", "Very "
               "disappointed, the {product} is broken.", "I've been waiting two weeks for "
               "{order}, this is ridiculous!"],
        "pt": ["Isto é inaceitável, a encomenda {order} chegou danificada!", "Muito "
               "desiludido, o {product} veio partido.", "Estou há duas semanas à espera da "
               "{order}, é uma vergonha!"],
    },
    "thanks": {
        "fr": ["Merci beaucoup !", "Super, merci pour votre aide.", "Parfait, merci {name} "
               "vous êtes au top"],
        "en": ["Thanks a lot!", "Great, thank you for your help.", "Perfect, thanks!"],
        "pt": ["Muito obrigado!", "Ótimo, obrigada pela ajuda.", "Perfeito, obrigado!"],
    },
    "human": {
        "fr": ["Je voudrais parler à un conseiller.", "Passez-moi un humain svp",
               "Je veux parler à quelqu'un de votre équipe."],
        "en": ["I'd like to speak to a person.", "Can I talk to a human please",
               "Let me talk to someone from your team."],
        "pt": ["Quero falar com um assistente.", "Posso falar com uma pessoa, por favor?",
               "Quero falar com alguém da vossa equipa."],
    },
}

GREETINGS = {"fr": ["Bonjour, ", "Bonjour ! ", "Salut, ", "Bonsoir, "],
             "en": ["Hello, ", "Hi! ", "Hi there, ", "Good morning, "],
             "pt": ["Olá, ", "Bom dia, ", "Boa tarde! ", "Olá! "]}
SIGN_OFFS = {"fr": [" Merci.", " Cordialement, {name}", " Merci d'avance !"],
             "en": [" Thanks.", " Best regards, {name}", " Thanks in advance!"],
             "pt": [" Obrigado.", " Cumprimentos, {name}", " Obrigada desde já!"]}

# Follow-ups a persona writes after the desk's reply.
FOLLOW_UPS: dict[str, dict[str, list[str]]] = {
    "yes": {"fr": ["Oui", "oui, je confirme", "Oui allez-y"],
            "en": ["Yes", "yes please", "Yes, go ahead"],
            "pt": ["Sim", "sim, confirmo", "Sim, pode avançar"]},
    "give_order": {"fr": ["C'est la commande {order}", "{order}", "La {order}"],
                   "en": ["It's order {order}", "{order}", "The {order} one"],
                   "pt": ["É a encomenda {order}", "{order}", "A {order}"]},
    "new_address": {"fr": ["15 rue Victor Hugo, 69003 Lyon"],
                    "en": ["10 Baker Street, NW1 6XE London"],
                    "pt": ["Rua Augusta 100, 1100-053 Lisboa"]},
    "annoyed": {"fr": ["Ce n'est pas du tout ce que je demande.", "Vous ne répondez pas à ma "
                       "question !", "Ça ne m'aide pas du tout..."],
                "en": ["That's not what I asked at all.", "You're not answering my "
                       "question!", "That doesn't help me at all..."],
                "pt": ["Não foi nada disso que perguntei.", "Não está a responder à minha "
                       "pergunta!", "Isso não me ajuda nada..."]},
}

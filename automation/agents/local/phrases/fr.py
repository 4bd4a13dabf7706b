"""Réponses en français de l'agent local. Chaque clé a des variantes ; {noms} remplis."""

PHRASES = {
    "greeting": [
        "Bonjour {name} ! Comment puis-je vous aider ? Je peux suivre une commande, vous "
        "aider pour un retour ou répondre à une question sur la livraison ou le paiement.",
        "Bonjour {name}, ravi de vous retrouver ! Que puis-je faire pour vous : suivre une "
        "commande, un retour, une question ?",
    ],
    "greeting_again": ["Re-bonjour {name} ! Que puis-je faire d'autre pour vous ?"],
    "thanks": [
        "Avec plaisir, {name} ! Puis-je vous aider pour autre chose ?",
        "Je vous en prie, {name}. Belle journée à vous — je reste là si besoin.",
    ],
    "ask_order": [
        "De quelle commande s'agit-il, {name} ? Voici vos plus récentes : {orders}. "
        "Touchez-en une ou écrivez son numéro.",
        "Bien sûr {name} — laquelle ? Vos dernières commandes : {orders}.",
    ],
    "no_orders": [
        "Je ne vois encore aucune commande sur votre compte, {name}. Si vous avez commandé "
        "avec une autre adresse e-mail, donnez-moi le numéro de commande.",
    ],
    "order_not_found": [
        "Je ne trouve pas de commande {number} sur votre compte, {name}. Pouvez-vous vérifier "
        "le numéro ? Il figure dans l'e-mail de confirmation (du type CMD-12345).",
        "{name}, aucune commande {number} n'apparaît sur votre compte. Pouvez-vous vérifier "
        "le numéro dans votre e-mail de confirmation ?",
    ],
    "status_pending": [
        "{name}, votre commande {number} du {placed} ({items}, {total}) est en attente de "
        "paiement. Dès qu'il est validé, nous la préparons sous 1 à 2 jours ouvrés.",
    ],
    "status_paid": [
        "Bonne nouvelle {name} : votre commande {number} du {placed} ({items}, {total}) est "
        "payée et en file de préparation.{eta}",
        "{name}, votre commande {number} ({items}) est payée et sera préparée très vite.{eta}",
    ],
    "status_processing": [
        "{name}, votre commande {number} ({items}) est en cours de préparation dans notre "
        "entrepôt et partira très bientôt.{eta}",
    ],
    "status_shipped": [
        "Bonjour {name}, votre commande {number} est partie le {shipped} avec {carrier}, "
        "numéro de suivi {tracking}.{eta}",
        "{name}, votre commande {number} est en route ! Expédiée le {shipped} avec {carrier} "
        "(suivi {tracking}).{eta}",
    ],
    "status_delivered": [
        "{name}, votre commande {number} ({items}) a été livrée le {delivered} à {city}."
        "{returns}",
        "D'après {carrier}, votre commande {number} a été livrée le {delivered} à {city}, "
        "{name}.{returns}",
    ],
    "status_cancelled": [
        "{name}, votre commande {number} du {placed} a été annulée le {cancelled}. Si vous "
        "aviez payé, le remboursement arrive sur votre moyen de paiement sous 3 à 5 jours "
        "ouvrés.",
    ],
    "status_returned": [
        "{name}, le retour de votre commande {number} a bien été reçu. Le remboursement de "
        "{total} arrive sur votre moyen de paiement d'origine sous 3 à 5 jours ouvrés.",
    ],
    "eta": [" Livraison prévue le {date}."],
    "returns_open": [" Si quelque chose ne va pas, vous pouvez la retourner jusqu'au {date}."],
    "returns_requested": [" Votre demande de retour est bien enregistrée."],
    "cancel_readback": [
        "Pour être sûr, {name} : j'annule la commande {number} ({items}, {total}) et le "
        "montant total sera remboursé sur votre moyen de paiement d'origine sous 3 à 5 "
        "jours ouvrés. Je confirme l'annulation ? (oui / non)",
    ],
    "cancel_done": [
        "C'est fait, {name} : la commande {number} est annulée. Le remboursement de {total} "
        "arrivera sur votre moyen de paiement sous 3 à 5 jours ouvrés.",
    ],
    "cancel_refused_shipped": [
        "Je suis désolé {name}, la commande {number} a quitté notre entrepôt le {shipped} : "
        "elle ne peut plus être annulée. À réception, vous pourrez la retourner "
        "sous {window} jours.",
    ],
    "cancel_refused_processing": [
        "Je suis désolé {name}, la commande {number} est déjà en préparation et ne peut plus "
        "être annulée. À réception, vous pourrez la retourner sous {window} jours.",
    ],
    "cancel_refused_delivered": [
        "{name}, la commande {number} a été livrée le {delivered} : elle ne peut plus être "
        "annulée, mais vous pouvez la retourner jusqu'au {deadline}. Voulez-vous que "
        "j'ouvre un retour ?",
    ],
    "cancel_refused_closed": [
        "{name}, la commande {number} est déjà {status_word} : il n'y a plus rien à annuler.",
    ],
    "declined": [
        "Très bien {name}, je n'ai rien modifié. Puis-je faire autre chose pour vous ?",
        "Pas de souci, {name} — rien n'a été changé.",
    ],
    "return_done": [
        "Votre retour pour la commande {number} est enregistré, {name}. Imprimez l'étiquette "
        "prépayée (ou présentez son QR code) depuis Mes commandes → {number} → Retourner des "
        "articles, et déposez le colis sous 14 jours. Nous le contrôlons sous 3 jours ouvrés "
        "après réception, puis remboursons {total} sur votre moyen de paiement d'origine.",
    ],
    "return_outside_window": [
        "Je suis désolé {name}, la commande {number} a été livrée le {delivered} et le délai "
        "de retour de {window} jours a pris fin le {deadline} : je ne peux pas ouvrir de "
        "retour. Si l'article est défectueux, la garantie légale de 2 ans s'applique — "
        "dites-moi ce qui ne va pas et je transmets à l'équipe.",
    ],
    "return_not_delivered": [
        "{name}, la commande {number} est {status_word} et pas encore livrée : un retour ne "
        "peut pas encore être ouvert. {alternative}",
    ],
    "return_already": [
        "{name}, un retour est déjà enregistré pour la commande {number} (le {requested}). "
        "Le remboursement suit dès réception du colis.",
    ],
    "alt_cancel": ["Comme elle n'est pas expédiée, je peux l'annuler si vous le souhaitez."],
    "alt_wait": ["Une fois livrée, vous aurez {window} jours pour la retourner."],
    "address_ask": [
        "Bien sûr, {name}. Quelle est la nouvelle adresse de livraison pour la commande "
        "{number} ? Indiquez la rue, le code postal et la ville (ex. : 15 rue Victor Hugo, "
        "69003 Lyon).",
    ],
    "address_unparsed": [
        "Désolé {name}, je n'ai pas reconnu une adresse. Écrivez-la ainsi : rue, code postal "
        "ville — par exemple 15 rue Victor Hugo, 69003 Lyon.",
    ],
    "address_readback": [
        "Pour être sûr, {name} : la commande {number} sera livrée au {address} au lieu du "
        "{old_address}. Je fais la modification ? (oui / non)",
    ],
    "address_done": ["C'est fait, {name} : la commande {number} sera livrée au {address}."],
    "address_refused": [
        "Je suis désolé {name}, la commande {number} est partie le {shipped} avec {carrier} : "
        "son adresse ne peut plus être modifiée. Vous pouvez demander à {carrier} de la "
        "réacheminer avec le numéro de suivi {tracking}.",
        "Malheureusement {name}, la commande {number} est déjà {status_word} : l'adresse de "
        "livraison ne peut plus être changée.",
    ],
    "modify_items": [
        "{name}, les articles d'une commande ne peuvent plus être modifiés une fois passée. "
        "La commande {number} est {status_word} ; {cancel_hint}",
    ],
    "modify_cancel_hint": ["je peux l'annuler pour que vous recommandiez ce qu'il vous faut."],
    "modify_no_cancel_hint": ["à réception, vous pourrez retourner ce qui ne vous convient pas."],
    "products_found": ["Voici ce que j'ai trouvé, {name} : {products}."],
    "products_none": [
        "Je ne trouve pas cet article dans notre catalogue, {name}. Pouvez-vous le décrire "
        "autrement (nom, couleur, taille) ?",
    ],
    "in_stock": ["en stock"],
    "out_of_stock": ["en rupture de stock"],
    "kb_intro": ["{name}, {answer}", "{answer}"],
    "clarify": [
        "Je ne suis pas sûr d'avoir compris, {name}. C'est au sujet d'une commande (suivi, "
        "annulation, retour), d'un paiement ou d'un produit ?",
        "Désolé {name}, pouvez-vous reformuler ? Par exemple : « où est ma commande », « je "
        "veux retourner un article » ou « j'ai été mal débité ».",
    ],
    "handoff": [
        "Je vous passe à un membre de notre équipe, {name}, avec tout notre échange : vous "
        "n'aurez rien à répéter. Vous êtes numéro {position} dans la file — environ "
        "{minutes} minutes.",
    ],
    "handoff_already": [
        "Vous êtes dans la file pour un conseiller, {name} (numéro {position}). En attendant, "
        "je peux toujours vous aider.",
    ],
    "frustrated": [
        "Je suis vraiment désolé, {name}, je comprends à quel point c'est agaçant.",
    ],
    "complaint_ticket": [
        "Je suis désolé, {name}. J'ai ouvert le ticket {ticket} (priorité {priority}) pour "
        "que l'équipe s'en occupe{about}.",
    ],
    "urgent_ticket": [
        "{name}, j'ai ouvert le ticket {ticket} en urgence : un responsable l'examinera sous "
        "4 heures.",
    ],
    "about_order": [" pour la commande {number}"],
    "feedback_thanks": ["Merci pour votre retour, {name} — je l'ai transmis à l'équipe."],
    "newsletter_off": [
        "C'est fait, {name} : vous êtes désinscrit(e) de la newsletter. Vous recevrez toujours "
        "les e-mails concernant vos commandes.",
    ],
    "newsletter_on": ["C'est fait, {name} : vous êtes inscrit(e) à la newsletter."],
    "invoice": [
        "{name}, la facture de la commande {number} est dans votre compte : Mes commandes → "
        "{number} → Télécharger la facture. Je peux aussi la faire envoyer à {email}.",
    ],
    "empty": ["Je n'ai reçu aucun texte, {name}. Que puis-je faire pour vous ?"],
    "injection": [
        "Je ne peux consulter ou modifier que vos propres commandes, {name}, et seulement à "
        "votre demande.",
    ],
    "fallback": [
        "Désolé {name}, je rencontre un problème technique. Votre message est bien enregistré "
        "et un membre de l'équipe vous répondra ; vous pouvez aussi réessayer dans un instant.",
    ],
    "qr_orders": ["Mes commandes"],
    "qr_person": ["Parler à un conseiller"],
    "qr_yes": ["Oui"],
    "qr_no": ["Non"],
    "qr_return": ["Retourner un article"],
    "status_word": {"pending": "en attente de paiement", "paid": "payée",
                    "processing": "en préparation", "shipped": "expédiée",
                    "delivered": "livrée", "cancelled": "annulée", "returned": "retournée"},
    "and_more": ["{first} et {count} autre(s) article(s)"],
}

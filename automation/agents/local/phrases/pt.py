"""Respostas em português do agente local. Cada chave tem variantes; {nomes} preenchidos."""

PHRASES = {
    "greeting": [
        "Olá {name}! Como posso ajudar? Posso acompanhar uma encomenda, ajudar com uma "
        "devolução ou responder a dúvidas sobre entrega ou pagamento.",
        "Olá {name}, que bom tê-lo(a) de volta! Em que posso ajudar: acompanhar uma "
        "encomenda, uma devolução, uma dúvida?",
    ],
    "greeting_again": ["Olá de novo, {name}! Em que mais posso ajudar?"],
    "thanks": [
        "De nada, {name}! Posso ajudar em mais alguma coisa?",
        "Foi um prazer, {name}. Tenha um ótimo dia — estou aqui se precisar.",
    ],
    "ask_order": [
        "De que encomenda se trata, {name}? Estas são as mais recentes: {orders}. "
        "Toque numa delas ou escreva o número.",
        "Claro, {name} — qual delas? As suas últimas encomendas: {orders}.",
    ],
    "no_orders": [
        "Ainda não vejo nenhuma encomenda na sua conta, {name}. Se encomendou com outro "
        "e-mail, indique-me o número da encomenda.",
    ],
    "order_not_found": [
        "Não encontro nenhuma encomenda {number} na sua conta, {name}. Pode verificar o "
        "número? Está no e-mail de confirmação (algo como CMD-12345).",
        "{name}, nenhuma encomenda {number} aparece na sua conta. Pode confirmar o número "
        "no e-mail de confirmação?",
    ],
    "status_pending": [
        "{name}, a sua encomenda {number} de {placed} ({items}, {total}) aguarda pagamento. "
        "Assim que for confirmado, preparamo-la em 1 a 2 dias úteis.",
    ],
    "status_paid": [
        "Boa notícia, {name}: a sua encomenda {number} de {placed} ({items}, {total}) está "
        "paga e na fila de preparação.{eta}",
        "{name}, a sua encomenda {number} ({items}) está paga e será preparada em breve.{eta}",
    ],
    "status_processing": [
        "{name}, a sua encomenda {number} ({items}) está a ser preparada no nosso armazém e "
        "sai muito em breve.{eta}",
    ],
    "status_shipped": [
        "Olá {name}, a sua encomenda {number} foi enviada a {shipped} com {carrier}, número "
        "de seguimento {tracking}.{eta}",
        "{name}, a sua encomenda {number} está a caminho! Enviada a {shipped} com {carrier} "
        "(seguimento {tracking}).{eta}",
    ],
    "status_delivered": [
        "{name}, a sua encomenda {number} ({items}) foi entregue a {delivered} em {city}."
        "{returns}",
        "Segundo a {carrier}, a sua encomenda {number} foi entregue a {delivered} em {city}, "
        "{name}.{returns}",
    ],
    "status_cancelled": [
        "{name}, a sua encomenda {number} de {placed} foi cancelada a {cancelled}. Se já "
        "tinha pago, o reembolso chega ao seu meio de pagamento em 3 a 5 dias úteis.",
    ],
    "status_returned": [
        "{name}, a devolução da sua encomenda {number} foi recebida. O reembolso de {total} "
        "chega ao seu meio de pagamento original em 3 a 5 dias úteis.",
    ],
    "eta": [" Entrega prevista: {date}."],
    "returns_open": [" Se algo não estiver bem, pode devolvê-la até {date}."],
    "returns_requested": [" O seu pedido de devolução está registado."],
    "cancel_readback": [
        "Só para confirmar, {name}: vou cancelar a encomenda {number} ({items}, {total}) e o "
        "valor total será reembolsado no seu meio de pagamento original em 3 a 5 dias "
        "úteis. Confirma o cancelamento? (sim / não)",
    ],
    "cancel_done": [
        "Feito, {name}: a encomenda {number} foi cancelada. O reembolso de {total} chega ao "
        "seu meio de pagamento em 3 a 5 dias úteis.",
    ],
    "cancel_refused_shipped": [
        "Lamento, {name}, a encomenda {number} já saiu do armazém a {shipped} e já não pode "
        "ser cancelada. Quando chegar, pode devolvê-la em {window} dias.",
    ],
    "cancel_refused_processing": [
        "Lamento, {name}, a encomenda {number} já está a ser preparada e já não pode ser "
        "cancelada. Quando chegar, pode devolvê-la em {window} dias.",
    ],
    "cancel_refused_delivered": [
        "{name}, a encomenda {number} foi entregue a {delivered}, por isso já não pode ser "
        "cancelada — mas pode devolvê-la até {deadline}. Quer que abra uma devolução?",
    ],
    "cancel_refused_closed": [
        "{name}, a encomenda {number} já está {status_word}: não há nada a cancelar.",
    ],
    "declined": [
        "Muito bem, {name}, não alterei nada. Posso ajudar em mais alguma coisa?",
        "Sem problema, {name} — nada foi alterado.",
    ],
    "return_done": [
        "A devolução da encomenda {number} está registada, {name}. Imprima a etiqueta "
        "pré-paga (ou mostre o código QR) em As minhas encomendas → {number} → Devolver "
        "artigos e entregue a encomenda em 14 dias. Verificamo-la em 3 dias úteis após a "
        "recebermos e reembolsamos {total} no seu meio de pagamento original.",
    ],
    "return_outside_window": [
        "Lamento, {name}, a encomenda {number} foi entregue a {delivered} e o prazo de "
        "devolução de {window} dias terminou a {deadline}, por isso não posso abrir uma "
        "devolução. Se o artigo tiver defeito, a garantia legal (3 anos em Portugal) "
        "aplica-se — diga-me "
        "o que se passa e passo ao resto da equipa.",
    ],
    "return_not_delivered": [
        "{name}, a encomenda {number} está {status_word} e ainda não foi entregue, por isso "
        "ainda não é possível abrir uma devolução. {alternative}",
    ],
    "return_already": [
        "{name}, já existe uma devolução registada para a encomenda {number} (a "
        "{requested}). O reembolso segue quando a recebermos.",
    ],
    "alt_cancel": ["Como ainda não foi enviada, posso cancelá-la se preferir."],
    "alt_wait": ["Depois de entregue, terá {window} dias para a devolver."],
    "address_ask": [
        "Claro, {name}. Qual é a nova morada de entrega da encomenda {number}? Indique a rua, "
        "o código postal e a cidade (ex.: Rua Augusta 100, 1100-053 Lisboa).",
    ],
    "address_unparsed": [
        "Desculpe, {name}, não reconheci uma morada. Escreva assim: rua, código postal "
        "cidade — por exemplo Rua Augusta 100, 1100-053 Lisboa.",
    ],
    "address_readback": [
        "Só para confirmar, {name}: a encomenda {number} será entregue em {address} em vez "
        "de {old_address}. Faço a alteração? (sim / não)",
    ],
    "address_done": ["Feito, {name}: a encomenda {number} será entregue em {address}."],
    "address_refused": [
        "Lamento, {name}, a encomenda {number} já foi enviada a {shipped} com {carrier}, por "
        "isso a morada já não pode ser alterada. Pode pedir à {carrier} para a redirecionar "
        "com o número de seguimento {tracking}.",
        "Infelizmente, {name}, a encomenda {number} já está {status_word}, por isso a morada "
        "de entrega já não pode ser alterada.",
    ],
    "modify_items": [
        "{name}, os artigos de uma encomenda não podem ser alterados depois de feita. A "
        "encomenda {number} está {status_word}; {cancel_hint}",
    ],
    "modify_cancel_hint": ["posso cancelá-la para que volte a encomendar o que precisa."],
    "modify_no_cancel_hint": ["quando chegar, pode devolver o que não quiser."],
    "products_found": ["Eis o que encontrei, {name}: {products}."],
    "products_none": [
        "Não encontro esse artigo no nosso catálogo, {name}. Pode descrevê-lo de outra forma "
        "(nome, cor, tamanho)?",
    ],
    "in_stock": ["em stock"],
    "out_of_stock": ["esgotado"],
    "kb_intro": ["{name}, {answer}", "{answer}"],
    "clarify": [
        "Não tenho a certeza de ter percebido, {name}. É sobre uma encomenda (seguimento, "
        "cancelamento, devolução), um pagamento ou um produto?",
        "Desculpe, {name}, pode dizer de outra forma? Por exemplo: \"onde está a minha "
        "encomenda\", \"quero devolver um artigo\" ou \"fui mal cobrado\".",
    ],
    "handoff": [
        "Vou passá-lo(a) a um membro da nossa equipa, {name}, com toda a nossa conversa: não "
        "terá de repetir nada. É o número {position} na fila — cerca de {minutes} minutos.",
    ],
    "handoff_already": [
        "Está na fila para falar com uma pessoa, {name} (número {position}). Entretanto, "
        "posso continuar a ajudar.",
    ],
    "frustrated": [
        "Lamento muito, {name}, compreendo como isto é frustrante.",
    ],
    "complaint_ticket": [
        "Lamento, {name}. Abri o ticket {ticket} (prioridade {priority}) para que a equipa "
        "trate do assunto{about}.",
    ],
    "urgent_ticket": [
        "{name}, abri o ticket {ticket} como urgente: um responsável vai analisá-lo em "
        "4 horas.",
    ],
    "about_order": [" da encomenda {number}"],
    "feedback_thanks": ["Obrigado pelo seu feedback, {name} — já o passei à equipa."],
    "newsletter_off": [
        "Feito, {name}: cancelou a subscrição da newsletter. Continuará a receber os e-mails "
        "sobre as suas encomendas.",
    ],
    "newsletter_on": ["Feito, {name}: subscreveu a nossa newsletter."],
    "invoice": [
        "{name}, a fatura da encomenda {number} está na sua conta: As minhas encomendas → "
        "{number} → Descarregar fatura. Também posso enviá-la para {email}.",
    ],
    "empty": ["Não recebi nenhum texto, {name}. Em que posso ajudar?"],
    "injection": [
        "Só posso consultar ou alterar as suas próprias encomendas, {name}, e apenas a seu "
        "pedido.",
    ],
    "fallback": [
        "Desculpe, {name}, estou com um problema técnico. A sua mensagem ficou registada e "
        "um membro da equipa vai responder-lhe; também pode tentar de novo daqui a pouco.",
    ],
    "qr_orders": ["As minhas encomendas"],
    "qr_person": ["Falar com uma pessoa"],
    "qr_yes": ["Sim"],
    "qr_no": ["Não"],
    "qr_return": ["Devolver um artigo"],
    "status_word": {"pending": "a aguardar pagamento", "paid": "paga",
                    "processing": "em preparação", "shipped": "enviada",
                    "delivered": "entregue", "cancelled": "cancelada", "returned": "devolvida"},
    "and_more": ["{first} e mais {count} artigo(s)"],
}

"""English replies of the local agent. Each key has variants; {names} are filled in."""

PHRASES = {
    "greeting": [
        "Hello {name}! How can I help you today? I can check an order, help with a return "
        "or answer a question about delivery or payment.",
        "Hi {name}, welcome back! What can I do for you — an order to track, a return, "
        "a question?",
    ],
    "greeting_again": ["Hello again {name}! What else can I do for you?"],
    "thanks": [
        "You're welcome, {name}! Anything else I can help with?",
        "My pleasure, {name}. Have a lovely day — I'm here if you need anything else.",
    ],
    "ask_order": [
        "Which order is it about, {name}? Here are your most recent ones: {orders}. "
        "You can tap one or type its number.",
        "Sure, {name} — which order do you mean? Your latest: {orders}.",
    ],
    "no_orders": [
        "I can't see any order on your account yet, {name}. If you ordered as a guest or "
        "with another email address, tell me its order number.",
    ],
    "order_not_found": [
        "I couldn't find an order {number} on your account, {name}. Could you check the "
        "number? It is in your confirmation email (it looks like CMD-12345).",
        "{name}, no order {number} shows up on your account. Could you double-check the "
        "number in your confirmation email?",
    ],
    "status_pending": [
        "{name}, your order {number} of {placed} ({items}, {total}) is waiting for payment. "
        "Once the payment goes through we prepare it within 1–2 working days.",
    ],
    "status_paid": [
        "Good news {name}: your order {number} of {placed} ({items}, {total}) is paid and "
        "queued for preparation.{eta}",
        "{name}, your order {number} ({items}) is paid and will be prepared shortly.{eta}",
    ],
    "status_processing": [
        "{name}, your order {number} ({items}) is being prepared in our warehouse and will "
        "ship very soon.{eta}",
    ],
    "status_shipped": [
        "{name}, your order {number} left our warehouse on {shipped} with {carrier}, tracking "
        "number {tracking}.{eta}",
        "Your order {number} is on its way, {name}! Shipped on {shipped} with {carrier} "
        "(tracking {tracking}).{eta}",
    ],
    "status_delivered": [
        "{name}, your order {number} ({items}) was delivered on {delivered} to {city}.{returns}",
        "According to {carrier}, your order {number} was delivered on {delivered} in "
        "{city}, {name}.{returns}",
    ],
    "status_cancelled": [
        "{name}, your order {number} of {placed} was cancelled on {cancelled}. If you paid, "
        "the refund goes back to your original payment method within 3–5 working days.",
    ],
    "status_returned": [
        "{name}, the return of your order {number} has been received. The refund of {total} "
        "goes back to your original payment method within 3–5 working days.",
    ],
    "eta": [" Expected delivery: {date}."],
    "returns_open": [" If something isn't right, you can return it until {date}."],
    "returns_requested": [" Your return request is registered."],
    "cancel_readback": [
        "Just to confirm, {name}: I will cancel order {number} ({items}, {total}) and the "
        "full amount will be refunded to your original payment method within 3–5 working "
        "days. Shall I go ahead? (yes / no)",
    ],
    "cancel_done": [
        "Done, {name}: order {number} is cancelled. The refund of {total} will reach your "
        "original payment method within 3–5 working days.",
    ],
    "cancel_refused_shipped": [
        "I'm sorry {name}, order {number} already left our warehouse on {shipped}, so it can "
        "no longer be cancelled. Once it arrives you can return it within "
        "{window} days of delivery.",
    ],
    "cancel_refused_processing": [
        "I'm sorry {name}, order {number} is already being prepared and can no longer be "
        "cancelled. Once it arrives you can return it within {window} days of delivery.",
    ],
    "cancel_refused_delivered": [
        "{name}, order {number} was delivered on {delivered}, so it can't be cancelled any "
        "more — but you can return it until {deadline}. Shall I open a return?",
    ],
    "cancel_refused_closed": [
        "{name}, order {number} is already {status_word}: there is nothing left to cancel.",
    ],
    "declined": [
        "All right {name}, I haven't changed anything. Anything else I can do?",
        "No problem, {name} — nothing has been changed.",
    ],
    "return_done": [
        "Your return for order {number} is registered, {name}. Print the prepaid label (or "
        "show its QR code) from My orders → {number} → Return items, and drop the parcel off "
        "within 14 days. We check it within 3 working days of receiving it, then refund "
        "{total} to your original payment method.",
    ],
    "return_outside_window": [
        "I'm sorry {name}, order {number} was delivered on {delivered} and the {window}-day "
        "return window closed on {deadline}, so I can't open a return for it. If the item "
        "is faulty, our 2-year legal warranty still applies — tell me what's wrong and I'll "
        "pass it to the team.",
    ],
    "return_not_delivered": [
        "{name}, order {number} is {status_word}, not delivered yet, so a return can't be "
        "opened. {alternative}",
    ],
    "return_already": [
        "{name}, a return for order {number} is already registered (on {requested}). "
        "The refund follows once the parcel reaches us.",
    ],
    "alt_cancel": ["Since it hasn't shipped, I can cancel it instead if you like."],
    "alt_wait": ["Once it's delivered you'll have {window} days to return it."],
    "address_ask": [
        "Of course, {name}. What is the new delivery address for order {number}? Please "
        "write the street, postcode and city (e.g. 10 Baker Street, NW1 6XE London).",
    ],
    "address_unparsed": [
        "Sorry {name}, I couldn't read that as an address. Please write it as: street, "
        "postcode city — for example 10 Baker Street, NW1 6XE London.",
    ],
    "address_readback": [
        "Just to confirm, {name}: order {number} will be delivered to {address} instead of "
        "{old_address}. Shall I make the change? (yes / no)",
    ],
    "address_done": [
        "Done, {name}: order {number} will now be delivered to {address}.",
    ],
    "address_refused": [
        "I'm sorry {name}, order {number} already shipped on {shipped} with {carrier}, so its "
        "address can't be changed any more. You can ask {carrier} to redirect it with the "
        "tracking number {tracking}.",
        "Unfortunately {name}, order {number} is already {status_word}, so the delivery "
        "address can no longer be changed.",
    ],
    "modify_items": [
        "{name}, items can't be changed on an order once it's placed. Order {number} is "
        "{status_word}; {cancel_hint}",
    ],
    "modify_cancel_hint": ["I can cancel it so you can order again what you need."],
    "modify_no_cancel_hint": ["once it arrives you can return what you don't want."],
    "products_found": ["Here is what I found, {name}: {products}."],
    "products_none": [
        "I couldn't find that in our catalogue, {name}. Could you describe it differently "
        "(name, colour, size)?",
    ],
    "in_stock": ["in stock"],
    "out_of_stock": ["out of stock"],
    "kb_intro": ["{name}, {answer}", "{answer}"],
    "clarify": [
        "I'm not sure I understood, {name}. Is it about an order (tracking, cancellation, "
        "return), a payment, or a product?",
        "Sorry {name}, could you say it another way? For example: \"where is my order\", "
        "\"I want to return an item\" or \"I wasn't charged correctly\".",
    ],
    "handoff": [
        "I'm passing you to a member of our team, {name}, with everything we've said so you "
        "won't have to repeat yourself. You are number {position} in line — about {minutes} "
        "minutes.",
    ],
    "handoff_already": [
        "You're in line for a person, {name} (number {position}). Meanwhile, I can still help "
        "with anything.",
    ],
    "frustrated": [
        "I'm really sorry about this, {name}, I understand how frustrating it is.",
    ],
    "complaint_ticket": [
        "I'm sorry, {name}. I've opened ticket {ticket} ({priority} priority) so the team "
        "follows it up{about}.",
    ],
    "urgent_ticket": [
        "{name}, I've opened ticket {ticket} as urgent: a supervisor will look at it within "
        "4 hours.",
    ],
    "about_order": [" for order {number}"],
    "feedback_thanks": [
        "Thank you for your feedback, {name} — I've passed it on to the team.",
    ],
    "newsletter_off": [
        "Done, {name}: you're unsubscribed from our newsletter. You'll still get emails about "
        "your orders.",
    ],
    "newsletter_on": ["Done, {name}: you're subscribed to our newsletter."],
    "invoice": [
        "{name}, the invoice for order {number} is in your account under My orders → "
        "{number} → Download invoice. I can also have it emailed to {email} if you prefer.",
    ],
    "empty": ["I didn't get any text, {name}. What can I help you with?"],
    "injection": [
        "I can only look at or change your own orders, {name}, and only when you ask for it "
        "yourself.",
    ],
    "fallback": [
        "Sorry {name}, I'm having a technical problem right now. Your message is saved and "
        "a member of the team will get back to you; you can also try again in a moment.",
    ],
    "qr_orders": ["My orders"],
    "qr_person": ["Talk to a person"],
    "qr_yes": ["Yes"],
    "qr_no": ["No"],
    "qr_return": ["Return an item"],
    "status_word": {"pending": "awaiting payment", "paid": "paid", "processing": "being prepared",
                    "shipped": "shipped", "delivered": "delivered", "cancelled": "cancelled",
                    "returned": "returned"},
    "and_more": ["{first} and {count} other item(s)"],
}

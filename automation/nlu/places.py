"""Countries and big cities shoppers name when they ask where a shop delivers, folded.

"do you ship to Lyon?", "entregam em Luanda?", "can I order from Chicago?": the place is what
makes these delivery questions, so every place reads as one pivot word ("country").
"""
from __future__ import annotations

COUNTRIES = (
    "austria", "autriche", "australia", "australie", "argentina", "argentine", "bulgaria", "chile",
    "chili", "china", "chine", "colombia", "colombie", "croatia", "croatie", "cyprus", "chypre",
    "czechia", "tchequie", "denmark", "danemark", "dinamarca", "egypt", "egypte", "estonia",
    "finland", "finlande", "finlandia", "greece", "grece", "grecia", "hungary", "hongrie",
    "hungria", "iceland", "islande", "india", "inde", "israel", "italy", "italie", "italia",
    "japan", "japon", "japao", "korea", "coree", "coreia", "latvia", "lithuania", "malta", "malte",
    "maroc", "morocco", "marrocos", "netherlands", "holland", "holanda", "norway", "norvege",
    "noruega", "peru", "perou", "poland", "pologne", "polonia", "romania", "roumanie", "russia",
    "russie", "senegal", "singapore", "singapour", "slovakia", "slovenia", "sweden", "suede",
    "suecia", "tunisia", "tunisie", "turkey", "turquie", "turquia", "ukraine", "ucrania",
    "uruguay", "venezuela", "vietnam", "england", "angleterre", "inglaterra", "scotland", "ecosse",
    "escocia", "wales", "amerique", "emirates", "dubai", "qatar", "mozambique", "mocambique",
    "quebec", "algerie", "algeria", "argelia", "cameroun", "cameroon",
)
CITIES = (
    "paris", "lyon", "marseille", "toulouse", "nantes", "bordeaux", "lille", "strasbourg",
    "montpellier", "rennes", "geneve", "geneva", "lausanne", "zurich", "bruxelles", "brussels",
    "liege", "anvers", "antwerp", "lisboa", "lisbon", "lisbonne", "porto", "braga", "coimbra",
    "faro", "funchal", "madrid", "barcelona", "barcelone", "valencia", "sevilla", "seville",
    "bilbao", "london", "londres", "manchester", "liverpool", "birmingham", "glasgow", "edinburgh",
    "leeds", "bristol", "dublin", "cork", "berlin", "munich", "munchen", "hamburg", "frankfurt",
    "cologne", "koln", "vienna", "vienne", "wien", "rome", "roma", "milan", "milano", "naples",
    "turin", "florence", "amsterdam", "rotterdam", "copenhagen", "stockholm", "oslo", "helsinki",
    "warsaw", "varsovie", "prague", "budapest", "athens", "athenes", "istanbul", "chicago",
    "boston", "seattle", "detroit", "philadelphia", "houston", "dallas", "miami", "atlanta",
    "denver", "toronto", "montreal", "vancouver", "ottawa", "sydney", "melbourne", "tokyo",
    "osaka", "seoul", "beijing", "shanghai", "mumbai", "delhi", "brasilia", "recife", "luanda",
    "maputo", "dakar", "casablanca", "rabat", "tunis", "alger", "abidjan", "bogota",
)
# Places of several words, read as one pivot word like the single ones.
PLACE_PHRASES = (
    "new york", "los angeles", "san francisco", "sao paulo", "rio de janeiro", "buenos aires",
    "cabo verde", "cape verde", "united states", "united kingdom", "new zealand", "pays bas",
    "costa rica", "south africa", "afrique du sud", "hong kong",
)

"""Local NLU for the support desk: language, intent, sentiment, frustration and entities.

    from automation.nlu import analyse, Catalogue
    analyse("ou est ma commande cmd 48213", catalogue=Catalogue(products=(("TSH-1", "T-shirt"),)))
"""
from automation.nlu.examples import load_examples
from automation.nlu.model import warm_up
from automation.nlu.pipeline import analyse
from automation.nlu.result import INTENTS, Catalogue, NluResult

__all__ = ["INTENTS", "Catalogue", "NluResult", "analyse", "load_examples", "warm_up"]

"""Match the products a shopper mentions against the shop's catalogue, returning SKUs."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from automation.nlu.text import fold, words

# Words that name no product on their own ("the", "de", "pack", sizes and colours are kept).
_STOPWORDS = frozenset(
    "a an the of for with and de du des la le les l un une et en pour avec o os as um uma e "
    "do da dos das para com el los las y con por".split()
)


@dataclass(frozen=True)
class _Product:
    sku: str
    sku_key: str
    tokens: tuple[str, ...]
    weights: tuple[float, ...]


@dataclass(frozen=True)
class _Index:
    products: tuple[_Product, ...]
    by_sku: dict[str, str]
    postings: dict[str, tuple[int, ...]]  # name token -> indexes of the products using it
    buckets: dict[tuple[str, int], tuple[str, ...]]  # (first letter, length) -> tokens


def _stem(word: str) -> str:
    """Drop plural endings so "sneakers" meets "sneaker" and "garrafas" meets "garrafa"."""
    for ending in ("es", "s", "x"):
        if len(word) > 4 and word.endswith(ending):
            return word[: -len(ending)]
    return word


def _tokens(text: str) -> list[str]:
    return [
        _stem(word) for word in words(fold(text)) if len(word) > 1 and word not in _STOPWORDS
    ]


def _sku_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


@lru_cache(maxsize=16)
def build_index(products: tuple[tuple[str, str], ...]) -> _Index:
    """Index a catalogue once: name tokens weighted by how rare they are across products."""
    token_lists = [tuple(dict.fromkeys(_tokens(name))) for _, name in products]
    frequency: dict[str, int] = {}
    for tokens in token_lists:
        for token in tokens:
            frequency[token] = frequency.get(token, 0) + 1
    total = max(len(products), 1)
    indexed = []
    for (sku, _), tokens in zip(products, token_lists):
        weights = tuple(math.log(1 + total / frequency[token]) for token in tokens)
        indexed.append(_Product(sku, _sku_key(sku), tokens, weights))
    by_sku = {product.sku_key: product.sku for product in indexed if len(product.sku_key) >= 3}
    postings: dict[str, list[int]] = {}
    buckets: dict[tuple[str, int], list[str]] = {}
    for position, product in enumerate(indexed):
        for token in product.tokens:
            postings.setdefault(token, []).append(position)
    for token in postings:
        buckets.setdefault((token[0], len(token)), []).append(token)
    return _Index(
        tuple(indexed), by_sku,
        {token: tuple(found) for token, found in postings.items()},
        {key: tuple(tokens) for key, tokens in buckets.items()},
    )


def _near(token: str, index: _Index) -> list[str]:
    """Return catalogue tokens one typo away, looking only where such tokens can be."""
    near = []
    for length in (len(token) - 1, len(token), len(token) + 1):
        near.extend(target for target in index.buckets.get((token[0], length), ())
                    if _close(token, target))
    return near


def _close(word: str, target: str) -> bool:
    """Tell whether two tokens match allowing one typo in words of five letters or more."""
    if word == target:
        return True
    if min(len(word), len(target)) < 5 or abs(len(word) - len(target)) > 1:
        return False
    if word[0] != target[0]:
        return False
    previous = list(range(len(target) + 1))
    for i, char in enumerate(word, 1):
        current = [i]
        for j, other in enumerate(target, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (char != other)))
        previous = current
    return previous[-1] <= 1


def is_catalogue_sku(value: str, products: tuple[tuple[str, str], ...]) -> bool:
    """Tell whether value is one of the catalogue's SKUs, ignoring case and separators."""
    return bool(products) and _sku_key(value) in build_index(products).by_sku


def find_products(text: str, products: tuple[tuple[str, str], ...]) -> list[str]:
    """Return the SKUs a message names, by exact SKU or by (fuzzy) product-name words."""
    if not products:
        return []
    index = build_index(products)
    found: list[str] = []
    for word in re.findall(r"[A-Za-z0-9][A-Za-z0-9_\-./]*[A-Za-z0-9]", text):
        sku = index.by_sku.get(_sku_key(word))
        if sku is not None and sku not in found:
            found.append(sku)
    message = set(_tokens(text))
    matched_vocabulary = {token for token in message if token in index.postings}
    for token in message - matched_vocabulary:
        if len(token) >= 5:
            matched_vocabulary.update(_near(token, index))
    touched = sorted({position for token in matched_vocabulary
                      for position in index.postings[token]})
    candidates: list[tuple[str, frozenset[str], float]] = []
    for position in touched:
        product = index.products[position]
        matched = frozenset(token for token in product.tokens if token in matched_vocabulary)
        hit = sum(weight for token, weight in zip(product.tokens, product.weights)
                  if token in matched)
        total = sum(product.weights)
        # Half the name's weight must be there, and more than one word common to the catalogue.
        if total and hit / total >= 0.5 and hit >= 1.0:
            candidates.append((product.sku, matched, hit / total))
    for sku, matched, score in candidates:
        beaten = any(
            other_matched > matched or (other_matched == matched and other_score > score)
            for other_sku, other_matched, other_score in candidates
            if other_sku != sku
        )  # "casque aria" is the Aria, not the Aria Pro; "aria pro" is the Pro
        if not beaten and sku not in found:
            found.append(sku)
    return found

"""Map folded words to tokens through exact keys and prefix keys ("annul*")."""
from __future__ import annotations


class WordMap:
    """A word-to-token lookup where a key ending in "*" matches any word it starts."""

    def __init__(self, groups: dict[str, tuple[str, ...]]) -> None:
        self._exact: dict[str, list[str]] = {}
        prefixes: dict[str, list[tuple[str, str]]] = {}
        for token, keys in groups.items():
            for key in keys:
                if key.endswith("*"):
                    prefixes.setdefault(key[:2], []).append((key[:-1], token))
                else:
                    self._exact.setdefault(key, []).append(token)
        # Longest prefix first, so "rembours*" wins over "re*"-like short keys.
        self._prefixes = {
            start: sorted(pairs, key=lambda pair: -len(pair[0]))
            for start, pairs in prefixes.items()
        }

    def all_tokens(self, word: str) -> list[str]:
        """Return every token the word maps to (exact keys and all matching prefixes)."""
        found = list(self._exact.get(word, ()))
        for prefix, token in self._prefixes.get(word[:2], ()):
            if word.startswith(prefix) and token not in found:
                found.append(token)
        return found

    def first_token(self, word: str) -> str | None:
        """Return the one token the word maps to, preferring an exact key, else None."""
        exact = self._exact.get(word)
        if exact:
            return exact[0]
        for prefix, token in self._prefixes.get(word[:2], ()):
            if word.startswith(prefix):
                return token
        return None

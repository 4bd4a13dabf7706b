"""An estimate of what a Claude reply costs, from the token counts the API reports.

Prices are Anthropic's public list prices per million tokens, by model family and version,
as we know them: an estimate, not an invoice. Writing the prompt cache (5-minute TTL) costs
1.25× the input price, reading it 0.1×; the API's `input_tokens` excludes both.
"""

from __future__ import annotations

from typing import Any

from automation.agents.claude.thinking import model_version

CACHE_WRITE = 1.25
CACHE_READ = 0.10
# family → [(from version, input USD/Mtok, output USD/Mtok)], oldest first
PRICES: dict[str, list[tuple[tuple[int, int], float, float]]] = {
    "opus": [((3, 0), 15.0, 75.0), ((4, 5), 5.0, 25.0)],
    "sonnet": [((3, 0), 3.0, 15.0)],
    "haiku": [((3, 0), 0.25, 1.25), ((3, 5), 0.80, 4.0), ((4, 5), 1.0, 5.0)],
}
TOKEN_FIELDS = ("input_tokens", "output_tokens", "cache_creation_input_tokens",
                "cache_read_input_tokens")


def prices(model: str) -> tuple[float, float] | None:
    """Return (input, output) USD per million tokens for the model, None when unknown."""
    name, version = model.lower(), model_version(model)
    family = next((f for f in PRICES if f in name), None)
    if family is None or version is None:
        return None
    known = [(p_in, p_out) for since, p_in, p_out in PRICES[family] if since <= version]
    return known[-1] if known else None


def cost_usd(model: str, usage: dict[str, Any]) -> float | None:
    """Return the estimated cost in USD of the tokens in `usage`, None for an unknown model."""
    found = prices(model)
    if found is None:
        return None
    p_in, p_out = found
    total = (usage.get("input_tokens", 0) * p_in
             + usage.get("cache_creation_input_tokens", 0) * p_in * CACHE_WRITE
             + usage.get("cache_read_input_tokens", 0) * p_in * CACHE_READ
             + usage.get("output_tokens", 0) * p_out)
    return round(total / 1_000_000, 6)

"""Webhooks that providers call: verify, store, acknowledge fast, answer in the background."""

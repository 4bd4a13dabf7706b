"""Senders to outside services: one module per vendor SDK or API, with real, null and fake
adapters; each owns its timeouts and retries."""

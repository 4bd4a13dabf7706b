"""The engine: NLU, agents (local and Claude), tools with the shop's policy, knowledge, handoff.

Channels hand it an `Inbound` and format the `Outcome` it returns; it never sees a request.
"""

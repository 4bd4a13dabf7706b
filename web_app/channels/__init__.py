"""Channels: turn a provider payload into an `Inbound` (`parse`) and a reply into the
provider payload (`format`); nothing else of substance."""

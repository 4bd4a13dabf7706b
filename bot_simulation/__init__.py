"""The shopper simulator and load tester (CLI): realistic traffic on every channel."""

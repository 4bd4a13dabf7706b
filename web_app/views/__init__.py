"""HTML pages of the shopper app."""

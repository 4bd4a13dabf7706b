"""Notion ticket sync, both ways: tickets out to a Notion database, leads' edits back in."""

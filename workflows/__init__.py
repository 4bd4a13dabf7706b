"""n8n workflow JSON files and the outbound-webhook (outbox) dispatcher reading the events table."""

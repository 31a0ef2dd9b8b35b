"""MX's webhooks: configuration, payloads per type, an ordered outbox with retries on virtual time."""

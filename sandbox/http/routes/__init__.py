"""One module per MX resource; each exposes `routes`."""

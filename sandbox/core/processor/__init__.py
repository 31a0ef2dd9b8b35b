"""Processor hand-off: authorization codes and processor access tokens, ACH returns, verifiable credentials."""

"""Members: the connection state machine. See jobs.py for transitions, behavior.py for outcomes."""

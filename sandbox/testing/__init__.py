"""Helpers for testing code against the sandbox: the control-API client and the in-process mode.

Nothing here is imported by the server; the pytest plugin (`sandbox.pytest_plugin`) builds on it.
"""

"""Domain errors that the HTTP layer turns into MX's `{"error": {"message": ...}}` body."""
from __future__ import annotations

NOT_FOUND_MESSAGE = "We were unable to find the record you requested."


class MXError(Exception):
    """An error MX would answer with `status` and `message`."""

    status: int = 400

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class BadRequest(MXError):
    status = 400


class Unauthorized(MXError):
    status = 401


class Forbidden(MXError):
    status = 403


class NotFound(MXError):
    status = 404

    def __init__(self, message: str = NOT_FOUND_MESSAGE) -> None:
        super().__init__(message)


class MethodNotAllowed(MXError):
    status = 405


class NotAcceptable(MXError):
    status = 406


class Conflict(MXError):
    status = 409


class Unprocessable(MXError):
    status = 422

"""The errors services raise for a person to read."""

from __future__ import annotations


class ServiceError(Exception):
    """A request that cannot be carried out; `message` says why, for a person."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class NotFound(ServiceError):
    """The object named does not exist."""


class Refused(ServiceError):
    """The object exists but the action is not allowed on it."""

"""Errors a service raises when a request cannot be carried out; channels turn them into 4xx or exit 2."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class: the message is written for the person who asked, in plain words."""

    status_code = 400


class NotFound(ServiceError):
    """The record asked for does not exist (or the asker may not know it exists)."""

    status_code = 404


class Invalid(ServiceError):
    """The request is malformed or breaks a rule of the procedure."""

    status_code = 400


class Conflict(ServiceError):
    """The request clashes with the record's current state (e.g. responding twice)."""

    status_code = 409


class Forbidden(ServiceError):
    """The person's role does not allow this."""

    status_code = 403

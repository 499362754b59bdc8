"""Error responses: JSON for the API, a plain page for people; never a traceback."""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template, request
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from feedbackbot.extensions import db
from feedbackbot.services.errors import ServiceError


def wants_json() -> bool:
    """Answer API and Slack callers in JSON, browsers with a page."""
    return request.path.startswith(("/api/", "/slack/", "/healthz")) or (
        request.accept_mimetypes.best == "application/json"
    )


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None, extra: dict | None = None
) -> Response:
    """Build the error response in the caller's format."""
    if wants_json():
        response = jsonify({"error": {"status": status, "message": message}, **(extra or {})})
    else:
        response = Response(
            render_template("error.html", status=status, message=message), mimetype="text/html"
        )
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _http_error(exc: HTTPException) -> Response:
    headers = {}
    if exc.code == 429:
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is None and exc.response is not None:
            retry_after = exc.response.headers.get("Retry-After")
        if retry_after is not None:
            headers["Retry-After"] = str(retry_after)
    if exc.code == 405 and exc.valid_methods:
        headers["Allow"] = ", ".join(exc.valid_methods)
    message = exc.description or exc.name
    default_description = getattr(type(exc), "description", None)
    if exc.code == 413 and message == default_description:
        message = "That is too long to send in one go. Please make it shorter."
    elif exc.code == 429:
        message = "Too many messages in a short time. Please wait a moment and try again."
    return error_response(exc.code or 500, message, headers)


def _service_error(exc: ServiceError) -> Response:
    findings = getattr(exc, "findings", None)
    extra = None
    if findings is not None:  # wording a young person asked us not to use: show it, with a rewrite
        extra = {"findings": [f.to_dict() for f in findings], "rewritten": getattr(exc, "rewritten", "")}
    return error_response(exc.status_code, str(exc), extra=extra)


BUSY_RETRY_AFTER_SECONDS = 5


def _database_busy(exc: Exception) -> Response:
    # A statement or lock timeout, no free connection, or the database gone: nothing was saved
    # (the transaction is rolled back) and trying again shortly is the right thing to do.
    current_app.logger.warning(
        "database did not answer on %s %s: %s", request.method, request.path, str(exc).splitlines()[0]
    )
    try:
        db.session.rollback()
    except Exception:  # the connection is gone: the pool replaces it
        db.session.remove()
    return error_response(
        ServiceUnavailable.code,
        "We're very busy just now and couldn't do that. Please try again in a moment.",
        {"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)},
    )


def _unexpected(exc: Exception) -> Response:
    # Logged in full for the operators; the person sees a calm sentence and no internals.
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    db.session.rollback()  # a half-done change never reaches a later commit
    return error_response(
        InternalServerError.code,
        "Something went wrong on our side. What you had already sent is safe; please try again.",
    )


def init_app(app: Flask) -> None:
    """Install the handlers."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(ServiceError, _service_error)
    app.register_error_handler(OperationalError, _database_busy)
    app.register_error_handler(PoolTimeout, _database_busy)
    app.register_error_handler(Exception, _unexpected)

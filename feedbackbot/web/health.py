"""Health check for load balancers and operators."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from feedbackbot.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """Report whether the database answers; 503 when it does not, so traffic moves elsewhere."""
    checks: dict[str, object] = {}
    healthy = True
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except SQLAlchemyError as exc:
        db.session.rollback()
        checks["database"] = f"unavailable: {type(exc).__name__}"
        healthy = False
    body = {"status": "ok" if healthy else "unhealthy", "checks": checks}
    return jsonify(body), 200 if healthy else 503

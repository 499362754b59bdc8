"""Health checks for operators and load balancers."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from feedbackbot.extensions import db
from feedbackbot.services.heartbeat import health

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """The database, the clock's heartbeat and the Slack backlog: ok, degraded or unhealthy (503)."""
    result = health()
    return jsonify({"status": result.status, "checks": result.checks}), result.http_status


@bp.get("/healthz/live")
def live() -> tuple[Response, int]:
    """For a load balancer: this web process and its database answer (a stopped clock is not its fault)."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify({"status": "unhealthy"}), 503
    return jsonify({"status": "ok"}), 200

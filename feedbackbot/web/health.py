"""Health checks for operators and load balancers."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from feedbackbot.services.heartbeat import database_check, health

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """The database, the clock's heartbeat and the Slack backlog: ok, degraded or unhealthy (503)."""
    result = health()
    return jsonify({"status": result.status, "checks": result.checks}), result.http_status


@bp.get("/healthz/live")
def live() -> tuple[Response, int]:
    """For a load balancer: this web process and its database answer (a stopped clock is not its fault)."""
    database = database_check()
    if database["status"] != "ok":
        return jsonify({"status": "unhealthy", "checks": {"database": database}}), 503
    return jsonify({"status": "ok"}), 200

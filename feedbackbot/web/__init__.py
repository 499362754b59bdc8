"""HTTP channels: thin blueprints that parse a request, call a service and render the answer."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register every blueprint and the error handlers on the app."""
    from feedbackbot.web import (
        api,
        auth,
        dashboard,
        errors,
        filters,
        glossary,
        guard,
        headers,
        health,
        i18n,
        plain_chat,  # noqa: F401  (its routes join the public blueprint)
        public,
    )

    i18n.init_app(app)
    guard.install_converters(app)
    errors.init_app(app)
    guard.init_app(app)
    headers.init_app(app)
    filters.init_app(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(glossary.bp)
    api.init_app_routes()
    app.register_blueprint(api.bp)
    dashboard.init_routes()
    app.register_blueprint(dashboard.bp)

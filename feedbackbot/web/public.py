"""Pages for young people and anyone else who wants to tell the Trust something."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("public", __name__)


@bp.get("/privacy")
def privacy() -> str:
    """Say in plain words what happens to what people write, before they write it."""
    return render_template("privacy.html")


@bp.get("/")
def index() -> str:
    """Front page: where a young person starts."""
    return render_template("index.html")

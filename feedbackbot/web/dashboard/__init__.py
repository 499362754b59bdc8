"""The staff dashboard: the queue, complaint cases, closing the loop, concerns and alerts.

Views only parse the form, call a service and render; the services check roles and rules.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from flask import Blueprint, abort
from flask_login import current_user, login_required

bp = Blueprint("dashboard", __name__, url_prefix="/staff")


def staff_page(roles: frozenset[str] | None = None):  # noqa: ANN201
    """Require a signed-in member of staff (and one of `roles`, when given)."""

    def decorate(view: Any) -> Any:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if roles is not None and current_user.role not in roles:
                abort(403, description=f"Your role ({current_user.role}) cannot see this page.")
            return view(*args, **kwargs)

        return wrapped

    return decorate


def init_routes() -> None:
    """Import the view modules so their routes attach to the blueprint."""
    from feedbackbot.web.dashboard import (  # noqa: F401
        accounts,
        complaints,
        compliments,
        feedback,
        learning,
        loop,
        privacy,
        queue,
        reports,
        safeguarding,
        subject_access,
        you_said,
    )

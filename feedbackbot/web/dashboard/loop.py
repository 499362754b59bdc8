"""Closing the loop: tell the young person what happened, wording checked before it goes."""

from __future__ import annotations

import hashlib

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from feedbackbot.services import complaints as service
from feedbackbot.services.errors import ServiceError
from feedbackbot.web.dashboard import bp, staff_page
from feedbackbot.web.dashboard.forms import LoopForm


def _digest(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()[:16]


@bp.get("/loop")
@staff_page(service.LOOP_ROLES)
def loop_tasks() -> str:
    """Closing-the-loop tasks still to do."""
    return render_template("staff/loop_list.html", tasks=service.open_loop_tasks())


@bp.route("/loop/<int:task_id>", methods=["GET", "POST"])
@staff_page(service.LOOP_ROLES)
def loop_page(task_id: int) -> Response | tuple[str, int]:
    """Write the message; the first press checks it, the second sends the checked words."""
    task = service.loop_task(task_id)
    form = LoopForm()
    findings, rewritten, error, status = [], None, None, 200
    if form.is_submitted():
        if not form.validate():
            error, status = "Write what the young person was told.", 400
        else:
            message = form.message.data or ""
            findings, rewritten = service.check_message(message)
            ready = form.checked.data == _digest(message)  # these exact words were checked and shown
            if ready:
                try:
                    service.close_loop_task(
                        current_user,
                        task,
                        message,
                        form.method.data,
                        send_as_written=bool(form.send_as_written.data),
                    )
                except service.WordingFindings:
                    error, status = "Change the highlighted words, or tick to send it as written.", 422
                except ServiceError as exc:
                    error, status = str(exc), exc.status_code
                else:
                    flash(f"Sent. The young person will see it with {task.feedback.reference}.", "info")
                    return redirect(url_for("dashboard.loop_tasks"), 303)
            form.checked.data = _digest(message)
    return (
        render_template(
            "staff/loop.html",
            task=task,
            form=form,
            findings=findings,
            rewritten=rewritten,
            checked=bool(form.checked.data),
            can_read=service.can_read_text(current_user, task.feedback),
            error=error,
        ),
        status,
    )

"""The wording checker page: paste text, see each term highlighted with what to write instead."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, current_app, render_template, request
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from feedbackbot.core.glossary import Finding
from feedbackbot.extensions import limiter
from feedbackbot.services.glossary import WordingCheck, check_wording, checker

bp = Blueprint("glossary", __name__)


class WordingForm(FlaskForm):
    """The text to check (CSRF-protected like every form)."""

    text = TextAreaField("Your wording", validators=[DataRequired(message="Paste some text to check.")])


@dataclass(frozen=True)
class Segment:
    """A piece of the checked text: plain, or a finding to highlight (numbered from 1)."""

    text: str
    finding: Finding | None = None
    number: int = 0


def segments(result: WordingCheck) -> list[Segment]:
    """Split the text around the findings so the template can highlight them (escaped by Jinja)."""
    out: list[Segment] = []
    position = 0
    for number, finding in enumerate(result.findings, start=1):
        out.append(Segment(result.text[position : finding.start]))
        out.append(Segment(finding.text, finding, number))
        position = finding.end
    out.append(Segment(result.text[position:]))
    return [s for s in out if s.text]


@bp.route("/glossary", methods=["GET", "POST"])
@limiter.limit("60 per minute", methods=["POST"])
def page() -> str | tuple[str, int]:
    """Show the checker; on submit, show the findings (nothing typed here is stored)."""
    form = WordingForm()
    result = None
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            text = form.text.data or ""
            if len(text) > current_app.config["GLOSSARY_MAX_CHARS"]:
                abort(413)
            result = check_wording(text)
        else:
            status = 400
    return (
        render_template(
            "glossary.html",
            form=form,
            result=result,
            segments=segments(result) if result else [],
            glossary=checker().glossary,
        ),
        status,
    )

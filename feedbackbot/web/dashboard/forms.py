"""Dashboard forms (Flask-WTF, so every one carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

RELATIONSHIPS = [
    ("self", "The young person themselves"),
    ("parent", "A parent"),
    ("carer", "A carer"),
    ("foster_carer", "A foster carer"),
    ("advocate", "An advocate"),
    ("other", "Someone else with an interest"),
]
PROCEDURES = [("statutory", "Statutory children's procedure"), ("corporate", "Corporate procedure")]
CHANNELS = [("phone", "Phone"), ("email", "Email"), ("letter", "Letter"), ("in_person", "In person")]
REPLY_METHODS = [
    ("web", "On this website (they see it with their reference)"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("letter", "Letter"),
    ("in_person", "In person"),
    ("worker", "Through their worker"),
]


class OpenComplaintForm(FlaskForm):
    """Open a case from feedback, or directly."""

    procedure = RadioField("Procedure", choices=PROCEDURES, validators=[DataRequired("Choose a procedure.")])
    relationship = SelectField("Who is complaining", choices=RELATIONSHIPS)
    complainant_name = StringField("Complainant's name", validators=[Optional(), Length(max=200)])
    about_child = StringField("On behalf of (child's name)", validators=[Optional(), Length(max=200)])
    received_on = DateField("Date received", validators=[Optional()])
    events_date = DateField("When the events happened (if known)", validators=[Optional()])
    late_reason = TextAreaField(
        "Why a complaint about events over a year ago is considered", validators=[Optional()]
    )
    text = TextAreaField("What the complaint is about", validators=[Optional(), Length(max=10000)])
    channel = SelectField("How it arrived", choices=CHANNELS, validators=[Optional()])


class ActionForm(FlaskForm):
    """Every case action: only the fields the action needs are read."""

    on = DateField("Date", validators=[Optional()])
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=2000)])
    outcome = StringField("Outcome", validators=[Optional()])
    text = TextAreaField("Response", validators=[Optional(), Length(max=20000)])
    answer = StringField("Answer", validators=[Optional()])
    lead = StringField("Lead manager", validators=[Optional()])
    late_reason = TextAreaField("Why a late request was accepted", validators=[Optional()])
    note = TextAreaField("Note", validators=[Optional(), Length(max=2000)])
    method = StringField("How it was sent", validators=[Optional(), Length(max=20)])
    points = TextAreaField("Points of complaint, one a line", validators=[Optional(), Length(max=20000)])
    send_as_written = BooleanField("Send it as written (the highlighted words are intended)")
    action = TextAreaField("Learning action", validators=[Optional(), Length(max=2000)])
    owner = StringField("Owner", validators=[Optional()])
    due_on = DateField("Due", validators=[Optional()])
    evidence = TextAreaField("Evidence", validators=[Optional(), Length(max=4000)])
    item = HiddenField()


class OutcomeForm(FlaskForm):
    """What came of a compliment, idea, question or concern."""

    outcome = TextAreaField(
        "What came of it", validators=[DataRequired("Say what came of it."), Length(max=4000)]
    )


class LoopForm(FlaskForm):
    """The message to the young person, checked against the glossary before it goes."""

    message = TextAreaField(
        "What you told the young person", validators=[DataRequired("Write what the young person was told.")]
    )
    method = SelectField("How they were told", choices=REPLY_METHODS)
    send_as_written = BooleanField("Send it as written (the highlighted words are intended)")
    checked = HiddenField()


class AcknowledgeForm(FlaskForm):
    """Take a safeguarding alert on."""


class RevokeTokenForm(FlaskForm):
    """Revoke one API token (the CSRF token is the only field)."""

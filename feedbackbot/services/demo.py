"""Demo data: invented people and messages so a new install has something to show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from feedbackbot.extensions import db
from feedbackbot.models import Feedback, Role, utcnow
from feedbackbot.services.audit import Actor
from feedbackbot.services.feedback import record_feedback
from feedbackbot.services.users import create_staff_user, find_staff_user

DEMO_PASSWORD = "voices-demo-2026"


@dataclass(frozen=True)
class DemoStaff:
    """A demo sign-in, printed after seeding so a tester can log in."""

    email: str
    name: str
    role: str


DEMO_STAFF = (
    DemoStaff("complaints@demo.invalid", "Morgan Ellis", Role.COMPLAINTS.value),
    DemoStaff("participation@demo.invalid", "Sam Okafor", Role.PARTICIPATION.value),
    DemoStaff("manager@demo.invalid", "Jordan Reid", Role.MANAGER.value),
    DemoStaff("admin@demo.invalid", "Alex Byrne", Role.ADMIN.value),
)

# (kind, channel, anonymous, days ago, text) - invented, no one real.
DEMO_FEEDBACK = (
    (
        "compliment",
        "web_chat",
        True,
        12,
        "my worker kez always rings back when she says she will and she got me to my brothers "
        "birthday. shes the best",
    ),
    (
        "idea",
        "web_chat",
        True,
        9,
        "could we have a group for people who just moved into a new home so we dont feel on our own",
    ),
    (
        "concern",
        "web_chat",
        False,
        6,
        "i still havent got my bus pass for college and its been 3 weeks, i keep missing first lesson",
    ),
    (
        "complaint",
        "web_chat",
        False,
        4,
        "my family time with my mum got cancelled twice and nobody told me why. i waited at the "
        "centre for an hour",
    ),
    ("question", "web_chat", True, 2, "can i have an advocate for my review next month?"),
    (
        "compliment",
        "in_person",
        False,
        1,
        "Told me in our visit that the new carers make her feel welcome and she likes her room.",
    ),
)


def seed_demo_data() -> dict[str, int]:
    """Create the demo staff and feedback once; running it again adds nothing."""
    created = {"staff": 0, "feedback": 0}
    actor = Actor.system("seed-demo")
    for person in DEMO_STAFF:
        if find_staff_user(person.email) is None:
            create_staff_user(
                email=person.email,
                role=person.role,
                password=DEMO_PASSWORD,
                name=person.name,
                actor=actor,
            )
            created["staff"] += 1
    already = db.session.scalar(select(func.count()).select_from(Feedback)) or 0
    if already == 0:
        now = utcnow()
        made = []
        for kind, channel, anonymous, days_ago, text in DEMO_FEEDBACK:
            made.append(
                record_feedback(
                    kind=kind,
                    text=text,
                    channel=channel,
                    anonymous=anonymous,
                    received_at=now - timedelta(days=days_ago),
                    actor=actor,
                )
            )
            created["feedback"] += 1
        _demo_casework(made)
    return created


def _demo_casework(made: list[Feedback]) -> None:
    """Some work in progress, so the queue and a case page have something to show."""
    from feedbackbot.services import complaints

    officer = find_staff_user("complaints@demo.invalid")
    participation = find_staff_user("participation@demo.invalid")
    manager = find_staff_user("manager@demo.invalid")
    if not (officer and participation and manager):
        return
    by_kind = {f.kind: f for f in made}
    complaint = complaints.open_complaint(
        officer, feedback_reference=by_kind["complaint"].reference, procedure="statutory", relationship="self"
    )
    complaints.acknowledge_complaint(officer, complaint)
    complaints.assign_lead(officer, complaint, manager)
    complaints.record_outcome(participation, by_kind["compliment"], "Thanks passed on to Kez and her manager")
    complaints.resolve_concern(
        participation, by_kind["concern"], "Bus pass ordered from the college; arrives this week"
    )

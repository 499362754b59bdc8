"""Categories on a feedback record: the Trust's service area and whether it is about a member of staff.

The areas come from configuration (procedures.yaml `service_areas`), so reports count by the
Trust's own list; an area not in the list is refused rather than stored.
"""

from __future__ import annotations

from feedbackbot.core.categories import ServiceArea
from feedbackbot.extensions import db
from feedbackbot.models import Feedback, StaffUser
from feedbackbot.services.audit import Actor, record_event
from feedbackbot.services.config import domain
from feedbackbot.services.errors import Forbidden, Invalid
from feedbackbot.services.logging_for_child import feedback_for_staff


def service_areas() -> list[ServiceArea]:
    """The configured service areas, in the order the file lists them (for forms and the API)."""
    return list(domain().procedures.service_areas.values())


def area_label(area_id: str | None) -> str | None:
    """The label people read for a stored area id (the id itself if it has left the list)."""
    if area_id is None:
        return None
    area = domain().procedures.service_areas.get(area_id)
    return area.label if area else area_id


def check_service_area(service_area: str | None) -> str | None:
    """A configured area id, or None for "not categorised"; anything else is refused with the list."""
    area = (service_area or "").strip() or None
    areas = domain().procedures.service_areas
    if area is not None and area not in areas:
        known = ", ".join(areas) or "none are configured"
        raise Invalid(f"unknown service area {area!r}; the service areas are: {known}")
    return area


def apply_categories(feedback: Feedback, service_area: str | None, about_staff: bool) -> dict[str, object]:
    """Set the categories on a record in the open transaction; gives what they were, for the audit."""
    if not isinstance(about_staff, bool):
        raise Invalid("about_staff must be true or false")
    area = check_service_area(service_area)
    before = {"service_area": feedback.service_area, "about_staff": feedback.about_staff}
    feedback.service_area = area
    feedback.about_staff = about_staff
    return before


def categorise_feedback(
    reference: str, service_area: str | None, about_staff: bool, *, staff: StaffUser
) -> Feedback:
    """Record the service area and whether it is about staff, for anyone who may see the record."""
    if not staff.active:
        raise Forbidden("Your account is not active.")
    feedback = feedback_for_staff(staff, reference)
    before = apply_categories(feedback, service_area, about_staff)
    after = {"service_area": feedback.service_area, "about_staff": feedback.about_staff}
    if before != after:
        record_event(
            Actor.staff(staff), "feedback.categorised", "feedback", feedback.reference, before, after
        )
    db.session.commit()
    return feedback

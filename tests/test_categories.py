"""Categories from configuration: staff mark feedback with the Trust's service area and whether a
complaint is about a member of staff, through the staff API and the dashboard."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from feedbackbot.core import timekeeping
from feedbackbot.core.procedures import ProcedureConfigError, parse_procedures
from feedbackbot.services.audit import events_for
from feedbackbot.services.config import bundled
from feedbackbot.services.feedback import get_feedback, record_feedback
from feedbackbot.services.users import create_staff_user, issue_api_token
from feedbackbot.settings import ConfigError
from tests.openapi_check import assert_matches_openapi
from tests.support import make_test_app

PASSWORD = "a-long-enough-password"
CATEGORIES = "/api/staff/feedback/{reference}/categories"


@pytest.fixture(autouse=True)
def monday():
    timekeeping.freeze(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    yield
    timekeeping.freeze(None)


@pytest.fixture
def people(app):
    out = {}
    for role, email in (
        ("complaints", "officer@trust.example"),
        ("worker", "sw@trust.example"),
        ("worker", "iro@trust.example"),
    ):
        person = create_staff_user(email, role, PASSWORD, name=email.split("@")[0].upper())
        out[email.split("@")[0]] = {"Authorization": f"Bearer {issue_api_token(person, 't')}"}
    return out


def _categorise(client, reference: str, headers: dict[str, str], **body: object):
    return client.post(CATEGORIES.format(reference=reference), json=body, headers=headers)


def test_the_configured_areas_are_listed(client, people):
    response = client.get("/api/staff/service-areas", headers=people["sw"])
    assert response.status_code == 200
    assert_matches_openapi(response, "/api/staff/service-areas", "get")
    areas = {a["id"]: a["label"] for a in response.json["service_areas"]}
    assert areas["leaving_care"] == "Care leavers (leaving care)"
    assert {"children_in_care", "fostering", "safeguarding", "early_help", "corporate"} <= set(areas)


def test_a_complaint_is_categorised_and_the_case_json_shows_it(client, people):
    opened = client.post(
        "/api/staff/complaints",
        json={
            "procedure": "statutory",
            "relationship": "self",
            "text": "My social worker shouted at me",
            "channel": "phone",
        },
        headers=people["officer"],
    )
    assert opened.status_code == 201, opened.json
    reference = opened.json["reference"]
    assert (opened.json["service_area"], opened.json["about_staff"]) == (None, False)

    response = _categorise(client, reference, people["officer"], service_area="fostering", about_staff=True)
    assert response.status_code == 200, response.json
    assert_matches_openapi(response, "/api/staff/feedback/{reference}/categories", "post")
    assert response.json["service_area"] == "fostering"
    assert response.json["service_area_label"] == "Fostering"
    assert response.json["about_staff"] is True

    case = client.get(f"/api/staff/complaints/{reference}", headers=people["officer"])
    assert_matches_openapi(case, "/api/staff/complaints/{reference}", "get")
    assert (case.json["service_area"], case.json["about_staff"]) == ("fostering", True)
    listed = client.get("/api/staff/complaints", headers=people["officer"]).json["complaints"]
    assert [(c["service_area"], c["about_staff"]) for c in listed] == [("fostering", True)]
    [event] = [e for e in events_for("feedback", reference) if e.action == "feedback.categorised"]
    assert event.before == {"service_area": None, "about_staff": False}
    assert event.after == {"service_area": "fostering", "about_staff": True}

    cleared = _categorise(client, reference, people["officer"], service_area=None, about_staff=False)
    assert (cleared.json["service_area"], cleared.json["about_staff"]) == (None, False)


def test_an_unknown_area_is_refused_with_the_list_and_nothing_changes(client, people, app):
    feedback = record_feedback(kind="concern", text="no one rang back", channel="web_chat")
    _categorise(client, feedback.reference, people["officer"], service_area="fostering", about_staff=False)
    response = _categorise(
        client, feedback.reference, people["officer"], service_area="housing", about_staff=True
    )
    assert response.status_code == 400
    assert_matches_openapi(response, "/api/staff/feedback/{reference}/categories", "post")
    message = response.json["error"]["message"]
    assert "unknown service area 'housing'" in message and "leaving_care" in message
    for body in ({"about_staff": True}, {"service_area": "fostering", "about_staff": "yes"}):
        bad = client.post(
            CATEGORIES.format(reference=feedback.reference), json=body, headers=people["officer"]
        )
        assert bad.status_code == 400, body
    stored = get_feedback(feedback.reference)
    assert (stored.service_area, stored.about_staff) == ("fostering", False)
    missing = _categorise(client, "VOS-2026-999999", people["officer"], service_area=None, about_staff=False)
    assert missing.status_code == 404


def test_a_worker_categorises_only_what_they_logged(client, people):
    logged = client.post(
        "/api/staff/feedback",
        json={
            "kind": "complaint",
            "text": "my carer reads my texts",
            "channel": "in_person",
            "service_area": "children_in_care",
            "about_staff": True,
        },
        headers=people["sw"],
    )
    assert logged.status_code == 201, logged.json
    assert_matches_openapi(logged, "/api/staff/feedback", "post")
    assert (logged.json["service_area"], logged.json["about_staff"]) == ("children_in_care", True)
    reference = logged.json["reference"]

    other = _categorise(client, reference, people["iro"], service_area="fostering", about_staff=False)
    assert other.status_code == 403
    assert_matches_openapi(other, "/api/staff/feedback/{reference}/categories", "post")
    own = _categorise(client, reference, people["sw"], service_area="fostering", about_staff=True)
    assert own.status_code == 200
    mine = client.get("/api/staff/feedback/mine", headers=people["sw"])
    assert_matches_openapi(mine, "/api/staff/feedback/mine", "get")
    assert [(f["service_area"], f["about_staff"]) for f in mine.json["feedback"]] == [("fostering", True)]


def test_logging_with_an_unknown_area_is_refused_and_uses_no_reference(client, people):
    bad = client.post(
        "/api/staff/feedback",
        json={"kind": "idea", "text": "a games night", "channel": "phone", "service_area": "sport"},
        headers=people["sw"],
    )
    assert bad.status_code == 400
    assert "unknown service area 'sport'" in bad.json["error"]["message"]
    assert client.get("/api/staff/feedback/mine", headers=people["sw"]).json["feedback"] == []


def sign_in(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_the_dashboard_form_shows_and_saves_the_categories(client, people):
    feedback = record_feedback(kind="complaint", text="my IRO never visits", channel="web_chat")
    sign_in(client, "officer@trust.example")
    page = client.get(f"/staff/feedback/{feedback.reference}").get_data(as_text=True)
    assert 'id="service-area">Not set<' in page
    assert "Care leavers (leaving care)" in page and "Residential homes" in page

    saved = client.post(
        f"/staff/feedback/{feedback.reference}/categories",
        data={"service_area": "leaving_care", "about_staff": "y"},
        follow_redirects=True,
    )
    assert saved.status_code == 200
    page = saved.get_data(as_text=True)
    assert "Categories saved." in page
    assert 'id="service-area">Care leavers (leaving care)<' in page
    assert 'id="about-staff">Yes<' in page
    assert '<option selected value="leaving_care">' in page

    refused = client.post(
        f"/staff/feedback/{feedback.reference}/categories", data={"service_area": "housing"}
    )
    assert refused.status_code == 400
    assert "unknown service area" in refused.get_data(as_text=True)
    stored = get_feedback(feedback.reference)
    assert (stored.service_area, stored.about_staff) == ("leaving_care", True)


def test_the_complaint_page_shows_the_categories(client, people):
    feedback = record_feedback(kind="complaint", text="my carer read my diary", channel="web_chat")
    sign_in(client, "officer@trust.example")
    opened = client.post(
        f"/staff/feedback/{feedback.reference}/complaint",
        data={"procedure": "statutory", "relationship": "self"},
    )
    assert opened.status_code == 303, opened.get_data(as_text=True)
    client.post(
        f"/staff/feedback/{feedback.reference}/categories",
        data={"service_area": "residential", "about_staff": "y"},
    )
    page = client.get(f"/staff/complaints/{feedback.reference}").get_data(as_text=True)
    assert 'id="service-area">Residential homes' in page
    assert 'id="about-staff">Yes<' in page


def test_the_dashboard_refuses_a_worker_someone_elses_record(client, people):
    feedback = record_feedback(kind="complaint", text="my IRO never visits", channel="web_chat")
    sign_in(client, "sw@trust.example")
    response = client.post(
        f"/staff/feedback/{feedback.reference}/categories", data={"service_area": "fostering"}
    )
    assert response.status_code == 403
    assert get_feedback(feedback.reference).service_area is None


def _procedures_with(areas: object) -> dict[str, object]:
    data = yaml.safe_load(bundled("procedures.yaml").read_text(encoding="utf-8"))
    data["service_areas"] = areas
    return data


@pytest.mark.parametrize(
    ("areas", "message"),
    [
        ("fostering", "must be a list"),
        ([], "must be a list"),
        ([{"id": "fostering"}], r"entry 1 \(fostering\) needs a `label`"),
        ([{"id": "Fostering!", "label": "Fostering"}], "lower_snake_case"),
        ([{"id": "a", "label": "A"}, {"id": "a", "label": "B"}], "entry 2: id 'a' is listed twice"),
        ([{"id": "a", "label": "A", "colour": "red"}], "only `id` and `label`"),
    ],
)
def test_bad_service_areas_are_refused_with_a_clear_message(areas, message):
    with pytest.raises(ProcedureConfigError, match=message):
        parse_procedures(_procedures_with(areas), "procedures.yaml")


def test_an_app_with_bad_service_areas_does_not_start(database, tmp_path: Path):
    path = tmp_path / "procedures.yaml"
    path.write_text(yaml.safe_dump(_procedures_with([{"id": "x", "label": ""}])), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"service_areas entry 1 \(x\) needs a `label`"):
        make_test_app(database.url, tmp_path / "instance", PROCEDURES_FILE=str(path))

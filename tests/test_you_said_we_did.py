""" "You said, we did": participation staff publish what changed, checked, on a public page."""

from __future__ import annotations

from feedbackbot.services.users import create_staff_user

PASSWORD = "a-long-enough-password"


def _sign_in(client, role):
    create_staff_user(f"{role}@trust.example", role, PASSWORD, name=f"{role.title()} Person")
    assert (
        client.post("/login", data={"email": f"{role}@trust.example", "password": PASSWORD}).status_code
        == 302
    )


def _publish(client, you_said, we_did, **extra):
    return client.post(
        "/staff/you-said-we-did",
        data={"you_said": you_said, "we_did": we_did, "no_personal_data": "yes", **extra},
    )


def test_participation_publishes_and_young_people_read_it(client, app):
    _sign_in(client, "participation")
    response = _publish(
        client, "Bus passes took weeks to arrive", "Passes are now ordered the day you start college"
    )
    assert response.status_code == 303
    public = client.get("/you-said-we-did").get_data(as_text=True)
    assert "Passes are now ordered the day you start college" in public
    assert "You said, we did" in client.get("/check").get_data(as_text=True)
    assert "/you-said-we-did" in client.get("/").get_data(as_text=True)


def test_glossary_words_are_shown_before_anything_is_published(client, app):
    _sign_in(client, "participation")
    response = _publish(client, "Your LAC review felt like a meeting about you", "Reviews now start with you")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Young People" in page  # the glossary's suggestion
    assert "LAC review felt" not in client.get("/you-said-we-did").get_data(as_text=True)
    forced = _publish(
        client,
        "Your LAC review felt like a meeting about you",
        "Reviews now start with you",
        send_as_written="yes",
    )
    assert forced.status_code == 303


def test_personal_details_and_an_unticked_promise_are_refused(client, app):
    _sign_in(client, "participation")
    for you_said, we_did in (
        ("VOS-2026-000123 said the bus was late", "We fixed it"),
        ("Jo said the bus was late", "Ring 07700 900123"),
        ("The bus was late", "Email kez@trust.example"),
    ):
        response = _publish(client, you_said, we_did)
        assert response.status_code == 400 and "public" in response.get_data(as_text=True)
    response = client.post("/staff/you-said-we-did", data={"you_said": "a", "we_did": "b"})
    assert response.status_code == 400 and "identify" in response.get_data(as_text=True)
    assert "Nothing here yet" in client.get("/you-said-we-did").get_data(as_text=True)


def test_an_entry_can_be_withdrawn_and_other_roles_cannot_publish(client, app):
    _sign_in(client, "participation")
    _publish(client, "More trips please", "Two summer trips a year")
    client.post("/staff/you-said-we-did/1/withdraw")
    assert "Two summer trips" not in client.get("/you-said-we-did").get_data(as_text=True)
    client.post("/logout")
    other = app.test_client()
    _sign_in(other, "complaints")
    assert other.get("/staff/you-said-we-did").status_code == 403

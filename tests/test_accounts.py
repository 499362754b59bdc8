"""Staff accounts: deactivation ends everything, per-account throttling, the admins' page, reset links."""

from __future__ import annotations

import re

import pytest
from flask import g
from sqlalchemy import select

from feedbackbot.models import AuditEvent, StaffUser
from feedbackbot.services.users import create_staff_user, issue_api_token

PASSWORD = "a-long-enough-password"


@pytest.fixture(autouse=True)
def each_request_loads_its_own_user(app):
    """The test app context outlives requests, so `g` would carry one client's user into another's."""

    def forget() -> None:
        g.pop("_login_user", None)

    app.before_request(forget)


def sign_in(client, email: str, password: str = PASSWORD, address: str | None = None):
    environ = {"REMOTE_ADDR": address} if address else {}
    return client.post("/login", data={"email": email, "password": password}, environ_base=environ)


def admin_and_officer(client):
    create_staff_user("admin@trust.example", "admin", PASSWORD, name="Ada Admin")
    officer = create_staff_user("officer@trust.example", "complaints", PASSWORD, name="Morgan Ellis")
    token = issue_api_token(officer, "tool")
    return officer, token


def test_a_deactivated_account_is_signed_out_and_cannot_sign_in_or_use_its_token(app, client, session):
    officer, token = admin_and_officer(client)
    officer_client = app.test_client()
    assert sign_in(officer_client, "officer@trust.example").status_code == 302
    assert officer_client.get("/staff/").status_code == 200
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/staff/queue", headers=bearer).status_code == 200

    sign_in(client, "admin@trust.example")
    page = client.get("/staff/accounts").get_data(as_text=True)
    assert "Deactivate Morgan Ellis" in page
    response = client.post(f"/staff/accounts/{officer.id}/deactivate")
    assert response.status_code == 303
    assert "is deactivated" in client.get("/staff/accounts").get_data(as_text=True)

    assert officer_client.get("/staff/").status_code == 302  # the session it had has ended
    assert sign_in(officer_client, "officer@trust.example").status_code == 401
    assert client.get("/api/staff/queue", headers=bearer).status_code == 401
    actions = session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.record_type == "staff_user", AuditEvent.record_id == str(officer.id)
        )
    ).all()
    assert "staff_user.deactivated" in actions

    client.post(f"/staff/accounts/{officer.id}/reactivate")
    assert sign_in(app.test_client(), "officer@trust.example").status_code == 302


def test_an_account_is_throttled_after_10_wrong_passwords_from_different_addresses(app, client):
    admin_and_officer(client)
    for n in range(10):
        assert (
            sign_in(client, "Officer@Trust.example", "wrong-password", f"198.51.100.{n}").status_code == 401
        )
    refused = sign_in(client, "officer@trust.example", PASSWORD, "203.0.113.7")
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    # another account, and right passwords, are not held back by it
    assert sign_in(client, "admin@trust.example", PASSWORD, "203.0.113.8").status_code == 302


def test_right_passwords_do_not_count_towards_the_account_limit(app, client):
    admin_and_officer(client)
    for n in range(12):
        other = app.test_client()
        assert sign_in(other, "officer@trust.example", PASSWORD, f"198.51.100.{n}").status_code == 302


def test_an_admin_adds_an_account_which_sets_its_password_through_a_one_time_link(app, client):
    admin_and_officer(client)
    sign_in(client, "admin@trust.example")
    page = client.post(
        "/staff/accounts", data={"email": "new@trust.example", "name": "Nia New", "role": "participation"}
    ).get_data(as_text=True)
    link = re.search(r'<code class="reset-link">([^<]+)</code>', page).group(1)
    path = link.split("localhost", 1)[-1]

    newcomer = app.test_client()
    assert "For new@trust.example" in newcomer.get(path).get_data(as_text=True)
    short = newcomer.post(path, data={"password": "short", "confirm": "short"})
    assert short.status_code == 400
    done = newcomer.post(path, data={"password": "a-brand-new-password", "confirm": "a-brand-new-password"})
    assert done.status_code == 303
    assert sign_in(newcomer, "new@trust.example", "a-brand-new-password").status_code == 302
    again = app.test_client().post(
        path, data={"password": "another-password!", "confirm": "another-password!"}
    )
    assert again.status_code == 400 and "no longer valid" in again.get_data(as_text=True)
    assert app.test_client().get("/reset-password/not-a-token").status_code == 400


def test_an_admin_changes_a_role_but_not_their_own(app, client, session):
    officer, _ = admin_and_officer(client)
    sign_in(client, "admin@trust.example")
    assert client.post(f"/staff/accounts/{officer.id}/role", data={"role": "manager"}).status_code == 303
    session.expire_all()
    assert session.get(StaffUser, officer.id).role == "manager"
    assert client.post(f"/staff/accounts/{officer.id}/role", data={"role": "queen"}).status_code == 400
    admin = session.scalars(select(StaffUser).where(StaffUser.email == "admin@trust.example")).one()
    refused = client.post(f"/staff/accounts/{admin.id}/deactivate")
    assert refused.status_code == 409 and "your own account" in refused.get_data(as_text=True)
    assert client.post("/staff/accounts/999999/deactivate").status_code == 404
    assert client.post(f"/staff/accounts/{officer.id}/explode").status_code == 404


def test_only_admins_see_the_accounts_page(app, client):
    admin_and_officer(client)
    sign_in(client, "officer@trust.example")
    assert client.get("/staff/accounts").status_code == 403

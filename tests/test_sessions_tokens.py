"""Signing out ends the session on the server; API tokens are listed and revoked; the limiter's
storage is installed with the project and a wrong one is one line."""

from __future__ import annotations

import importlib.util

from sqlalchemy import select

from feedbackbot.extensions import db
from feedbackbot.models import ApiToken, AuditEvent
from feedbackbot.services.users import create_staff_user, issue_api_token
from tests.support import empty_all_tables, make_test_app
from tests.test_foundation import clean_env, run_cli

PASSWORD = "a-long-enough-password"


def sign_in(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_session_cookie_saved_before_sign_out_is_sent_to_sign_in_after_it(app, client, session):
    create_staff_user("c@trust.example", "complaints", PASSWORD, name="Cai")
    sign_in(client, "c@trust.example")
    saved = client.get_cookie("session").value
    assert client.get("/staff/").status_code == 200
    assert client.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", saved)
    response = thief.get("/staff/")
    assert response.status_code == 302 and response.location.startswith("/login")
    # Signing in again works, and the new session is good until the next sign-out.
    sign_in(client, "c@trust.example")
    assert client.get("/staff/").status_code == 200
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "staff_user.signed_out")).one()


def test_a_forged_or_old_style_session_id_is_not_a_sign_in(app, client, session):
    user = create_staff_user("c@trust.example", "complaints", PASSWORD, name="Cai")
    for forged in (str(user.id), f"{user.id}:7", f"{user.id}:x", "99999999999:0", ":", ""):
        with client.session_transaction() as cookie:
            cookie["_user_id"] = forged
            cookie["_fresh"] = True
        assert client.get("/staff/").status_code == 302, forged


def test_api_tokens_are_listed_and_revoked_from_the_cli(app, client, runner, session):
    staff = create_staff_user("c@trust.example", "complaints", PASSWORD, name="Cai")
    token = issue_api_token(staff, "reporting script")
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/staff/queue", headers=auth).status_code == 200
    [row] = session.scalars(select(ApiToken)).all()
    listed = runner.invoke(args=["users", "tokens"])
    assert listed.exit_code == 0
    assert f"{row.id}\tc@trust.example\treporting script" in listed.output and "active" in listed.output
    revoked = runner.invoke(args=["users", "revoke-token", str(row.id)])
    assert revoked.exit_code == 0 and "revoked API token" in revoked.output
    assert client.get("/api/staff/queue", headers=auth).status_code == 401
    assert "revoked" in runner.invoke(args=["users", "tokens", "--email", "C@trust.example"]).output
    again = runner.invoke(args=["users", "revoke-token", str(row.id)])
    assert again.exit_code == 2 and "already revoked" in again.output
    assert runner.invoke(args=["users", "revoke-token", "4242"]).exit_code == 2
    assert runner.invoke(args=["users", "revoke-token", str(2**31)]).exit_code == 2
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "api_token.revoked")).one()


def test_admins_list_and_revoke_tokens_on_the_dashboard(app, client, session):
    admin = create_staff_user("a@trust.example", "admin", PASSWORD, name="Ada")
    other = create_staff_user("c@trust.example", "complaints", PASSWORD, name="Cai")
    token = issue_api_token(other, "laptop")
    row = session.scalars(select(ApiToken)).one()
    sign_in(client, "c@trust.example")
    assert client.get("/staff/tokens").status_code == 403
    assert client.post(f"/staff/tokens/{row.id}/revoke").status_code == 403
    client.post("/logout")
    sign_in(client, admin.email)
    page = client.get("/staff/tokens").get_data(as_text=True)
    assert "laptop" in page and "c@trust.example" in page and f"Revoke token {row.id}" in page
    response = client.post(f"/staff/tokens/{row.id}/revoke", follow_redirects=True)
    assert response.status_code == 200 and "Revoked" in response.get_data(as_text=True)
    assert client.get("/api/staff/queue", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    again = client.post(f"/staff/tokens/{row.id}/revoke")
    assert again.status_code == 409 and "already revoked" in again.get_data(as_text=True)


def test_redis_is_installed_with_the_project():
    assert importlib.util.find_spec("redis") is not None


def test_a_wrong_rate_limit_storage_is_one_error_line(tmp_path):
    env = clean_env(tmp_path, RATELIMIT_STORAGE_URI="rediss-typo://somewhere:6379")
    result = run_cli("users", "tokens", env=env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert error_lines == [
        "error: RATELIMIT_STORAGE_URI: unknown storage scheme : rediss-typo://somewhere:6379"
    ]


def test_a_rate_limit_store_that_is_down_does_not_stop_the_chat(database, tmp_path):
    app = make_test_app(database.url, tmp_path / "instance", RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    try:
        response = app.test_client().post("/api/conversations", json={"channel": "api"})
        assert response.status_code == 201
    finally:
        with app.app_context():
            empty_all_tables()
            db.engine.dispose()

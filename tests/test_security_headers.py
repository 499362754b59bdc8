"""Every response carries the security headers: a walk over every rule in the URL map."""

from __future__ import annotations

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter, PathConverter, Rule

from feedbackbot.services.users import create_staff_user, issue_api_token
from feedbackbot.web.headers import CONTENT_SECURITY_POLICY

PASSWORD = "a-long-enough-password"


@pytest.fixture
def app_config(slack_config):
    """Slack on, so /slack/events is in the URL map too."""
    return slack_config


def _url(rule: Rule) -> str:
    """A concrete URL for a rule: an id for int parameters, a real file for static, a reference else."""
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = 1
        elif isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        elif isinstance(converter, PathConverter):
            values[name] = "css/app.css"
        else:
            values[name] = "VOS-2026-000001"
    return rule.build(values, append_unknown=False)[1]


def _assert_secure(response, path: str) -> None:
    headers = response.headers
    assert headers.get("Content-Security-Policy") == CONTENT_SECURITY_POLICY, path
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers.get("X-Content-Type-Options") == "nosniff", path
    assert headers.get("Referrer-Policy") == "no-referrer", path
    assert headers.get("X-Frame-Options") == "DENY", path
    assert "camera=()" in headers.get("Permissions-Policy", ""), path
    if path.startswith("/static/"):
        assert headers.get("Cache-Control") != "no-store", path
    else:
        assert headers.get("Cache-Control") == "no-store", path


def _walk(app, client, auth: dict[str, str] | None = None) -> int:
    seen = 0
    for rule in app.url_map.iter_rules():
        url = _url(rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            response = client.open(
                url, method=method, headers=auth or {}, json={} if method != "GET" else None
            )
            assert response.status_code != 500, (method, url, response.status_code)
            _assert_secure(response, url)
            seen += 1
    return seen


def test_every_route_answers_with_the_security_headers_signed_out(app, client):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {"slack.events", "api.staff_queue", "dashboard.queue", "public.privacy", "static"} <= endpoints
    assert _walk(app, client) >= len(endpoints)


def test_every_route_answers_with_the_security_headers_signed_in_and_with_a_token(app, client):
    admin = create_staff_user("admin@trust.example", "admin", PASSWORD)
    token = issue_api_token(admin, "tests")
    client.post("/login", data={"email": "admin@trust.example", "password": PASSWORD})
    assert client.get("/staff/").status_code == 200
    _walk(app, client, auth={"Authorization": f"Bearer {token}"})


def test_error_pages_carry_the_headers_too(app, client):
    _assert_secure(client.get("/no-such-page"), "/no-such-page")
    _assert_secure(client.delete("/privacy"), "/privacy")
    _assert_secure(client.get("/api/no-such-thing"), "/api/no-such-thing")


def test_hsts_only_in_production(app, client):
    assert "Strict-Transport-Security" not in client.get("/privacy").headers
    app.config["ENV_NAME"] = "production"
    hsts = client.get("/privacy").headers["Strict-Transport-Security"]
    assert hsts.startswith("max-age=31536000")


def test_no_template_has_inline_script_style_or_handlers():
    """The CSP refuses them, so a page that used one would silently break."""
    import re
    from pathlib import Path

    import feedbackbot

    root = Path(feedbackbot.__file__).parent / "templates"
    bad = re.compile(r"<script(?![^>]*\bsrc=)|\sstyle=|\son[a-z]+=", re.IGNORECASE)
    offenders = [
        f"{path.relative_to(root)}: {match.group(0).strip()}"
        for path in root.rglob("*.html")
        for match in bad.finditer(path.read_text())
    ]
    assert offenders == []

"""Security headers on every response: a small after_request hook rather than Flask-Talisman.

Why a hook: what the service needs is a fixed set of headers plus one rule about caching, which
is a dozen lines; Flask-Talisman (in maintenance, last release 2023) would add HTTPS redirects and
cookie settings that overlap with our own settings and the proxy configuration, and its nonce
machinery is not needed because no page has inline script or style. The hook runs for every
response Flask sends, error pages, the JSON API and the Slack endpoint included; a test walks
every rule in the URL map to prove it.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
# Nothing here needs a camera, a microphone, the young person's location or payment.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
HSTS = "max-age=31536000; includeSubDomains"

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",  # for browsers older than frame-ancestors
    "X-Content-Type-Options": "nosniff",
    # "Leave this site quickly" must not tell the next site where the young person was.
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
}


def cacheable(path: str) -> bool:
    """Only the static files (CSS, JS, icons) may be kept by a browser or a proxy.

    Every other page either belongs to staff or may show a young person's words (the chat, the
    check page, the API), and a shared computer must not give them back from its cache.
    """
    static = current_app.static_url_path or "/static"
    return path.startswith(static.rstrip("/") + "/")


def add_security_headers(response: Response) -> Response:
    """Set the headers on one response (the after_request hook)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    if current_app.config.get("ENV_NAME") == "production":
        response.headers["Strict-Transport-Security"] = HSTS
    if not cacheable(request.path):
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
        response.headers.pop("ETag", None)
        response.headers.pop("Last-Modified", None)
    return response


def init_app(app: Flask) -> None:
    """Install the hook on the app (so blueprints' own hooks cannot skip it)."""
    app.after_request(add_security_headers)

"""The browser enforces the Content-Security-Policy, and the console watch catches a violation."""

from __future__ import annotations


def test_an_injected_inline_script_is_refused_and_reported(page, no_console_errors):
    page.goto("/privacy")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.ran") is None
    assert any("Content Security Policy" in error for error in no_console_errors), no_console_errors
    no_console_errors.clear()  # the violation was the point of this test


def test_the_letter_print_button_works_without_inline_script(page, live_server, app):
    """The one handler that was inline (onclick="window.print()") now lives in static/js/staff.js."""
    page.goto("/privacy")
    page.add_script_tag(url="/static/js/staff.js")
    page.evaluate(
        "() => { window.printed = 0; window.print = () => { window.printed += 1; };"
        " const b = document.createElement('button'); b.dataset.print = ''; b.id = 'p';"
        " document.body.appendChild(b); }"
    )
    page.click("#p")
    assert page.evaluate("() => window.printed") == 1

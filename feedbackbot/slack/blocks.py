"""Block Kit builders: pure functions from plain values to Slack message blocks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from feedbackbot.core.glossary import Finding

Block = dict[str, Any]

# Slack's limits: 50 blocks a message, 3000 characters a section text.
MAX_FINDINGS_SHOWN = 20
MAX_SECTION_CHARS = 2900


def escape(text: str) -> str:
    """Escape text for Slack mrkdwn, so a user's < > & cannot become mentions or links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, limit: int = MAX_SECTION_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def section(text: str) -> Block:
    """A mrkdwn section, clipped to Slack's limit."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": _clip(text)}}


def context(text: str) -> Block:
    """A small grey line of context."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _clip(text)}]}


def wording_blocks(
    findings: Sequence[Finding], rewritten: str, reasons: dict[str, str]
) -> tuple[str, list[Block]]:
    """Build the reply to a wording check: each finding, its reason and the suggested rewrite."""
    if not findings:
        text = "Nothing to change: your wording already uses the words young people chose."
        return text, [section(f":white_check_mark: {text}")]
    count = len(findings)
    summary = f"{count} word{'s' if count != 1 else ''} to look at"
    blocks: list[Block] = [section(f"*{summary}* (the words young people in Sandwell chose)")]
    for finding in findings[:MAX_FINDINGS_SHOWN]:
        options = " or ".join(f"*{escape(s)}*" for s in finding.suggestions)
        blocks.append(
            section(f"“{escape(finding.text)}” → try {options}\n_{escape(reasons.get(finding.term, ''))}_")
        )
    if count > MAX_FINDINGS_SHOWN:
        blocks.append(context(f"…and {count - MAX_FINDINGS_SHOWN} more, shown in the rewrite below."))
    blocks.append({"type": "divider"})
    quoted = "\n".join(f">{line}" if line else ">" for line in escape(rewritten).splitlines())
    blocks.append(section(f"*Suggested wording*\n{quoted}"))
    blocks.append(context("Put `[keep]` … `[/keep]` around words that must stay, such as legal wording."))
    return summary, blocks


def usage_blocks() -> tuple[str, list[Block]]:
    """Explain /wording when it is used without text."""
    text = "Type your wording after the command, e.g. `/wording Her placement is going well`."
    return text, [section(text)]


def button(
    text: str, action_id: str, *, value: str | None = None, url: str | None = None, style: str | None = None
) -> Block:
    """A Block Kit button (an action with a value, or a link)."""
    element: Block = {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": action_id}
    if value is not None:
        element["value"] = value
    if url is not None:
        element["url"] = url
    if style is not None:
        element["style"] = style
    return element


def safeguarding_alert_blocks(
    *,
    reference: str,
    alert_id: int,
    categories: list[str],
    raised_at: str,
    who_given: bool,
    urgent: bool,
    link: str,
    repeat: int = 0,
    acknowledged_by: str | None = None,
    acknowledged_at: str | None = None,
) -> tuple[str, list[Block]]:
    """The alert to the people on duty: what kind of risk and when, never what the child wrote."""
    what = ", ".join(categories) or "Asked for help now"
    prefix = "Reminder: still not acknowledged. " if repeat else ""
    text = f"{prefix}Safeguarding alert {reference}: {what}"
    lines = [
        f":rotating_light: *{escape(prefix)}Safeguarding alert {escape(reference)}*",
        f"*What:* {escape(what)}",
        f"*When:* {escape(raised_at)}",
        f"*Name given:* {'yes' if who_given else 'not yet'}",
    ]
    if urgent:
        lines.append("*Says they are not safe right now.*")
    blocks: list[Block] = [section("\n".join(lines))]
    if acknowledged_by:
        blocks.append(
            context(
                f":white_check_mark: Acknowledged by {escape(acknowledged_by)} at {escape(acknowledged_at or '')}"
            )
        )
        blocks.append(
            {"type": "actions", "elements": [button("Open in dashboard", "open_dashboard", url=link)]}
        )
        return f"Safeguarding alert {reference} acknowledged by {acknowledged_by}", blocks
    blocks.append(context("The young person's words are in the dashboard, not here."))
    blocks.append(
        {
            "type": "actions",
            "elements": [
                button(
                    "Acknowledge: I'm dealing with it",
                    "safeguarding_ack",
                    value=str(alert_id),
                    style="danger",
                ),
                button("Open in dashboard", "open_dashboard", url=link),
            ],
        }
    )
    return text, blocks


STEP_WORDS = {"warning": "Reminder", "overdue": "Overdue", "escalation": "Still overdue"}


def reminder_blocks(
    *,
    reference: str,
    title: str,
    what: str,
    due: str,
    step_kind: str,
    days_note: str,
    owner: str | None,
    link: str,
    ack_value: str,
    seen_by: str | None = None,
) -> tuple[str, list[Block]]:
    """A reminder about a deadline: the reference, the step and the deadline (never a child's words)."""
    word = STEP_WORDS.get(step_kind, "Reminder")
    icon = {
        "warning": ":hourglass_flowing_sand:",
        "overdue": ":warning:",
        "escalation": ":rotating_light:",
    }.get(step_kind, "")
    text = f"{word}: {reference} {what} {days_note} ({due})"
    lines = [
        f"{icon} *{escape(word)}: {escape(reference)}*, {escape(title)}",
        f"*Deadline:* {escape(what)}, {escape(days_note)}: *{escape(due)}*",
    ]
    if owner:
        lines.append(f"*Owner:* {escape(owner)}")
    blocks: list[Block] = [section("\n".join(lines))]
    if seen_by:
        blocks.append(context(f":white_check_mark: Seen by {escape(seen_by)}"))
        blocks.append(
            {"type": "actions", "elements": [button("Open in dashboard", "open_dashboard", url=link)]}
        )
    else:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    button("Acknowledge", "reminder_ack", value=ack_value, style="primary"),
                    button("Open in dashboard", "open_dashboard", url=link),
                ],
            }
        )
    return text, blocks


def digest_blocks(title: str, sections: list[tuple[str, list[str]]], link: str) -> tuple[str, list[Block]]:
    """A digest: headed lists of references and deadlines, with a link to the dashboard."""
    blocks: list[Block] = [section(f"*{escape(title)}*")]
    total = 0
    for heading, lines in sections:
        total += len(lines)
        body = "\n".join(f"• {escape(line)}" for line in lines[:25]) or "_none_"
        if len(lines) > 25:
            body += f"\n…and {len(lines) - 25} more"
        blocks.append(section(f"*{escape(heading)}* ({len(lines)})\n{body}"))
    blocks.append({"type": "actions", "elements": [button("Open the dashboard", "open_dashboard", url=link)]})
    return f"{title}: {total} item(s)", blocks[:50]

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

"""The one thing every wording listener does: check text and build the reply."""

from __future__ import annotations

from feedbackbot.services.glossary import check_wording, checker
from feedbackbot.slack.blocks import Block, wording_blocks


def wording_reply(text: str) -> tuple[str, list[Block]]:
    """Check the text and give the fallback text and blocks for Slack."""
    result = check_wording(text)
    reasons = {e.id: e.reason for e in checker().glossary.entries}
    return wording_blocks(result.findings, result.rewritten, reasons)

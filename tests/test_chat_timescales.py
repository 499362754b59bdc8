"""The chat's "how long" answer quotes the procedures file, so a changed limit changes what it says."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from feedbackbot.services.config import bundled
from tests.test_chat_api import ApiChat


@pytest.fixture
def app_config(tmp_path: Path) -> dict[str, object]:
    data = yaml.safe_load(bundled("procedures.yaml").read_text(encoding="utf-8"))
    stage = data["procedures"]["statutory"]["stages"][1]
    stage.update(acknowledge=2, respond=12, extended_respond=24, request_next_within=21)
    path = tmp_path / "procedures.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return {"PROCEDURES_FILE": str(path)}


def test_how_long_comes_from_the_procedures_file(client):
    chat = ApiChat(client)
    chat.send(text="how long does a complaint take")
    answer = " ".join(chat.texts())
    assert "within 2 working days and answer within 12 working days (up to 24" in answer
    assert "21 working days to ask for the next stage" in answer
    assert "{" not in answer

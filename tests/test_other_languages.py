"""Messages in languages the classifier does not read: detected, answered in that language,
passed to staff for reading and translation, and their safety words still raise an alert."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from feedbackbot.core.language_detection import LanguageReader, load_language_safety
from feedbackbot.models import Feedback, SafeguardingAlert
from feedbackbot.services.config import bundled
from tests.test_chat_api import CONVERSATIONS

READER = LanguageReader(load_language_safety(bundled("intents", "language_safety.yaml")))
EVALUATION = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "languages" / "evaluation.yaml"


def start(client, language: str | None = None) -> tuple[str, dict[str, str]]:
    body = {"channel": "api"} | ({"language": language} if language else {})
    response = client.post(CONVERSATIONS, json=body)
    assert response.status_code == 201
    return response.json["id"], {"X-Conversation-Token": response.json["token"]}


def send(client, conversation: str, headers: dict[str, str], **body) -> list[str]:
    response = client.post(f"/api/conversations/{conversation}/messages", json=body, headers=headers)
    assert response.status_code == 200, response.json
    return [m["text"] for m in response.json["messages"]]


def test_a_somali_message_is_answered_in_somali_and_sent_for_translation(client, session):
    conversation, headers = start(client)
    texts = send(client, conversation, headers, text="Shaqaalaha bulshada ma i soo wacin muddo bil ah")
    assert texts[0] == READER.language("so").received
    assert "You wrote in Somali" in texts[1]
    assert any("Your reference is" in t for t in texts)
    feedback = session.scalars(select(Feedback)).one()
    assert feedback.notes["language"] == "Somali (so): have it read and translated"
    assert feedback.text == "Shaqaalaha bulshada ma i soo wacin muddo bil ah"


def test_a_polish_disclosure_in_the_english_chat_raises_an_alert_with_help_in_polish(client, session):
    conversation, headers = start(client)
    texts = send(client, conversation, headers, text="mój ojczym mnie bije kiedy pije")
    assert texts[0] == READER.language("pl").help
    assert "I'm really glad you told us." in texts
    alert = session.scalars(select(SafeguardingAlert)).one()
    assert alert.categories == ["harm_from_others"]


def test_urdu_safety_words_raise_an_alert_in_the_urdu_chat(client, session):
    conversation, headers = start(client, "ur")
    texts = send(client, conversation, headers, text="مجھے گھر میں ڈر لگتا ہے")
    assert "مجھے بہت خوشی ہے کہ آپ نے ہمیں بتایا۔" in texts
    assert session.scalars(select(SafeguardingAlert)).one().categories == ["danger"]


def test_the_polish_chat_takes_polish_words_as_the_feedback(client, session):
    conversation, headers = start(client, "pl")
    send(client, conversation, headers, choice="kind:idea")
    texts = send(client, conversation, headers, text="Chciałbym wieczór filmowy dla młodzieży w weekend")
    assert texts[-1].startswith("Czego to dotyczy?")  # the usual next step, in Polish


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("ok thanks", "en"),
        ("idk", "en"),
        ("my worker never rings me back", "en"),
        ("ਮੇਰਾ ਵਰਕਰ ਫ਼ੋਨ ਨਹੀਂ ਕਰਦਾ", "pa"),
        ("میرا ورکر فون نہیں کرتا", "ur"),
        ("mera worker mujhe phone nahi karta hai", "ur-Latn"),
        ("mera worker mainu phone nahi karda", "pa-Latn"),
        ("ئەو هەرگیز تەلەفۆنم بۆ ناکات", "ckb"),
        ("ሰራሕተኛይ ኣይድውለለይን እዩ", "ti"),
    ],
)
def test_detection_of_scripts_and_romanised_punjabi_and_urdu(text, lang):
    assert READER.detect(text).lang == lang


def test_the_evaluation_messages_are_not_in_the_data():
    """Judged on text it never saw: no evaluation message may be copied into the data files."""
    if not EVALUATION.exists():
        pytest.skip("no evaluation set yet")
    messages = [
        item["text"].strip().casefold() for item in yaml.safe_load(EVALUATION.read_text(encoding="utf-8"))
    ]
    data = "\n".join(
        p.read_text(encoding="utf-8").casefold()
        for p in [bundled("intents", "language_safety.yaml"), bundled("intents", "languages.yaml")]
    )
    copied = [m for m in messages if len(m) > 12 and m in data]
    assert copied == []

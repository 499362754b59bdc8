"""The glossary where staff use it: CLI, API, web page and Slack (against a local mock Slack)."""

from __future__ import annotations

import json
import time

import pytest

from tests.slack_helpers import event, interaction, slash_command

TEXT = "Her placement is stable.\nPlease contact me.\nContact with mum and the LAC review.\n"


# --- CLI ---------------------------------------------------------------------------------------


def test_cli_text_format_and_exit_1_when_found(runner):
    result = runner.invoke(args=["glossary", "check", "-"], input=TEXT)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0].startswith('1:5  found "placement" -> try "home"  (')
    assert lines[1].startswith('3:1  found "Contact" -> try "Family time"  (')
    assert lines[2].startswith('3:26  found "LAC review" -> try "Young People\'s Review"  (')
    assert len(lines) == 3


def test_cli_exit_0_when_clean(runner):
    result = runner.invoke(args=["glossary", "check"], input="Her home is lovely.\n")
    assert result.exit_code == 0
    assert result.output == ""


def test_cli_json_is_one_document_with_whole_text_offsets(runner):
    result = runner.invoke(args=["glossary", "check", "--format", "json"], input=TEXT)
    assert result.exit_code == 1
    findings = json.loads(result.output)["findings"]
    assert [(f["text"], f["term"]) for f in findings] == [
        ("placement", "placement"),
        ("Contact", "contact"),
        ("LAC review", "lac-review"),
    ]
    for f in findings:
        assert TEXT[f["start"] : f["end"]] == f["text"]
        assert set(f) == {"start", "end", "text", "term", "suggestions", "message"}


def test_cli_jsonl_is_one_document_per_line_with_line_offsets(runner):
    result = runner.invoke(args=["glossary", "check", "--format", "jsonl"], input=TEXT)
    assert result.exit_code == 1
    documents = [json.loads(line) for line in result.output.splitlines()]
    assert len(documents) == 3
    assert documents[1] == {"findings": []}
    assert documents[0]["findings"][0]["start"] == 4
    assert documents[2]["findings"][1]["start"] == 25
    assert documents[2]["findings"][1]["text"] == "LAC review"


def test_cli_reads_a_file(runner, tmp_path):
    path = tmp_path / "letter.txt"
    path.write_text("Your foster carer will call.")
    result = runner.invoke(args=["glossary", "check", str(path)])
    assert result.exit_code == 1
    assert 'found "foster carer" -> try "carer" or "parent"' in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["glossary", "check", "/no/such/file.txt"],
        ["glossary", "check", "--format", "xml"],
        ["glossary", "check", "a.txt", "b.txt"],
    ],
)
def test_cli_bad_usage_exits_2(runner, args):
    assert runner.invoke(args=args, input="x").exit_code == 2


def test_cli_non_utf8_input_exits_2(runner, tmp_path):
    path = tmp_path / "binary.bin"
    path.write_bytes(b"\xff\xfe\x00placement\x80")
    result = runner.invoke(args=["glossary", "check", str(path)])
    assert result.exit_code == 2
    assert "not UTF-8" in result.output


def test_cli_rewrite(runner):
    result = runner.invoke(args=["glossary", "rewrite"], input=TEXT)
    assert result.exit_code == 0
    assert result.output == (
        "Her home is stable.\nPlease contact me.\nFamily time with mum and the Young People's Review.\n"
    )


# --- HTTP API ----------------------------------------------------------------------------------


def test_api_check_gives_findings_and_rewrite(client):
    response = client.post("/api/glossary/check", json={"text": "Placements with foster carers"})
    assert response.status_code == 200
    body = response.json
    assert body["clean"] is False
    assert body["rewritten"] == "Homes with carers"
    assert [f["suggestions"] for f in body["findings"]] == [["Homes"], ["carers", "parents"]]


def test_api_clean_text(client):
    assert client.post("/api/glossary/check", json={"text": "All good"}).json == {
        "clean": True,
        "findings": [],
        "rewritten": "All good",
    }


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        ('"just a string"', "application/json"),
        ('{"text": 42}', "application/json"),
        ('{"words": "placement"}', "application/json"),
        ("text=placement", "application/x-www-form-urlencoded"),
    ],
)
def test_api_bad_json_is_400_with_a_message(client, body, content_type):
    response = client.post("/api/glossary/check", data=body, content_type=content_type)
    assert response.status_code == 400
    assert response.json["error"]["message"]


def test_api_too_long_text_is_413(client, app):
    limit = app.config["GLOSSARY_MAX_CHARS"]
    response = client.post("/api/glossary/check", json={"text": "a" * (limit + 1)})
    assert response.status_code == 413
    assert str(limit) in response.json["error"]["message"]
    assert client.post("/api/glossary/check", json={"text": "a" * limit}).status_code == 200


def test_api_body_over_the_request_limit_is_413(client, app):
    size = app.config["MAX_CONTENT_LENGTH"] + 10
    response = client.post("/api/glossary/check", data="x" * size, content_type="application/json")
    assert response.status_code == 413


# --- web page ----------------------------------------------------------------------------------


def test_page_highlights_terms_and_escapes_text(client):
    response = client.post("/glossary", data={"text": "<script>alert(1)</script> her placement"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<mark>placement</mark>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; her home" in html  # the suggested rewrite


def test_page_says_when_nothing_to_change(client):
    html = client.post("/glossary", data={"text": "Her home is lovely"}).get_data(as_text=True)
    assert "Nothing to change" in html


def test_page_empty_submission_is_400_with_message(client):
    response = client.post("/glossary", data={"text": ""})
    assert response.status_code == 400
    assert "Paste some text to check." in response.get_data(as_text=True)


def test_page_form_needs_csrf_token(client, app):
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/glossary", data={"text": "placement"}).status_code == 400
    page = client.get("/glossary").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/glossary", data={"text": "placement", "csrf_token": token}).status_code == 200


# --- Slack -------------------------------------------------------------------------------------


@pytest.fixture
def app_config(slack_config):
    return slack_config


def block_text(blocks):
    return "\n".join(
        b.get("text", {}).get("text", "") if b["type"] == "section" else json.dumps(b) for b in blocks
    )


def test_slack_wording_command_answers_with_findings(client, mock_slack):
    response = slash_command(client, "/wording", "Her placement & contact with mum <@U1>")
    assert response.status_code == 200
    body = response.json
    assert body["response_type"] == "ephemeral"
    text = block_text(body["blocks"])
    assert "“placement” → try *home*" in text
    assert "“contact” → try *family time*" in text
    assert ">Her home &amp; family time with mum &lt;@U1&gt;" in text
    # bolt checked the token with auth.test against the mock Slack
    assert len(mock_slack.calls_to("auth.test")) == 1


def test_slack_wording_command_clean_and_empty(client):
    assert "Nothing to change" in block_text(slash_command(client, "/wording", "All good").json["blocks"])
    assert "Type your wording" in block_text(slash_command(client, "/wording", "  ").json["blocks"])


def test_slack_forged_signature_is_401(client, mock_slack):
    response = slash_command(client, "/wording", "placement", tamper=True)
    assert response.status_code == 401
    response = slash_command(client, "/wording", "placement", secret="someone-elses-secret")
    assert response.status_code == 401
    assert mock_slack.calls == []


def test_slack_stale_signature_is_401(client):
    ten_minutes_ago = int(time.time()) - 600
    assert slash_command(client, "/wording", "placement", timestamp=ten_minutes_ago).status_code == 401


def test_slack_message_shortcut_replies_ephemerally(client, mock_slack):
    payload = {
        "type": "message_action",
        "callback_id": "check_wording",
        "trigger_id": "1.2.3",
        "team": {"id": "T0TEST", "domain": "sandwell-test"},
        "user": {"id": "U0STAFF", "name": "kim"},
        "channel": {"id": "C0STAFF", "name": "staff"},
        "message": {
            "type": "message",
            "user": "U0OTHER",
            "ts": "1.2",
            "text": "The LAC review is at her placement",
        },
        "message_ts": "1.2",
        "response_url": "https://hooks.slack.invalid/app/T0TEST/1/abc",
    }
    assert interaction(client, payload).status_code == 200
    [call] = mock_slack.calls_to("chat.postEphemeral")
    assert (call.args["channel"], call.args["user"]) == ("C0STAFF", "U0STAFF")
    text = block_text(call.args["blocks"])
    assert "“LAC review” → try *Young People's Review*" in text
    assert "“placement” → try *home*" in text


def test_slack_shortcut_falls_back_to_a_dm_when_the_bot_is_not_in_the_channel(client, mock_slack):
    mock_slack.error_for["chat.postEphemeral"] = "channel_not_found"
    payload = {
        "type": "message_action",
        "callback_id": "check_wording",
        "trigger_id": "1.2.3",
        "team": {"id": "T0TEST"},
        "user": {"id": "U0STAFF"},
        "channel": {"id": "C0PRIVATE"},
        "message": {"type": "message", "text": "placement", "ts": "1.2"},
        "response_url": "https://hooks.slack.invalid/app/T0TEST/1/abc",
    }
    assert interaction(client, payload).status_code == 200
    assert [c.args["channel"] for c in mock_slack.calls_to("chat.postMessage")] == ["U0STAFF"]


def test_slack_direct_message_is_checked(client, mock_slack):
    response = event(
        client,
        {
            "type": "message",
            "channel_type": "im",
            "channel": "D0DM",
            "user": "U0STAFF",
            "text": "her siblings",
            "ts": "1.3",
        },
    )
    assert response.status_code == 200
    [call] = mock_slack.calls_to("chat.postMessage")
    assert call.args["channel"] == "D0DM"
    assert "“siblings” → try *brothers and sisters*" in block_text(call.args["blocks"])


def test_slack_ignores_bot_messages_and_channel_messages(client, mock_slack):
    event(
        client,
        {
            "type": "message",
            "channel_type": "im",
            "channel": "D1",
            "bot_id": "B1",
            "text": "placement",
            "ts": "1",
        },
    )
    event(
        client,
        {
            "type": "message",
            "channel_type": "channel",
            "channel": "C1",
            "user": "U1",
            "text": "placement",
            "ts": "2",
        },
    )
    assert mock_slack.calls_to("chat.postMessage") == []


def test_slack_manifest_names_every_listener(runner, app):
    app.config["BASE_URL"] = "https://feedback.sandwell.example"
    result = runner.invoke(args=["slack", "manifest"])
    assert result.exit_code == 0
    assert "command: /wording" in result.output
    assert "callback_id: check_wording" in result.output
    assert "message.im" in result.output
    assert "https://feedback.sandwell.example/slack/events" in result.output
    assert "feedback.example.org" not in result.output

"""The conversation engine, step by step, with the real intents and replies data."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from feedbackbot.core.conversation import ConversationEngine, Promise, load_chat_texts
from feedbackbot.core.glossary_data import bundled_glossary_files, load_glossary
from feedbackbot.services.config import bundled
from tests.support import understanding

TEXTS = load_chat_texts(bundled("intents", "replies.yaml"))
CLASSIFIER = understanding()
CALIBRATION_KINDS = (
    Path(__file__).resolve().parents[2]
    / "benchmarks"
    / "data"
    / "understanding"
    / "calibration"
    / "kinds.yaml"
)
ASK_BELOW = CLASSIFIER.config.ask_below
ENGINE = ConversationEngine(
    TEXTS, CLASSIFIER, ask_below=ASK_BELOW, concern_days=10, today=lambda: date(2026, 11, 23)
)
SAY = TEXTS.messages


class Chat:
    """Drive the engine like a young person would, keeping the state between turns."""

    def __init__(self) -> None:
        turn = ENGINE.start()
        self.state = turn.state
        self.replies = turn.replies
        self.submission = None

    def _take(self, turn: Any) -> Chat:
        self.state, self.replies, self.submission = turn.state, turn.replies, turn.submission
        return self

    def say(self, text: str) -> Chat:
        return self._take(ENGINE.handle(self.state, text=text))

    def press(self, value: str) -> Chat:
        assert value in self.button_values or value.startswith("nav:"), (value, self.button_values)
        return self._take(ENGINE.handle(self.state, choice=value))

    @property
    def texts(self) -> list[str]:
        return [r.text for r in self.replies]

    @property
    def button_values(self) -> list[str]:
        return [b.value for r in self.replies for b in r.buttons]

    @property
    def step(self) -> str:
        return self.state["step"]


def test_start_says_hello_and_privacy_before_the_first_question():
    chat = Chat()
    assert chat.texts[0].startswith(SAY["welcome"])
    assert 'type "help me"' in chat.texts[0]  # the safe word is told in the first message
    assert chat.texts[1] == SAY["privacy"]
    assert chat.texts[2] == SAY["ask_kind"]
    assert chat.button_values == ["kind:good", "kind:idea", "kind:wrong", "kind:question", "nav:help_now"]


def test_compliment_given_anonymously():
    chat = Chat().press("kind:good")
    assert chat.texts == [SAY["ask_good"]]
    chat.say("my worker kez always rings me back").press("topic:worker").press("identity:anonymous")
    assert chat.step == "confirm"
    assert "What you said: my worker kez always rings me back" in chat.texts[-2]
    chat.press("confirm:send")
    sub = chat.submission
    assert (sub.kind, sub.text, sub.topic, sub.anonymous, sub.name) == (
        "compliment",
        "my worker kez always rings me back",
        "worker",
        True,
        None,
    )
    assert sub.advocate_requested is None


def test_complaint_with_name_phone_and_advocate():
    chat = Chat().press("kind:wrong").say("my family time got cancelled twice and nobody said why")
    chat.press("topic:family").press("identity:name").say("my name is Jay").press("contact:phone")
    assert chat.texts == [SAY["ask_phone"]]
    chat.say("07700 900123")
    assert chat.step == "route"
    assert any("10 working days" in t for t in chat.texts)
    chat.press("route:formal").press("writer:self")
    assert chat.step == "advocate"
    assert "someone on your side who helps you say what you want" in chat.texts[0]
    chat.press("advocate:yes").press("confirm:send")
    sub = chat.submission
    assert (sub.kind, sub.name, sub.contact_method, sub.contact_value, sub.advocate_requested) == (
        "complaint",
        "Jay",
        "phone",
        "07700 900123",
        True,
    )


def test_worry_sorted_out_quickly_is_a_concern():
    chat = Chat().press("kind:wrong").say("my bus pass hasnt come").press("topic:school")
    chat.press("identity:anonymous").press("route:quick").press("writer:self").press("advocate:no").press(
        "confirm:send"
    )
    assert (chat.submission.kind, chat.submission.advocate_requested) == ("concern", False)


def test_idea_with_email_typed_straight_away():
    chat = Chat().press("kind:idea").say("a youth club on fridays").say("something else")
    chat.press("identity:name").say("Ali").say("ali@example.com")
    assert chat.step == "confirm"
    chat.press("confirm:send")
    assert (chat.submission.kind, chat.submission.topic) == ("idea", "other")
    assert (chat.submission.contact_method, chat.submission.contact_value) == ("email", "ali@example.com")


def test_a_whole_message_at_the_start_is_taken_as_the_feedback():
    chat = Chat().say("my social worker never calls me back and its not fair")
    assert chat.texts[0] == SAY["thanks_for_telling"]
    assert chat.step == "topic"
    chat.press("topic:worker").press("identity:anonymous").press("route:formal").press("writer:self").press(
        "advocate:no"
    )
    chat.press("confirm:send")
    assert chat.submission.text == "my social worker never calls me back and its not fair"


def test_questions_are_answered_and_can_go_to_a_person():
    chat = Chat().say("what is an advocate")
    assert chat.texts[0] == CLASSIFIER.intent_set.intent("question-advocate").answer
    chat.press("question:helped")
    assert chat.step == "menu"
    chat = Chat().press("kind:question").say("how do i see my file")
    assert "subject access request" in chat.texts[0]
    chat.press("question:person").press("identity:anonymous")
    assert chat.step == "confirm"
    chat.press("confirm:send")
    assert chat.submission.kind == "question"


def test_a_question_the_bot_cannot_answer_goes_to_the_team():
    chat = Chat().press("kind:question").say("zxqv blorp fnarg")
    assert chat.texts == [SAY["question_unknown"]]
    chat.press("question:send").press("identity:anonymous").press("confirm:send")
    assert (chat.submission.kind, chat.submission.text) == ("question", "zxqv blorp fnarg")


def test_greeting_and_thanks_at_the_start_keep_the_question_open():
    chat = Chat().say("hiya")
    assert chat.texts[0] == SAY["greeting"]
    assert chat.step == "menu"
    assert Chat().say("thanks").texts[0] == SAY["thanks"]


# --- two failed tries ----------------------------------------------------------------------------


def test_two_failed_tries_at_the_start_take_their_own_words():
    chat = Chat().say("zxqv blorp")
    assert chat.texts[0] == SAY["not_sure_kind"]
    chat.say("fnarg wibble")
    assert chat.texts == [SAY["free_text"]]
    chat.say("the thing with the stuff at the place")
    assert chat.step == "topic"
    chat.press("topic:other").press("identity:anonymous").press("route:quick").press("writer:self").press(
        "advocate:no"
    )
    chat.press("confirm:send")
    assert chat.submission.kind == "concern"
    assert chat.submission.text == "the thing with the stuff at the place"
    assert chat.submission.notes == {"menu": "the thing with the stuff at the place"}


def test_two_failed_tries_at_the_topic_take_their_own_words():
    chat = Chat().press("kind:good").say("the trip was great")
    chat.say("zzz").say("qqq")
    assert chat.texts == [SAY["free_text"]]
    chat.say("the summer trip to wales")
    assert chat.step == "identity"
    chat.press("identity:anonymous").press("confirm:send")
    assert (chat.submission.topic, chat.submission.topic_text) == ("other", "the summer trip to wales")


def test_topic_can_be_typed():
    chat = Chat().press("kind:wrong").say("i didnt get my allowance").say("its about my money")
    assert (chat.step, chat.state["data"]["topic"]) == ("identity", "money")


def test_a_wrong_phone_number_twice_is_taken_as_written():
    chat = Chat().press("kind:good").say("thanks sam").press("topic:worker").press("identity:name")
    chat.say("Sam").press("contact:phone").say("call me")
    assert chat.texts[0] == SAY["bad_phone"]
    chat.say("my nans phone")
    assert chat.texts == [SAY["free_text"]]
    chat.say("ring my nan she knows")
    assert chat.step == "confirm"
    chat.press("confirm:send")
    assert chat.submission.notes == {"contact_value": "ring my nan she knows"}


# --- escape words at every step --------------------------------------------------------------------


def chat_at(step: str) -> Chat:
    chat = Chat()
    path = {
        "menu": [],
        "details": [("press", "kind:wrong")],
        "topic": [("press", "kind:wrong"), ("say", "my taxi is late every day")],
        "identity": [
            ("press", "kind:wrong"),
            ("say", "my taxi is late every day"),
            ("press", "topic:school"),
        ],
        "name": [
            ("press", "kind:wrong"),
            ("say", "my taxi is late every day"),
            ("press", "topic:school"),
            ("press", "identity:name"),
        ],
        "contact_method": [
            ("press", "kind:wrong"),
            ("say", "my taxi is late every day"),
            ("press", "topic:school"),
            ("press", "identity:name"),
            ("say", "Jo"),
        ],
        "contact_value": [
            ("press", "kind:wrong"),
            ("say", "my taxi is late every day"),
            ("press", "topic:school"),
            ("press", "identity:name"),
            ("say", "Jo"),
            ("press", "contact:email"),
        ],
        "route": [
            ("press", "kind:wrong"),
            ("say", "my taxi is late every day"),
            ("press", "topic:school"),
            ("press", "identity:anonymous"),
        ],
        "advocate": [
            ("press", "kind:wrong"),
            ("say", "my taxi is late every day"),
            ("press", "topic:school"),
            ("press", "identity:anonymous"),
            ("press", "route:formal"),
            ("press", "writer:self"),
        ],
        "confirm": [
            ("press", "kind:wrong"),
            ("say", "my taxi is late every day"),
            ("press", "topic:school"),
            ("press", "identity:anonymous"),
            ("press", "route:formal"),
            ("press", "writer:self"),
            ("press", "advocate:no"),
        ],
    }[step]
    for action, value in path:
        getattr(chat, action)(value)
    assert chat.step == step
    return chat


STEPS = [
    "menu",
    "details",
    "topic",
    "identity",
    "name",
    "contact_method",
    "contact_value",
    "route",
    "advocate",
    "confirm",
]


@pytest.mark.parametrize("step", STEPS)
def test_help_works_at_every_step_and_asks_again(step):
    chat = chat_at(step)
    question = chat.texts[-1] if step != "confirm" else SAY["ask_confirm"]
    chat.say("help")
    assert chat.texts[0].startswith(SAY["help"]) and "help me" in chat.texts[0]
    assert chat.step == step
    assert question in chat.texts


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("words", ["cancel", "Cancel!", "stop"])
def test_cancel_works_at_every_step_and_sends_nothing(step, words):
    chat = chat_at(step).say(words)
    assert chat.texts == [SAY["cancelled"]]
    assert chat.submission is None
    assert chat.state["data"] == {}
    chat.say("hello")
    assert chat.step == "menu"


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("words", ["start again", "Start over"])
def test_start_again_works_at_every_step(step, words):
    chat = chat_at(step).say(words)
    assert chat.texts == [SAY["start_again"], SAY["ask_kind"]]
    assert (chat.step, chat.state["data"]) == ("menu", {})


@pytest.mark.parametrize("step", STEPS[1:])
def test_go_back_works_at_every_step(step):
    chat = chat_at(step)
    previous = chat.state["history"][-1]
    chat.say("go back")
    assert chat.texts[0] == SAY["gone_back"]
    assert chat.step == previous


def test_go_back_at_the_first_question_just_asks_again():
    chat = Chat().say("go back")
    assert (chat.step, chat.texts) == ("menu", [SAY["ask_kind"]])


def test_go_back_button_is_offered_after_the_first_step():
    assert "nav:go_back" in chat_at("topic").button_values
    assert "nav:go_back" not in Chat().button_values


# --- changing the summary ------------------------------------------------------------------------


def test_change_something_returns_to_the_summary():
    chat = chat_at("confirm").press("confirm:change")
    assert chat.step == "change"
    chat.press("change:topic").press("topic:health")
    assert chat.step == "confirm"
    assert "About: Health" in chat.texts[0]
    chat.press("confirm:change").press("change:identity").press("identity:name").say("Jo")
    chat.press("contact:worker").say("Sam Okafor")
    assert chat.step == "confirm"
    chat.press("confirm:send")
    assert (chat.submission.topic, chat.submission.name, chat.submission.contact_value) == (
        "health",
        "Jo",
        "Sam Okafor",
    )


def test_typed_yes_sends_from_the_summary():
    chat = chat_at("confirm").say("yes")
    assert chat.submission is not None


def test_route_can_be_typed():
    chat = chat_at("route").say("i want to make a formal complaint")
    assert chat.state["data"]["route"] == "formal"


# --- after sending -------------------------------------------------------------------------------


def test_submitted_gives_reference_code_and_dated_promise():
    chat = chat_at("confirm").press("confirm:send")
    turn = ENGINE.submitted(
        chat.state,
        "VOS-2026-000042",
        "ABCD-EFGH",
        Promise(date(2026, 12, 7), acknowledge_date=date(2026, 11, 26), extended_date=date(2026, 12, 21)),
    )
    texts = [r.text for r in turn.replies]
    assert "VOS-2026-000042" in texts[0] and "ABCD-EFGH" in texts[0]
    assert "Thursday 26 November" in texts[1] and "Monday 7 December" in texts[1]
    assert "Monday 21 December" in texts[1]
    assert turn.state["step"] == "done"
    after = ENGINE.handle(turn.state, text="hello?")
    assert [r.text for r in after.replies] == [SAY["after_saved"]]


# --- the bot's words and the classifier ----------------------------------------------------------


def test_every_bot_line_uses_the_words_young_people_chose():
    checker = load_glossary(bundled_glossary_files()).checker()
    lines = TEXTS.all_lines() + [i.answer for i in CLASSIFIER.intent_set.intents if i.answer]
    problems = {line: [f.text for f in checker.check(line)] for line in lines if checker.check(line)}
    assert problems == {}
    assert len(lines) > 80


def test_kinds_generalise_to_messages_written_by_another_hand():
    # The calibration set (benchmarks/data/understanding) was written by someone who never saw the
    # training examples; the figures the issue asks for are in `python -m benchmarks understanding`.
    messages = yaml.safe_load(CALIBRATION_KINDS.read_text(encoding="utf-8"))["messages"]
    guesses = [(CLASSIFIER.classify(m["text"]), m) for m in messages]
    right = sum(g.kind == m["kind"] for g, m in guesses)
    confident = [(g, m) for g, m in guesses if g.confidence >= ASK_BELOW]
    confident_wrong = sum(g.intent != m["intent"] for g, m in confident)
    assert len(messages) >= 200
    assert right / len(messages) >= 0.88
    assert confident_wrong / len(confident) <= 0.05


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("my worker is amazing she always helps me", "compliment"),
        ("could there be a gaming club on saturdays", "idea"),
        ("i want to make a complaint about my sw", "complaint"),
        ("who reads what i write", "question"),
        ("what happens after i send it", "question"),
        ("my college bus pass still hasnt come", "concern"),
    ],
)
def test_clear_messages_get_the_right_kind(text, kind):
    result = CLASSIFIER.classify(text)
    assert result.kind == kind
    assert result.confident(ASK_BELOW)


def test_the_chat_asks_who_is_writing_and_offers_an_advocate_to_the_child():
    parent = Chat()
    parent.press("kind:wrong").say("my son's review keeps being cancelled").press("topic:other")
    parent.press("identity:anonymous").press("route:formal")
    assert parent.step == "writer" and "Who is writing?" in parent.texts[0]
    parent.say("I'm his mum")
    assert parent.step == "advocate"
    assert "The young person can have an advocate" in parent.texts[0]
    parent.press("advocate:yes")
    assert "Written by: A parent" in parent.texts[0]
    parent.press("confirm:send")
    assert (parent.submission.writer, parent.submission.advocate_requested) == ("parent", True)

    advocate = Chat()
    advocate.press("kind:wrong").say("her family time was cancelled without warning").press("topic:other")
    advocate.press("identity:anonymous").press("route:quick").press("writer:advocate")
    assert advocate.step == "confirm"  # an advocate is not offered an advocate
    advocate.press("confirm:send")
    assert (advocate.submission.writer, advocate.submission.advocate_requested) == ("advocate", None)


def test_someone_writing_for_a_child_is_not_asked_again_who_is_writing():
    chat = Chat()
    chat.say("im writing this for my grandson, im his nan")
    assert chat.state["data"]["writer"] == "parent"
    assert "grandson" in chat.state["data"]["notes"]["writer"]
    chat.press("kind:wrong").say("his family time keeps getting cancelled").press("topic:family")
    chat.press("identity:anonymous").press("route:formal")
    assert chat.step == "advocate"  # an advocate is offered for the child; who is writing is known


def test_the_advocate_promise_names_the_day_the_advocacy_referral_is_tracked_against():
    chat = Chat().press("kind:wrong").say("my family time got cancelled").press("topic:family")
    chat.press("identity:anonymous").press("route:formal").press("writer:self").press("advocate:yes")
    chat.press("confirm:send")
    promise = Promise(date(2026, 12, 7), advocate_date=date(2026, 11, 30))
    turn = ENGINE.submitted(chat.state, "VOS-2026-000042", "ABCD-EFGH", promise)
    said = [r.text for r in turn.replies]
    assert "We will ask an advocate to get in touch with you by Monday 30 November." in said


@pytest.mark.parametrize("step", ["details", "topic", "identity", "name", "route", "advocate", "change"])
def test_every_step_offers_cancel_and_go_back(step):
    chat = chat_at(step) if step != "change" else chat_at("confirm").press("confirm:change")
    assert "nav:cancel" in chat.button_values
    assert "nav:go_back" in chat.button_values
    if step == "change":
        assert chat.press("nav:go_back").step == "confirm"


def test_after_two_misses_the_choices_and_the_way_out_stay():
    chat = chat_at("topic").say("hmm").say("hmmm")
    assert chat.texts == [SAY["free_text"]]
    assert {"nav:cancel", "nav:go_back"} <= set(chat.button_values)
    first = Chat().say("asdf").say("qwer")
    assert "kind:good" in first.button_values and "nav:help_now" in first.button_values


def test_i_dont_know_is_never_sent_as_the_feedback():
    chat = Chat().say("asdf").say("qwer").say("idk")
    assert chat.step == "menu"
    assert chat.texts[0] == SAY["dont_know"]
    assert "kind:wrong" in chat.button_values


@pytest.mark.parametrize(
    ("emoji", "feeling"),
    [
        ("😢", "sad"),
        ("😭😭😭", "sad"),
        ("😡", "angry"),
        ("😨", "scared"),
        ("😢😱", "scared"),
        ("👍🏽", "happy"),
    ],
)
def test_faces_are_understood_and_lead_to_a_kind_question(emoji, feeling):
    chat = Chat().say(emoji)
    assert chat.texts == [SAY[f"feeling_{feeling}"]]
    assert "kind:wrong" in chat.button_values and "nav:help_now" in chat.button_values
    chat.press("kind:wrong").say("nobody listens to me at my house")
    assert chat.step == "topic"


def test_a_compliment_may_say_who_to_thank_from_the_summary():
    chat = (
        Chat().press("kind:good").say("the trip was great").press("topic:other").press("identity:anonymous")
    )
    assert chat.step == "confirm" and "confirm:thanks" in chat.button_values
    chat.press("confirm:thanks")
    assert chat.texts == [SAY["ask_thanks"]]
    chat.say("  Sam   from the   participation team ")
    assert chat.step == "confirm"
    assert "Thanks to: Sam from the participation team" in chat.texts[0]
    chat.press("confirm:send")
    assert chat.submission.thanked == "Sam from the participation team"


def test_only_compliments_are_offered_a_thank_you():
    chat = Chat().press("kind:idea").say("a youth club").press("topic:other").press("identity:anonymous")
    assert chat.step == "confirm" and "confirm:thanks" not in chat.button_values
    chat.press("confirm:send")
    assert chat.submission.thanked is None

"""The risk detector and the chat's safeguarding path (pure: no database, no Slack)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from feedbackbot.core.conversation import ConversationEngine
from feedbackbot.core.safeguarding import RiskDataError, RiskDetector, load_risk_data, parse_risk_data
from feedbackbot.services.config import bundled
from tests.unit.test_conversation import CLASSIFIER, STEPS, TEXTS, Chat, chat_at

DATA = load_risk_data(bundled("intents", "safeguarding.yaml"))
DETECTOR = RiskDetector(DATA)
HOLDOUT = yaml.safe_load((Path(__file__).parent.parent / "data" / "safeguarding_holdout.yaml").read_text())
SAY = TEXTS.messages

# --- every entry in the data file, both ways -----------------------------------------------------

EXAMPLES = [(p.id, p.category, ex) for p in DATA.patterns for ex in p.examples]
TRAPS = [(p.id, t) for p in DATA.patterns for t in p.traps]


@pytest.mark.parametrize(("pattern", "category", "example"), EXAMPLES)
def test_every_example_raises_an_alert_in_its_category(pattern, category, example):
    assert category in DETECTOR.assess(example).categories


@pytest.mark.parametrize(("pattern", "trap"), TRAPS)
def test_every_trap_stays_quiet(pattern, trap):
    assert DETECTOR.assess(trap).matches == ()


def test_every_pattern_has_examples_and_every_category_is_used():
    assert all(p.examples for p in DATA.patterns)
    assert {p.category for p in DATA.patterns} == set(DATA.categories)
    assert set(DATA.categories) >= {
        "harm_to_self",
        "harm_from_others",
        "exploitation",
        "missing",
        "danger",
        "neglect",
    }


# --- how young people write ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("KMS", "harm_to_self"),
        ("i wanna unalive", "harm_to_self"),
        ("been doing sh again", "harm_to_self"),
        ("im gonna kil myslef", "harm_to_self"),
        ("i feel suicidle", "harm_to_self"),
        ("i od'd", "harm_to_self"),
        ("my step dad hits me", "harm_from_others"),
        ("he wont stop touching me", "harm_from_others"),
        ("he never stops hitting me", "harm_from_others"),
        ("im scarred of him", "danger"),
        ("i dont feel safe at home", "danger"),
        ("PLEASE HELP ME!!!", "danger"),
        ("sooooo scared rn", "danger"),
        ("i have to carry stuff for them", "exploitation"),
        ("he wants nudes", "exploitation"),
        ("im gonna run away", "missing"),
        ("theres no food in the house", "neglect"),
    ],
)
def test_text_speak_misspellings_and_no_punctuation(text, category):
    assert category in DETECTOR.assess(text).categories


@pytest.mark.parametrize(
    "text",
    [
        "my feet are killing me",
        "i nearly died laughing",
        "this homework is killing me",
        "i'm dying to see my brother",
        "my mum will kill me if i'm late lol",
        "we watched suicide squad",
        "i'm scared of spiders",
        "i cut my finger cooking",
        "the ball hit me in the face at pe",
        "my dad doesn't hit me",
        "nobody hurts me here",
        "he has never hit me",
        "i feel safe with my carers",
        "keep in touch",
        "my nan gave me money for my birthday",
    ],
)
def test_idioms_and_denials_are_not_disclosures(text):
    assert DETECTOR.assess(text).matches == ()


def test_harm_to_self_is_never_cancelled_by_negation():
    assert DETECTOR.assess("i'm not going to kill myself i promise").categories == ["harm_to_self"]


# --- measured on phrasings the patterns were not tuned on --------------------------------------------


def holdout_figures() -> tuple[float, float, list[str]]:
    disclosures = [(c, m) for c, messages in HOLDOUT["disclosures"].items() for m in messages]
    missed = [m for _, m in disclosures if not DETECTOR.assess(m).flagged]
    false_alarms = [m for m in HOLDOUT["ordinary"] if DETECTOR.assess(m).flagged]
    return 1 - len(missed) / len(disclosures), len(false_alarms) / len(HOLDOUT["ordinary"]), missed


def test_recall_and_false_alarms_on_the_held_out_set():
    recall, false_alarm_rate, missed = holdout_figures()
    assert recall >= 0.9, missed
    assert false_alarm_rate <= 0.25


# --- the data file is checked before it is used ------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["patterns"][0].update(category="nonsense"), "category must be one of"),
        (lambda d: d["patterns"][0].update(examples=[]), "needs examples"),
        (lambda d: d["patterns"][0]["phrases"].append("<nosuchclass> me"), "unknown class"),
        (lambda d: d["patterns"].append(dict(d["patterns"][0])), "defined twice"),
        (lambda d: d.update(negations=[False]), "quote words"),
    ],
)
def test_bad_safeguarding_data_is_refused_with_the_reason(change, message):
    data = yaml.safe_load(bundled("intents", "safeguarding.yaml").read_text())
    change(data)
    with pytest.raises(RiskDataError, match=message):
        parse_risk_data(data)


# --- the chat's safeguarding path, at every step -----------------------------------------------------

ENGINE = ConversationEngine(
    TEXTS,
    CLASSIFIER,
    risk=DETECTOR,
    safe_word="help me",
    duty_phone="0121 000 0001",
    out_of_hours_phone="0121 000 0002",
)


class SafeChat(Chat):
    def _take(self, turn):
        self.disclosure = turn.disclosure
        return super()._take(turn)

    def say(self, text):
        return self._take(ENGINE.handle(self.state, text=text))

    def press(self, value):
        return self._take(ENGINE.handle(self.state, choice=value))


def safe_chat_at(step: str) -> SafeChat:
    chat = chat_at(step)
    safe = SafeChat.__new__(SafeChat)
    safe.state, safe.replies, safe.submission, safe.disclosure = chat.state, chat.replies, None, None
    return safe


def assert_safeguarding_reply(chat: SafeChat) -> None:
    assert chat.step == "safety_check"
    assert chat.texts[0] == SAY["sg_glad"]
    joined = " ".join(chat.texts)
    assert "999" in joined and "Childline" in joined and "0800 1111" in joined
    assert "0121 000 0001" in joined and "0121 000 0002" in joined
    assert chat.texts[-1] == SAY["sg_ask_safe"]
    assert chat.button_values == ["safety:safe", "safety:not_safe"]


@pytest.mark.parametrize("step", STEPS)
def test_a_disclosure_at_any_step_raises_an_alert_at_once(step):
    chat = safe_chat_at(step).say("my step dad hits me when hes drunk")
    assert chat.disclosure is not None
    assert chat.disclosure.categories == ("harm_from_others",)
    assert_safeguarding_reply(chat)


@pytest.mark.parametrize("step", STEPS)
def test_the_help_button_and_the_safe_word_work_at_every_step(step):
    chat = safe_chat_at(step).press("nav:help_now")
    assert chat.disclosure.source == "button"
    assert_safeguarding_reply(chat)
    chat = safe_chat_at(step).say("Help me!")
    assert chat.disclosure.source == "safe_word"
    assert_safeguarding_reply(chat)


@pytest.mark.parametrize("step", STEPS)
def test_after_saying_they_are_safe_they_carry_on_where_they_were(step):
    chat = safe_chat_at(step)
    question = [r.text for r in chat.replies]
    chat.press("nav:help_now").press("safety:safe")
    assert chat.texts == [SAY["sg_safe"], SAY["sg_carry_on"]]
    chat.press("safety:carry_on")
    assert chat.texts[0] == SAY["sg_carried_on"]
    assert chat.step == step
    assert chat.texts[-1] == question[-1]


def test_not_safe_now_is_urgent_and_the_conversation_goes_on():
    chat = SafeChat().say("i'm scared to go home")
    chat.press("safety:not_safe")
    assert chat.disclosure.urgent is True
    assert chat.texts == [SAY["sg_not_safe"], SAY["sg_carry_on"]]
    chat.press("safety:stop")
    assert chat.texts == [SAY["sg_stop_for_now"]]
    assert chat.button_values == ["nav:start_again"]


def test_what_they_said_becomes_their_feedback_when_they_carry_on():
    chat = SafeChat().press("kind:wrong").say("my carer locks me in my room every night")
    assert chat.disclosure is not None
    chat.press("safety:safe").press("safety:carry_on")
    assert chat.step == "topic"
    chat.press("topic:home").press("identity:anonymous").press("route:formal").press("advocate:yes")
    chat.press("confirm:send")
    assert chat.submission.text == "my carer locks me in my room every night"
    assert chat.submission.safeguarding is True


def test_cancelling_after_a_disclosure_says_it_was_still_passed_on():
    chat = SafeChat().say("i want to kill myself").press("safety:safe").say("cancel")
    assert chat.texts == [SAY["cancelled_after_alert"]]
    assert chat.state["safeguarding"]["raised"] is True


def test_an_unclear_answer_is_never_questioned():
    chat = SafeChat().say("he hurts me").say("idk")
    assert chat.texts == [SAY["sg_unclear"], SAY["sg_carry_on"]]


def test_a_new_disclosure_during_the_safety_check_is_passed_on_too():
    chat = SafeChat().say("he hurts me").say("and i have no food")
    assert chat.disclosure.categories == ("neglect",)
    assert chat.texts[0] == SAY["sg_told_again"]

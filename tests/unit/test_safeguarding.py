"""The risk detector and the chat's safeguarding path (pure: no database, no Slack)."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from feedbackbot.core.conversation import ConversationEngine, Promise
from feedbackbot.core.safeguarding import RiskDataError, RiskDetector, load_risk_data, parse_risk_data
from feedbackbot.services.config import bundled
from tests.unit.test_conversation import ASK_BELOW, CLASSIFIER, STEPS, TEXTS, Chat, chat_at

DATA = load_risk_data(bundled("intents", "safeguarding.yaml"))
DETECTOR = RiskDetector(DATA)
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
    ask_below=ASK_BELOW,
    risk=CLASSIFIER,
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
    chat.press("topic:home").press("identity:anonymous").press("route:formal").press("writer:self").press(
        "advocate:yes"
    )
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


# --- three outcomes: alert, check in, nothing --------------------------------------------------------


class ScriptedReader:
    """A risk reader that reads chosen messages as given and everything else as ordinary.

    The engine's state machine is tested apart from the models (which the understanding
    benchmark and tests/unit/test_understanding.py measure); the outcomes are the real types.
    """

    def __init__(self, **outcomes: str) -> None:
        self.outcomes = {k.replace("_", " "): v for k, v in outcomes.items()}
        self.seen: list[tuple[str, list[str]]] = []

    def assess_risk(self, text, earlier=()):
        from feedbackbot.core.understanding import RiskVerdict

        self.seen.append((text, list(earlier)))
        outcome = self.outcomes.get(text, "none")
        return RiskVerdict(outcome, ("harm_from_others",) if outcome != "none" else (), 0.7, "semantic")


def scripted_chat(reader: ScriptedReader) -> SafeChat:
    engine = ConversationEngine(
        TEXTS,
        CLASSIFIER,
        ask_below=ASK_BELOW,
        risk=reader,
        duty_phone="0121 000 0001",
        out_of_hours_phone="0121 000 0002",
    )

    class Scripted(SafeChat):
        def _take(self, turn):
            self.check_in, self.answer = turn.check_in, turn.check_in_answer
            return super()._take(turn)

        def say(self, text):
            return self._take(engine.handle(self.state, text=text))

        def press(self, value):
            return self._take(engine.handle(self.state, choice=value))

    chat = Scripted.__new__(Scripted)
    turn = engine.start()
    chat.state, chat.replies, chat.submission, chat.disclosure = turn.state, turn.replies, None, None
    return chat


def test_a_message_that_might_mean_harm_gets_a_gentle_question_with_help_in_reach():
    chat = scripted_chat(ScriptedReader(he_comes_in_my_room_at_night="check_in"))
    chat.say("he comes in my room at night")
    assert chat.check_in is not None and chat.check_in.text == "he comes in my room at night"
    assert chat.disclosure is None
    assert chat.texts == [SAY["ci_ask"]]
    assert chat.button_values == ["check_in:yes", "check_in:no", "nav:help_now"]


@pytest.mark.parametrize("answer", [("press", "check_in:yes"), ("say", "yes"), ("say", "yeah")])
def test_yes_to_the_check_in_raises_the_alert_with_the_words_that_worried_us(answer):
    chat = scripted_chat(ScriptedReader(he_comes_in_my_room_at_night="check_in"))
    chat.say("he comes in my room at night")
    getattr(chat, answer[0])(answer[1])
    assert chat.disclosure.source == "check_in"
    assert chat.disclosure.text == "he comes in my room at night"
    assert chat.answer == "yes"
    assert_safeguarding_reply(chat)


@pytest.mark.parametrize("unclear", ["idk", "maybe", "why", "cancel", "what do u mean"])
def test_an_unclear_answer_to_the_check_in_raises_the_alert(unclear):
    chat = scripted_chat(ScriptedReader(he_comes_in_my_room_at_night="check_in"))
    chat.say("he comes in my room at night").say(unclear)
    assert chat.disclosure is not None and chat.answer == "unclear"
    assert_safeguarding_reply(chat)


@pytest.mark.parametrize("answer", [("press", "check_in:no"), ("say", "no"), ("say", "no im ok")])
def test_no_to_the_check_in_is_recorded_and_the_chat_carries_on_with_what_they_said(answer):
    chat = scripted_chat(ScriptedReader(my_brother_got_battered_at_footy_and_i_was_gutted="check_in"))
    chat.say("my brother got battered at footy and i was gutted")
    getattr(chat, answer[0])(answer[1])
    assert chat.disclosure is None and chat.answer == "no"
    assert chat.texts[0] == SAY["ci_no"]
    assert chat.step != "check_in"  # the message went on as feedback, read as usual
    assert "safeguarding" not in chat.state


def test_help_now_during_a_check_in_answers_it_and_raises_the_alert():
    chat = scripted_chat(ScriptedReader(he_comes_in_my_room_at_night="check_in"))
    chat.say("he comes in my room at night").press("nav:help_now")
    assert chat.disclosure.source == "button" and chat.answer == "help"
    assert_safeguarding_reply(chat)


def test_after_an_alert_a_worrying_message_is_passed_on_without_asking():
    chat = scripted_chat(ScriptedReader(he_hurts_me="alert", and_he_takes_my_phone="check_in"))
    chat.say("he hurts me").press("safety:safe").press("safety:carry_on")
    chat.say("and he takes my phone")
    assert chat.check_in is None
    assert chat.disclosure is not None and chat.disclosure.text == "and he takes my phone"
    assert_safeguarding_reply(chat)


def test_the_conversation_so_far_is_read_with_each_message_and_forgotten_after_an_alert():
    reader = ScriptedReader(he_hurts_me="alert")
    chat = scripted_chat(reader)
    chat.say("its about my stepdad").say("he hurts me")
    assert reader.seen[-1] == ("he hurts me", ["its about my stepdad"])
    chat.say("no")  # the answer to "are you safe right now?" is read afresh
    assert reader.seen[-1] == ("no", [])


# --- a disclosure is never ordinary feedback ------------------------------------------------------


def test_a_disclosure_is_never_guessed_into_a_compliment():
    chat = SafeChat().say("my step dad hits me when mum is at work")
    assert chat.disclosure is not None
    chat.press("safety:safe").press("safety:carry_on")
    assert chat.texts[-1] == SAY["ask_kind_after_disclosure"]
    assert chat.button_values[:4] == ["kind:good", "kind:idea", "kind:wrong", "kind:question"]
    assert chat.step == "menu"


def test_after_a_disclosure_the_young_person_chooses_the_kind_and_is_never_thanked_for_it():
    chat = SafeChat().say("my step dad hits me when mum is at work")
    chat.press("safety:safe").press("safety:carry_on").press("kind:wrong")
    assert chat.step == "topic"  # their words are kept: no need to write them again
    chat.press("topic:home").press("identity:anonymous").press("route:quick").press("writer:self").press(
        "advocate:no"
    )
    assert "What you said: my step dad hits me when mum is at work" in chat.texts[-2]
    chat.press("confirm:send")
    assert chat.submission.safeguarding is True
    assert chat.submission.text == "my step dad hits me when mum is at work"
    turn = ENGINE.submitted(chat.state, "VOS-2026-000001", "ABCD-EFGH", Promise(date(2026, 12, 7)))
    said = " ".join(r.text for r in turn.replies)
    assert SAY["next_safeguarding"] in said
    assert "thanks" not in said.lower() and "look into it" not in said


def test_free_text_after_a_disclosure_is_not_guessed_either():
    chat = SafeChat().say("my step dad hits me when mum is at work")
    chat.press("safety:safe").press("safety:carry_on").say("my carer is amazing she always listens")
    assert chat.texts[-1] == SAY["ask_kind_after_disclosure"]
    assert chat.step == "menu"

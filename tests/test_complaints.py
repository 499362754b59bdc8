"""Complaint services: every transition and every refusal, with the audit trail checked."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from feedbackbot.core import timekeeping
from feedbackbot.extensions import db
from feedbackbot.models import LoopTask
from feedbackbot.services import complaints as svc
from feedbackbot.services.audit import events_for
from feedbackbot.services.chat import feedback_for_young_person
from feedbackbot.services.config import domain
from feedbackbot.services.errors import Conflict, Forbidden, Invalid
from feedbackbot.services.feedback import record_feedback
from feedbackbot.services.users import create_staff_user

MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def monday():
    timekeeping.freeze(MONDAY)
    yield
    timekeeping.freeze(None)


def at(day: date) -> None:
    timekeeping.freeze(datetime(day.year, day.month, day.day, 10, tzinfo=UTC))


@pytest.fixture
def people(app):
    return {
        "officer": create_staff_user(
            "officer@trust.example", "complaints", "a-long-enough-password", name="Morgan Ellis"
        ),
        "manager": create_staff_user(
            "manager@trust.example", "manager", "a-long-enough-password", name="Jordan Reid"
        ),
        "participation": create_staff_user(
            "pt@trust.example", "participation", "a-long-enough-password", name="Sam Okafor"
        ),
    }


@pytest.fixture
def chat_complaint(app):
    feedback = record_feedback(
        kind="complaint", text="my family time got cancelled twice", channel="web_chat"
    )
    feedback.access_code_hash = __import__("feedbackbot.services.chat", fromlist=["x"]).hash_access_code(
        "ABCD-EFGH"
    )

    db.session.commit()
    return feedback


def opened(people, feedback, procedure="statutory"):
    return svc.open_complaint(
        people["officer"], feedback_reference=feedback.reference, procedure=procedure, relationship="self"
    )


def actions(complaint) -> list[str]:
    return [e.action for e in events_for("complaint", complaint.reference)]


def test_open_acknowledge_and_audit(people, chat_complaint):
    complaint = opened(people, chat_complaint)
    view = svc.case_view(complaint)
    assert (view.current.number, view.current.received, view.current.acknowledge_by) == (
        1,
        date(2026, 11, 23),
        date(2026, 11, 26),
    )
    assert chat_complaint.status == "in_progress"
    at(date(2026, 11, 25))
    view = svc.acknowledge_complaint(people["officer"], complaint)
    assert view.current.acknowledged_on == date(2026, 11, 25) and view.current.acknowledged_in_time is True
    with pytest.raises(Conflict, match="already acknowledged"):
        svc.acknowledge_complaint(people["officer"], complaint)
    trail = events_for("complaint", complaint.reference)
    assert [e.action for e in trail] == [
        "complaint.opened",
        "complaint.acknowledged",
        "complaint.letter_sent",
    ]
    assert trail[1].actor == "Morgan Ellis <officer@trust.example>"
    assert trail[1].after["acknowledged_on"] == "2026-11-25"


def test_only_the_complaints_team_and_managers_work_on_complaints(people, chat_complaint):
    with pytest.raises(Forbidden):
        svc.open_complaint(
            people["participation"],
            feedback_reference=chat_complaint.reference,
            procedure="statutory",
            relationship="self",
        )
    complaint = opened(people, chat_complaint)
    with pytest.raises(Forbidden):
        svc.acknowledge_complaint(people["participation"], complaint)
    svc.acknowledge_complaint(people["manager"], complaint)


def test_a_case_is_opened_once(people, chat_complaint):
    opened(people, chat_complaint)
    with pytest.raises(Conflict, match="already a complaint case"):
        opened(people, chat_complaint)


def test_opening_directly_on_behalf_of_a_child(people, app):
    complaint = svc.open_complaint(
        people["officer"],
        procedure="statutory",
        relationship="parent",
        text="My son's review was cancelled",
        channel="letter",
        received_on=date(2026, 11, 21),
        complainant_name="Pat Doe",
        about_child="Riley Doe",
    )
    view = svc.case_view(complaint)
    assert view.current.received == date(2026, 11, 21)
    assert view.current.clock_start == date(2026, 11, 23)  # received on a Saturday
    assert (complaint.complainant_relationship, complaint.about_child, complaint.feedback.channel) == (
        "parent",
        "Riley Doe",
        "letter",
    )
    with pytest.raises(Invalid, match="say how"):
        svc.open_complaint(
            people["officer"], procedure="statutory", relationship="parent", text="x", channel="fax"
        )
    with pytest.raises(Invalid, match="in the future"):
        svc.open_complaint(
            people["officer"],
            procedure="statutory",
            relationship="parent",
            text="x",
            channel="letter",
            received_on=date(2026, 12, 1),
        )


def test_complaints_about_events_over_a_year_ago_need_a_reason(people, app):
    kwargs = dict(
        procedure="statutory",
        relationship="carer",
        text="About 2024",
        channel="email",
        events_date=date(2025, 6, 1),
    )
    with pytest.raises(Invalid, match="more than 12 months"):
        svc.open_complaint(people["officer"], **kwargs)
    complaint = svc.open_complaint(
        people["officer"], late_reason="The child has only just felt able to say", **kwargs
    )
    assert complaint.late_reason.startswith("The child")


def test_extend_needs_a_reason_and_stops_at_the_limit(people, chat_complaint):
    complaint = opened(people, chat_complaint)
    with pytest.raises(Conflict, match="needs a reason"):
        svc.extend_deadline(people["officer"], complaint, "  ")
    view = svc.extend_deadline(people["officer"], complaint, "An advocate is needed")
    assert view.current.due_by == date(2026, 12, 21) == view.current.extended_respond_by
    with pytest.raises(Conflict, match="already extended to the longest"):
        svc.extend_deadline(people["officer"], complaint, "More time")
    assert actions(complaint)[-2:] == ["complaint.extended", "complaint.letter_sent"]


def test_pause_and_resume_move_the_deadline_by_the_working_days_paused(people, chat_complaint):
    complaint = opened(people, chat_complaint)
    before = svc.case_view(complaint).current.respond_by
    assert before == date(2026, 12, 7)
    with pytest.raises(Conflict, match="only for one of these reasons"):
        svc.pause_clock(people["officer"], complaint, "")
    at(date(2026, 11, 25))
    svc.pause_clock(people["officer"], complaint, "complainant_asked", note="until after the review")
    with pytest.raises(Conflict, match="already paused"):
        svc.pause_clock(people["officer"], complaint, "complainant_asked")
    at(date(2026, 11, 30))  # Wed 25, Thu 26, Fri 27 paused: 3 working days
    view = svc.resume_clock(people["officer"], complaint)
    assert view.current.paused_working_days == 3
    assert view.current.respond_by == date(2026, 12, 10)
    with pytest.raises(Conflict, match="not paused"):
        svc.resume_clock(people["officer"], complaint)


def test_a_pause_spanning_christmas_moves_only_working_days(people, app):
    at(date(2026, 12, 14))
    complaint = svc.open_complaint(
        people["officer"], procedure="statutory", relationship="parent", text="x", channel="phone"
    )
    assert svc.case_view(complaint).current.respond_by == date(2026, 12, 30)
    at(date(2026, 12, 21))
    svc.pause_clock(people["officer"], complaint, "child_protection_enquiry")
    at(date(2027, 1, 4))
    view = svc.resume_clock(people["officer"], complaint)
    assert view.current.paused_working_days == 7  # 21-24 and 29-31 Dec
    assert view.current.respond_by == date(2027, 1, 11)


def test_respond_once_with_an_outcome_and_in_time_recorded(people, chat_complaint):
    complaint = opened(people, chat_complaint)
    with pytest.raises(Conflict, match="upheld, partly upheld or not upheld"):
        svc.respond_to_complaint(people["officer"], complaint, "maybe", "text")
    with pytest.raises(Conflict, match="needs its text"):
        svc.respond_to_complaint(people["officer"], complaint, "upheld", " ")
    at(date(2026, 12, 4))
    view = svc.respond_to_complaint(
        people["officer"], complaint, "partly_upheld", "We are sorry family time was cancelled."
    )
    assert (view.current.outcome, view.current.answered_in_time) == ("partly_upheld", True)
    assert view.current.request_window_closes == date(2027, 1, 6)
    with pytest.raises(Conflict, match="already answered"):
        svc.respond_to_complaint(people["officer"], complaint, "upheld", "again")
    assert chat_complaint.status == "resolved"


def test_a_late_answer_is_recorded_as_late(people, chat_complaint):
    complaint = opened(people, chat_complaint)
    at(date(2026, 12, 9))
    view = svc.respond_to_complaint(people["officer"], complaint, "upheld", "Sorry it took so long.")
    assert view.current.answered_in_time is False


def test_responding_while_paused_resumes_the_clock(people, chat_complaint):
    complaint = opened(people, chat_complaint)
    svc.pause_clock(people["officer"], complaint, "staff_unavailable")
    at(date(2026, 11, 26))
    svc.respond_to_complaint(people["officer"], complaint, "not_upheld", "We looked into it.")
    assert actions(complaint)[-3:] == ["complaint.resumed", "complaint.responded", "complaint.letter_sent"]


def test_escalate_within_the_window_or_with_a_reason(people, chat_complaint):
    complaint = opened(people, chat_complaint)
    with pytest.raises(Conflict, match="has not been answered"):
        svc.escalate_complaint(people["officer"], complaint)
    at(date(2026, 12, 4))
    svc.respond_to_complaint(people["officer"], complaint, "not_upheld", "We found no fault.")
    at(date(2027, 1, 7))  # the window closed on 6 January
    with pytest.raises(Conflict, match="window closed on 06 Jan 2027"):
        svc.escalate_complaint(people["officer"], complaint)
    view = svc.escalate_complaint(people["officer"], complaint, late_reason="Letter was delayed in the post")
    stage2 = view.current
    assert (stage2.number, stage2.received, stage2.respond_by, stage2.extended_respond_by) == (
        2,
        date(2027, 1, 7),
        date(2027, 2, 11),
        date(2027, 4, 12),
    )
    assert stage2.late_request_reason == "Letter was delayed in the post"
    svc.record_statement_agreed(people["officer"], complaint)
    with pytest.raises(Conflict, match="already agreed"):
        svc.record_statement_agreed(people["officer"], complaint)
    assert "complaint.escalated" in actions(complaint)


def test_mediation_is_its_own_step_on_a_stage_2_request(people, chat_complaint):
    complaint = opened(people, chat_complaint)
    svc.respond_to_complaint(people["officer"], complaint, "not_upheld", "No fault found.")
    with pytest.raises(Conflict, match="offered on a Stage 2 request"):
        svc.start_mediation(people["officer"], complaint)
    svc.escalate_complaint(people["officer"], complaint)
    svc.start_mediation(people["officer"], complaint)
    with pytest.raises(Conflict, match="still in progress"):
        svc.respond_to_complaint(people["officer"], complaint, "upheld", "x")
    with pytest.raises(Conflict, match="resolved, not resolved or withdrawn"):
        svc.record_mediation_outcome(people["officer"], complaint, "sort of")
    view = svc.record_mediation_outcome(people["officer"], complaint, "resolved")
    assert view.mediation_outcome == "resolved" and view.closed
    assert actions(complaint)[-4:] == [
        "complaint.escalated",
        "complaint.mediation_started",
        "complaint.mediation_outcome",
        "complaint.closed",
    ]


def test_the_corporate_procedure_has_no_mediation_and_two_stages(people, app):
    complaint = svc.open_complaint(
        people["officer"],
        procedure="corporate",
        relationship="parent",
        text="School transport",
        channel="email",
    )
    svc.respond_to_complaint(people["officer"], complaint, "upheld", "Sorry.")
    with pytest.raises(Conflict, match="no mediation step"):
        svc.start_mediation(people["officer"], complaint)
    svc.escalate_complaint(people["officer"], complaint)
    svc.respond_to_complaint(people["officer"], complaint, "not_upheld", "Stage 2 answer.")
    with pytest.raises(Conflict, match="Ombudsman"):
        svc.escalate_complaint(people["officer"], complaint)


def test_stage_3_panel_then_response(people, chat_complaint):
    complaint = opened(people, chat_complaint)
    svc.respond_to_complaint(people["officer"], complaint, "not_upheld", "Stage 1 answer.")
    svc.escalate_complaint(people["officer"], complaint)
    svc.respond_to_complaint(people["officer"], complaint, "not_upheld", "Stage 2 answer.")
    view = svc.escalate_complaint(people["officer"], complaint)
    assert view.current.number == 3
    assert view.current.panel_by == date(2027, 1, 7)  # 30 working days after the request
    with pytest.raises(Conflict, match="panel meeting and its report"):
        svc.respond_to_complaint(people["officer"], complaint, "upheld", "x")
    with pytest.raises(Conflict, match="panel meeting first"):
        svc.record_panel_report(people["officer"], complaint)
    svc.record_panel_meeting(people["officer"], complaint)
    view = svc.record_panel_report(people["officer"], complaint)
    assert view.current.respond_by == date(2026, 12, 14)  # 15 working days after the report
    svc.respond_to_complaint(
        people["officer"], complaint, "upheld", "The Trust accepts the panel's findings."
    )
    with pytest.raises(Conflict, match="last stage"):
        svc.escalate_complaint(people["officer"], complaint)


def test_close_and_reopen(people, chat_complaint):
    complaint = opened(people, chat_complaint)
    with pytest.raises(Conflict, match="why the complaint is being closed"):
        svc.close_complaint(people["officer"], complaint, "")
    svc.close_complaint(people["officer"], complaint, "Withdrawn by the young person")
    assert complaint.status == "closed" and chat_complaint.status == "closed"
    with pytest.raises(Conflict, match="closed; reopen it first"):
        svc.acknowledge_complaint(people["officer"], complaint)
    svc.reopen_complaint(people["officer"], complaint, "They changed their mind")
    assert complaint.status == "open"
    assert svc.case_view(complaint).open_deadlines()


def test_backdated_and_future_dates(people, chat_complaint):
    complaint = opened(people, chat_complaint)
    with pytest.raises(Conflict, match="in the future"):
        svc.acknowledge_complaint(people["officer"], complaint, date(2026, 12, 1))
    with pytest.raises(Conflict, match="before stage 1 started"):
        svc.acknowledge_complaint(people["officer"], complaint, date(2026, 11, 1))


def test_deadlines_follow_the_configuration_every_time_they_are_read(people, chat_complaint, app):
    complaint = opened(people, chat_complaint)
    assert svc.case_view(complaint).current.respond_by == date(2026, 12, 7)
    domain().calendar = type(domain().calendar)(
        [date(2026, 12, 1), date(2026, 12, 2)]
    )  # two closure days added
    assert svc.case_view(complaint).current.respond_by == date(2026, 12, 9)


def test_assign_lead_and_advocate(people, chat_complaint):
    complaint = opened(people, chat_complaint)
    svc.assign_lead(people["officer"], complaint, people["manager"])
    assert complaint.lead_manager.name == "Jordan Reid"
    with pytest.raises(Conflict, match="accepted, declined"):
        svc.record_advocate_offer(people["officer"], complaint, "perhaps")
    view = svc.record_advocate_offer(people["officer"], complaint, "accepted")
    assert view.advocate_answer == "accepted"
    assert actions(complaint)[-2:] == ["complaint.lead_assigned", "complaint.advocate"]


# --- closing the loop, concerns, learning -----------------------------------------------------------


def test_a_young_persons_complaint_response_gets_a_loop_task_and_they_see_the_reply(
    people, chat_complaint, session
):
    complaint = opened(people, chat_complaint)
    svc.respond_to_complaint(
        people["officer"], complaint, "upheld", "We will make sure family time is not cancelled again."
    )
    [task] = session.scalars(select(LoopTask)).all()
    assert task.due_on == date(2026, 11, 30)
    with pytest.raises(Forbidden):
        svc.close_loop_task(people["officer"], task, "We're sorry.", "web")
    with pytest.raises(svc.WordingFindings) as found:
        svc.close_loop_task(
            people["participation"], task, "Your contact with mum will not be cancelled again.", "web"
        )
    assert [f.text for f in found.value.findings] == ["contact"]
    assert found.value.rewritten == "Your family time with mum will not be cancelled again."
    reply = svc.close_loop_task(
        people["participation"], task, "Your family time with mum will not be cancelled again.", "web"
    )
    assert task.status == "done"
    seen = feedback_for_young_person(chat_complaint.reference, "abcd efgh")
    assert [r.text for r in seen.replies] == [reply.text]
    with pytest.raises(Conflict, match="already done"):
        svc.close_loop_task(people["participation"], task, "again", "web")


def test_sending_as_written_keeps_intended_words_and_strips_keep_markers(people, chat_complaint, session):
    complaint = opened(people, chat_complaint)
    svc.respond_to_complaint(people["officer"], complaint, "upheld", "ok")
    task = session.scalars(select(LoopTask)).one()
    reply = svc.close_loop_task(
        people["participation"],
        task,
        "The court made a [keep]placement order[/keep], so contact stays as it is.",
        "letter",
        send_as_written=True,
    )
    assert reply.text == "The court made a placement order, so contact stays as it is."
    assert events_for("feedback", chat_complaint.reference)[-1].after["glossary_findings_kept"] == 1


def test_a_parents_complaint_gets_no_loop_task(people, app, session):
    complaint = svc.open_complaint(
        people["officer"], procedure="statutory", relationship="parent", text="x", channel="letter"
    )
    svc.respond_to_complaint(people["officer"], complaint, "upheld", "Sorry.")
    assert session.scalars(select(LoopTask)).all() == []


def test_outcomes_for_compliments_ideas_and_informal_concerns(people, app, session):
    compliment = record_feedback(kind="compliment", text="Kez is great", channel="web_chat")
    concern = record_feedback(kind="concern", text="bus pass late", channel="web_chat")
    svc.record_outcome(people["participation"], compliment, "Passed on to Kez and her manager")
    with pytest.raises(Invalid, match="not an informal concern"):
        svc.resolve_concern(people["participation"], compliment, "x")
    svc.resolve_concern(people["participation"], concern, "Bus pass ordered; arrives Friday")
    assert (concern.status, concern.outcome) == ("resolved", "Bus pass ordered; arrives Friday")
    assert len(session.scalars(select(LoopTask)).all()) == 2
    assert events_for("feedback", concern.reference)[-1].action == "concern.resolved"
    with pytest.raises(Invalid, match="say what came of it"):
        svc.record_outcome(people["participation"], compliment, " ")


def test_learning_actions_tracked_to_completion(people, chat_complaint):
    complaint = opened(people, chat_complaint)
    with pytest.raises(Invalid, match="in the past"):
        svc.add_learning_action(
            people["officer"],
            complaint,
            "Tell young people when family time is cancelled",
            people["manager"],
            date(2026, 11, 1),
        )
    item = svc.add_learning_action(
        people["officer"],
        complaint,
        "Tell young people when family time is cancelled",
        people["manager"],
        date(2027, 1, 31),
    )
    with pytest.raises(Forbidden):
        svc.complete_learning_action(people["participation"], item.id, "done")
    with pytest.raises(Invalid, match="what shows"):
        svc.complete_learning_action(people["manager"], item.id, " ")
    svc.complete_learning_action(people["manager"], item.id, "Text message template in use since 1 Dec")
    assert item.done and item.evidence.startswith("Text message")
    with pytest.raises(Conflict):
        svc.complete_learning_action(people["manager"], item.id, "again")
    assert actions(complaint)[-2:] == ["learning_action.added", "learning_action.done"]


def test_safeguarding_text_is_only_for_the_roles_that_need_it(people, app):
    feedback = record_feedback(kind="complaint", text="he hits me", channel="web_chat")
    feedback.safeguarding = True
    assert svc.can_read_text(people["officer"], feedback) is True
    assert svc.can_read_text(people["manager"], feedback) is True
    assert svc.can_read_text(people["participation"], feedback) is False


def test_each_step_is_committed_on_its_own(people, chat_complaint, session):
    complaint = opened(people, chat_complaint)
    svc.acknowledge_complaint(people["officer"], complaint)
    svc.pause_clock(people["officer"], complaint, "staff_unavailable")
    session.rollback()  # nothing was left waiting in the transaction
    session.expire_all()
    assert [e.kind for e in complaint.events] == ["received", "acknowledged", "letter", "paused"]
    assert actions(complaint) == [
        "complaint.opened",
        "complaint.acknowledged",
        "complaint.letter_sent",
        "complaint.paused",
    ]

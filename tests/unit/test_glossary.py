"""The glossary checker itself: pure, fast, no app needed."""

from __future__ import annotations

import pytest

from feedbackbot.core.glossary import GlossaryError
from feedbackbot.core.glossary_data import bundled_glossary_files, load_glossary, parse_glossary_text

GLOSSARY = load_glossary(bundled_glossary_files())
CHECKER = GLOSSARY.checker()


def found(text: str) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(f.text, f.term, f.suggestions) for f in CHECKER.check(text)]


# --- every example in the data file, both ways --------------------------------------------------

FLAG_EXAMPLES = [(e.id, ex) for e in GLOSSARY.entries for ex in e.examples_flag]
KEEP_EXAMPLES = [(e.id, ex) for e in GLOSSARY.entries for ex in e.examples_keep]


@pytest.mark.parametrize(("term", "example"), FLAG_EXAMPLES)
def test_data_example_is_flagged(term, example):
    assert term in [f.term for f in CHECKER.check(example)]


@pytest.mark.parametrize(("term", "example"), KEEP_EXAMPLES)
def test_data_example_is_kept(term, example):
    assert term not in [f.term for f in CHECKER.check(example)]


def test_every_term_has_examples_both_ways_where_it_has_rules():
    for entry in GLOSSARY.entries:
        if entry.keep:
            assert entry.examples_keep, entry.id
            continue
        assert entry.examples_flag, entry.id
        if entry.rules:
            assert entry.examples_keep, entry.id


# --- every term in every form, with case and number kept ---------------------------------------

FORMS = [
    # (text, found text, term, first suggestion)
    ("LAC", "LAC", "lac", "Looked After Children"),
    ("lac", "lac", "lac", "Looked After Children"),
    ("LACs", "LACs", "lac", "Looked After Children"),
    ("the LAC's views", "LAC's", "lac", "Looked After Children's"),
    ("a LAC", "LAC", "lac", "Looked After Child"),
    ("CIC", "CIC", "cic", "Children in Care"),
    ("the CIC's council", "CIC's", "cic", "Children in Care's"),
    ("LAC review", "LAC review", "lac-review", "Young People's Review"),
    ("LAC reviews", "LAC reviews", "lac-review", "Young People's Reviews"),
    ("lac review", "lac review", "lac-review", "Young People's Review"),
    ("LAC REVIEW", "LAC REVIEW", "lac-review", "YOUNG PEOPLE'S REVIEW"),
    ("the LAC review's chair", "LAC review's", "lac-review", "Young People's Review's"),
    ("supervised contact", "contact", "contact", "family time"),
    ("Contact went well", "Contact", "contact", "Family time"),
    ("CONTACT WENT WELL", "CONTACT", "contact", "FAMILY TIME"),
    ("contacts with mum", "contacts", "contact", "family time"),
    ("her foster carer", "foster carer", "foster-carer", "carer"),
    ("Foster Carer", "Foster Carer", "foster-carer", "Carer"),
    ("Foster carers", "Foster carers", "foster-carer", "Carers"),
    ("FOSTER CARERS", "FOSTER CARERS", "foster-carer", "CARERS"),
    ("the foster carer's car", "foster carer's", "foster-carer", "carer's"),
    ("her foster parents", "foster parents", "foster-carer", "carers"),
    ("placement", "placement", "placement", "home"),
    ("Placement", "Placement", "placement", "Home"),
    ("PLACEMENT", "PLACEMENT", "placement", "HOME"),
    ("Placements", "Placements", "placement", "Homes"),
    ("the placement's rules", "placement's", "placement", "home's"),
    ("the placements' rules", "placements'", "placement", "homes'"),
    ("the placement’s rules", "placement’s", "placement", "home’s"),
    ("respite", "respite", "respite", "sleepover"),
    ("Respite care", "Respite care", "respite", "Sleepover"),
    ("RESPITE", "RESPITE", "respite", "SLEEPOVER"),
    ("respites", "respites", "respite", "sleepovers"),
    ("sibling", "sibling", "siblings", "brother or sister"),
    ("Siblings", "Siblings", "siblings", "Brothers and sisters"),
    ("SIBLINGS", "SIBLINGS", "siblings", "BROTHERS AND SISTERS"),
    ("her sibling's room", "sibling's", "siblings", "brother or sister's"),
    ("designated teacher", "designated teacher", "designated-teacher", "teacher"),
    ("Designated Teachers", "Designated Teachers", "designated-teacher", "Teachers"),
    ("DESIGNATED TEACHER", "DESIGNATED TEACHER", "designated-teacher", "TEACHER"),
    ("care plan", "care plan", "care-plan", "future plan"),
    ("Care Plans", "Care Plans", "care-plan", "Future Plans"),
    ("CARE PLAN", "CARE PLAN", "care-plan", "FUTURE PLAN"),
    ("your care plan's goals", "care plan's", "care-plan", "future plan's"),
    ("peers", "peers", "peers", "friends"),
    ("Leaving Care team", "Leaving Care", "leaving-care", "Moving On"),
]


@pytest.mark.parametrize(("text", "found_text", "term", "suggestion"), FORMS)
def test_every_form_is_found_with_case_and_number_kept(text, found_text, term, suggestion):
    findings = CHECKER.check(text)
    assert [(f.text, f.term) for f in findings] == [(found_text, term)]
    assert findings[0].suggestions[0] == suggestion
    assert text[findings[0].start : findings[0].end] == found_text


def test_every_term_with_replacements_is_covered_by_the_forms_table():
    covered = {term for _, _, term, _ in FORMS}
    assert covered == {e.id for e in GLOSSARY.entries if not e.keep}


def test_all_suggestions_are_offered():
    assert found("Her foster carer")[0][2] == ("carer", "parent")
    assert found("your care plan")[0][2] == ("future plan", "journey")


# --- the rules of the field --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Care Leaver",
        "care leavers",
        "CARE LEAVERS",
        "the care leaver's flat",
        "Care leavers’ forum",
        "As a care leaver you can get help with rent.",
    ],
)
def test_care_leaver_is_never_flagged(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "BLACK",
        "black lace",
        "LACE",
        "SLAC",
        "Lacey",
        "CICA",
        "CICS",
        "Cicero",
        "lactose",
        "PLACs",
        "ALAC",
    ],
)
def test_acronyms_inside_other_words_or_acronyms_are_not_flagged(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "contactless",
        "contacted",
        "contacting",
        "recontact",
        "placemented",
        "displacement",
        "replacement",
        "respiteful",
        "siblingship",
        "peerless",
        "peering",
        "non-designated teacherly",
    ],
)
def test_longer_words_that_contain_a_term_are_not_flagged(text):
    assert found(text) == []


def test_longest_match_wins():
    assert found("Your LAC review is on Monday") == [("LAC review", "lac-review", ("Young People's Review",))]
    assert found("LAC reviews and LAC") == [
        ("LAC reviews", "lac-review", ("Young People's Reviews",)),
        ("LAC", "lac", ("Looked After Children",)),
    ]


def test_offsets_are_exact_character_offsets():
    text = "Ça va 🙂 — her placement, then contact with dad 👍 and the LAC review."
    findings = CHECKER.check(text)
    assert [text[f.start : f.end] for f in findings] == ["placement", "contact", "LAC review"]
    assert [f.text for f in findings] == ["placement", "contact", "LAC review"]
    assert findings[0].start == text.index("placement")
    assert findings[0].end == text.index("placement") + len("placement")


def test_multi_word_terms_across_line_breaks_and_hyphens():
    assert found("her foster\ncarer") == [("foster\ncarer", "foster-carer", ("carer", "parent"))]
    assert found("her foster-carer")[0][1] == "foster-carer"
    # word processors' hyphens: U+2010 and the non-breaking U+2011
    assert found("her foster\u2010carer")[0][1] == "foster-carer"
    assert found("Foster\u2011Carers' views")[0][:2] == ("Foster\u2011Carers'", "foster-carer")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # contact: verb and getting-in-touch nouns are not family time
        ("There was no contact from the school.", []),
        ("No contact from police yet.", []),
        ("She made contact with the GP.", []),
        ("He plays contact sports.", []),
        ("She avoids eye contact.", []),
        ("She avoids eye-contact.", []),
        ("Her contact lenses are lost.", []),
        ("Saved in her phone contacts.", []),
        ("Contacts to the front door rose by 10%.", []),
        ("The number of contacts fell.", []),
        ("Please contact me.", []),
        ("Contact me on 07700 900123.", []),
        ("I will contact the school.", []),
        ("to contact", []),
        ("Her contact details changed.", []),
        ("Your point of contact is Sam.", []),
        ("Get in contact with us.", []),
        ("Contact Jo on Friday.", []),
        ("Contact: 0121 569 2000", []),
        ("He is an emergency contact.", []),
        # ...and family time when it is about family
        ("Contact with mum is on Friday.", ["contact"]),
        ("Contact went well.", ["contact"]),
        ("Supervised contact was cancelled.", ["contact"]),
        ("Can contact with Dad be moved?", ["contact"]),
        ("No contact from dad since May.", ["contact"]),
        ("Contact with the family is supervised.", ["contact"]),
        ("She went to contact on Monday.", ["contact"]),
        ("He was late for contact.", ["contact"]),
        ("She will have contact with her nan.", ["contact"]),
        ("contact with her brother's dad", ["contact"]),
        # placement: education, work and the legal order are something else
        ("his work placement", []),
        ("her college placement", []),
        ("a placement order", []),
        ("Placement orders", []),
        ("her foster placement", ["placement"]),
        ("the placement ended", ["placement"]),
        ("product placement in the film", []),
        # respite in its ordinary sense
        ("a respite from the noise", []),
        ("respite at the weekend", ["respite"]),
        # foster carer as a role in recruitment
        ("become a foster carer", []),
        ("foster carer training", []),
        ("your foster carer", ["foster-carer"]),
        # a possessive means particular carers, even before a role word
        ("the foster carers' training", ["foster-carer"]),
        ("the foster carers’ allowance", ["foster-carer"]),
        # CIC: a Community Interest Company is not children in care
        ("Brightside CIC is a community interest company.", []),
        ("Brightside CIC (a Community Interest Company) and the CIC council", []),
        ("Kickstart CIC Ltd runs it.", []),
        ("The CIC council met.", ["cic"]),
        # care plan: an EHCP is a different plan
        ("Education, Health and Care plan", []),
        ("her care plan", ["care-plan"]),
        # peers as part of a role name
        ("peer mentors", []),
        ("her peers", ["peers"]),
    ],
)
def test_context_rules_both_ways(text, expected):
    assert [term for _, term, _ in found(text)] == expected


# --- text the checker must not look inside -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "See https://example.org/placement-policy for details",
        "Policy at www.sandwell.example/contact",
        "Email placement.team@sandwell.example now",
        "Ask <@U123PLACEMENT> and <#C123|placement-team>",
        "Read <https://example.org/lac|the LAC guide>",
        "Run `placement` in the shell",
        "```\nplacement = 1\ncontact = 2\n```",
        "This stays: [keep]placement[/keep].",
        "[KEEP]The placement order and LAC review[/KEEP]",
    ],
)
def test_urls_emails_slack_tokens_code_and_kept_passages_are_skipped(text):
    assert found(text) == []


def test_text_around_a_skipped_passage_is_still_checked():
    text = "The [keep]placement order[/keep] said her placement is stable."
    findings = CHECKER.check(text)
    assert [(f.text, f.start) for f in findings] == [("placement", text.rindex("placement"))]


def test_an_unclosed_keep_marker_keeps_the_rest():
    assert found("Her placement. [keep] The placement order.") == [("placement", "placement", ("home",))]


# --- rewrite -----------------------------------------------------------------------------------


def test_rewrite_applies_first_suggestions_and_nothing_else():
    text = "Placements with foster carers: contact with mum is weekly. Contact me if unsure."
    rewritten = CHECKER.rewrite(text)
    assert rewritten == "Homes with carers: family time with mum is weekly. Contact me if unsure."
    assert CHECKER.check(rewritten) == []


def test_rewrite_of_clean_text_is_identical():
    text = "Nothing to change here, thanks for your help.\n"
    assert CHECKER.rewrite(text) == text


# --- switching terms off and adding the Trust's own --------------------------------------------


def test_a_term_can_be_switched_off():
    checker = load_glossary(bundled_glossary_files(), disabled=["respite"]).checker()
    assert [f.term for f in checker.check("respite and placement")] == ["placement"]


def test_switching_off_an_unknown_term_is_an_error():
    with pytest.raises(GlossaryError, match="unknown glossary term"):
        load_glossary(bundled_glossary_files(), disabled=["nonsense"])


def test_a_trust_adds_its_own_terms_without_code(tmp_path):
    extra = tmp_path / "our-terms.yaml"
    extra.write_text(
        "version: 1\n"
        "terms:\n"
        "  - id: pathway-plan\n"
        "    label: Pathway Plan\n"
        "    forms: {singular: [pathway plan], plural: [pathway plans]}\n"
        "    replacements: [{singular: moving on plan, plural: moving on plans}]\n"
        "    reason: Our care leavers asked for this.\n"
        "    source: Our forum, 2026\n"
        "    context:\n"
        "      - action: skip\n"
        "        before: [<family>]\n"
    )
    checker = load_glossary([*bundled_glossary_files(), extra]).checker()
    findings = checker.check("Your Pathway Plans and her placement")
    assert [(f.text, f.suggestions[0]) for f in findings] == [
        ("Pathway Plans", "Moving On Plans"),
        ("placement", "home"),
    ]
    assert checker.check("mum pathway plan") == []


# --- the loader reports file, line and problem --------------------------------------------------

GOOD_TERM = """\
version: 1
terms:
  - id: widget
    label: Widget
    forms: {singular: [widget]}
    replacements: [gadget]
    reason: Because.
    source: Test.
"""


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("version: 1\nterms:\n  - id: x\n   label: y\n", 4, "not valid YAML"),
        (GOOD_TERM.replace("    reason: Because.\n", ""), 3, "reason: is required"),
        (GOOD_TERM.replace("label: Widget", "labl: Widget"), 3, "unknown key(s): labl"),
        (GOOD_TERM.replace("id: widget", "id: Widget Thing"), 3, "lower-case words"),
        (
            GOOD_TERM.replace("forms: {singular: [widget]}", "forms: {singular: [widget, no]}"),
            5,
            "quote words",
        ),
        (
            GOOD_TERM + "    context:\n      - action: skip\n        before: [<nothing>]\n",
            11,
            "unknown word class",
        ),
        (
            GOOD_TERM + "    context:\n      - action: maybe\n        before: [x]\n",
            10,
            "must be flag or skip",
        ),
        (GOOD_TERM + "    context:\n      - action: skip\n", 10, "needs before and/or after"),
        (
            GOOD_TERM + "    context:\n      - action: skip\n        possessive: maybe\n",
            11,
            "possessive: must be true or false",
        ),
        (GOOD_TERM + "    skip_in_text: no\n", 9, "skip_in_text"),
        (GOOD_TERM.replace("replacements: [gadget]", "replacements: []"), 6, "at least one replacement"),
        ("terms: 3\n", 1, "terms: is required: a list"),
    ],
)
def test_bad_glossary_data_names_line_and_problem(text, line, message):
    with pytest.raises(GlossaryError) as caught:
        parse_glossary_text(text, "terms.yaml")
    assert str(caught.value).startswith(f"terms.yaml:{line}:"), str(caught.value)
    assert message in str(caught.value)


def test_duplicate_ids_and_forms_are_refused(tmp_path):
    first = tmp_path / "a.yaml"
    first.write_text(GOOD_TERM)
    second = tmp_path / "b.yaml"
    second.write_text(GOOD_TERM)
    with pytest.raises(GlossaryError, match="defined twice"):
        load_glossary([first, second])
    second.write_text(GOOD_TERM.replace("id: widget", "id: widget-two"))
    with pytest.raises(GlossaryError, match="already belongs to 'widget'"):
        load_glossary([first, second])

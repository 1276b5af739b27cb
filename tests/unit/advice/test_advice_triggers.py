"""The urgency triggers' words (advice/triggers.py, triggers_care_education.py), read through
triage as a person's text: what each one catches and what it must leave alone."""

from datetime import date

from linkwell.advice.triage import triage

TODAY = date(2026, 12, 4)  # a Friday


def _deadlines(text: str) -> list[tuple[str, date]]:
    return [(d.what, d.date) for d in triage(text, today=TODAY).deadlines]


def test_a_benefit_taken_off_the_person_is_a_decision_to_challenge():
    text = ("my pip got reviewed and they took the daily living off me. the letter is dated "
            "20 November 2026. how long do i have to fight it")
    assert _deadlines(text)[0] == ("Ask for a mandatory reconsideration by", date(2026, 12, 20))


def test_a_migration_notice_is_a_date_to_claim_by_not_a_decision_to_challenge():
    text = ("We have a migration notice dated 20 November 2026. It says our tax credits and "
            "housing benefit will end and we must claim Universal Credit by 18 February 2027.")
    assert [what for what, _ in _deadlines(text)] == ["Claim Universal Credit by"]


def test_a_refusal_by_a_bank_is_no_home_office_refusal():
    text = ("On 20 November 2026 I went to the bank to open an account and the staff asked "
            "where I am from because of my accent, then they refuse and say they cannot help "
            "people like me. I have settled status. Is that discrimination?")
    assert all(what != "Appeal the Home Office refusal by" for what, _ in _deadlines(text))


def test_visits_cut_to_a_number_from_next_month_is_a_care_cut_from_then():
    text = ("My mum needs help to wash and eat and the carers come three times in a day. The "
            "social worker rang and said from next month they will cut it to once a day, "
            "without any new assessment.")
    result = triage(text, today=TODAY)
    assert result.urgent
    assert result.deadlines[0].date == date(2027, 1, 1)


def test_a_job_that_finished_on_a_day_is_dated_from_it_as_a_learner_writes_it():
    text = ("My job in the warehouse finish on 1st October. I work there four years and they "
            "never give me a reason, I think because I ask about holiday pay. What I can do?")
    assert _deadlines(text)[0] == (
        "Start ACAS early conciliation by (employment tribunal time limit)", date(2026, 12, 31))


def test_a_tribunal_claim_already_made_leaves_only_its_hearing():
    result = triage("I was dismissed on 2 October 2026 and I submitted an employment tribunal "
                    "claim last month after early conciliation. The tribunal has listed the "
                    "final hearing for 14 June 2027. How do I prepare?", today=TODAY)
    assert [(d.what, d.date) for d in result.deadlines] == [
        ("Court or tribunal hearing", date(2027, 6, 14))]
    assert not result.urgent


def test_the_claimant_in_a_listed_claim_has_made_the_claim():
    result = triage("I am the claimant in an unfair dismissal claim; I was dismissed on 2 October "
                    "2026. The Employment Tribunal has listed the final hearing for 14 June "
                    "2027.", today=TODAY)
    assert [d.what for d in result.deadlines] == ["Court or tribunal hearing"]


def test_a_hearing_ten_weeks_or_more_away_is_dated_but_not_yet_urgent():
    far = triage("The possession hearing about my rent arrears is listed for 1 March 2027.",
                 today=TODAY)
    assert far.deadlines[0].date == date(2027, 3, 1)
    assert not any(reason.startswith("A court or tribunal hearing")
                   for reason in far.urgent_reasons)
    near = triage("The possession hearing about my rent arrears is listed for 1 February 2027.",
                  today=TODAY)
    assert near.urgent_reasons[0].startswith("A court or tribunal hearing")


def test_a_claim_that_will_be_heard_on_a_day_is_a_hearing_on_it():
    result = triage("I got a claim form and notice from the county court about my rent arrears. "
                    "It says: 'TAKE NOTICE that this claim will be heard on 18.01.27 at 10am.'",
                    today=TODAY)
    assert ("Court or tribunal hearing", date(2027, 1, 18)) in [
        (d.what, d.date) for d in result.deadlines]


def test_a_work_capability_result_in_the_persons_words_is_a_decision_to_challenge():
    for text in ("hi i had a letter from dwp dated 20/11 saying i dont have limited capabilty "
                 "for work any more after my assesment so my uc is going down loads",
                 "I got the decision dated the 20th of November saying I've got no limited "
                 "capability for work, which means I lose about £420 a month",
                 "The DWP wrote about my universal credit work capability thing saying I can do "
                 "work related activity now and they're taking away the LCWRA bit. The letter "
                 "was dated the 20th of November."):
        assert _deadlines(text)[0] == ("Ask for a mandatory reconsideration by",
                                       date(2026, 12, 20)), text


def test_judicial_review_named_as_the_route_runs_from_the_decision_written_anywhere():
    cases = {
        "On 10 October 2026 the council wrote to our client refusing to carry out a needs "
        "assessment. The complaint we lodged has got nowhere. We think the refusal is unlawful "
        "and want to know if a judicial review is possible.": date(2027, 1, 10),
        "they finally wrote on 31 october 2026 saying he doesnt meet the eligibility criteria, "
        "and i complained and got the same answer back in november, and now a friend says the "
        "only route is a judicial review": date(2027, 1, 31),
        "The council decided I can't go on the housing register. Their final decision letter "
        "is dated 19 October 2026 and says there's no further right of review. A friend said "
        "I could take them to court over it. How long have I got?": date(2027, 1, 19),
    }
    for text, day in cases.items():
        assert _deadlines(text)[0] == ("Start a judicial review claim by (at the latest)",
                                       day), text


def test_an_ehc_assessment_refused_in_the_councils_own_sentence_is_dated_from_its_letter():
    for text in ("I requested an Education, Health and Care needs assessment for my daughter, "
                 "who has dyslexia and severe anxiety and has not attended school full-time "
                 "since October. The local authority refused the request in a letter dated "
                 "4 October 2026. I now wish to appeal.",
                 "I asked the council for an EHC needs assessment for my daughter back in June, "
                 "anyway the LA wrote on the 4th of October saying they wouldn't assess because "
                 "the school can meet her needs from its own budget. how long have I got?"):
        assert _deadlines(text)[0] == ("Appeal to the SEND tribunal by", date(2026, 12, 4)), text


def test_court_papers_spelt_as_heard_are_a_claim_to_answer():
    text = ("got cort papers last monday from sum company for an old phone bill i never new "
            "about its 1200 quid wat happens if i just ignore it")
    assert _deadlines(text)[0][1] == date(2026, 12, 14)


def test_an_appeal_in_the_sentence_before_does_not_make_a_date_an_appeal_stage():
    text = ("Two things. 1. I got a parking ticket outside my house, worth appealing?\n2. The "
            "bigger one: back on June 20th the leisure centre banned my son (he has a learning "
            "disability and autism) from the pool. They wouldn't discuss any adjustments. A "
            "friend says there's a six-month time limit for discrimination - when is that?")
    assert _deadlines(text)[0][1] == date(2026, 12, 19)


def test_a_shops_answer_to_a_complaint_dates_no_discrimination():
    text = ("Something happen to me in a clothes shop on 20 June this year. The security man "
            "say to me take off my hijab in front of everyone. I complain to the shop head "
            "office and they answer me only on 20 September, they say sorry but nothing more. "
            "I want to take them to court for discrimination.")
    assert _deadlines(text)[0][1] == date(2026, 12, 19)


def test_a_risk_assessment_not_done_is_no_ehc_assessment_refused():
    text = ("On 20 November 2026 my autistic son's class went on a trip and he was the only "
            "child not permitted to attend; the school declined my offer to attend as a helper. "
            "No risk assessment was carried out. I believe this is disability discrimination.")
    assert all(what != "Appeal to the SEND tribunal by" for what, _ in _deadlines(text))


def test_a_day_given_to_leave_by_is_a_notice_to_leave():
    text = ("My friend is a lodger in a family's house. On Saturday they told her she has to "
            "leave because their daughter is coming back from uni, and they've given her until "
            "Friday. She's got nowhere else to go.")
    assert date(2026, 12, 11) in [day for _, day in _deadlines(text)][:1]


def test_a_young_person_who_cannot_go_back_tonight_is_homeless_today():
    text = ("He's 17 and his mum's new partner put him out last night after a row. He slept on "
            "my sofa. He can't go back there tonight and his mum won't answer her phone.")
    assert _deadlines(text)[0][1] == TODAY


def test_a_claim_form_received_by_post_on_a_day_runs_from_that_day_not_its_own_date():
    text = ("I received a claim form by post on Tuesday 24 November 2026 from a debt purchasing "
            "company claiming £3,842.17 for a credit card. The claim form is dated 19/11/2026. "
            "It says I have 14 days from the date of service to respond.")
    assert _deadlines(text)[0][1] == date(2026, 12, 8)


def test_a_denial_carries_across_or_to_the_next_thing_named():
    for text in ("Going through his post I found reminders about council tax arrears of around "
                 "£640. Nobody has threatened court or bailiffs yet as far as I can see.",
                 "since then my hours have gone down to like 12, nobody's said anything or "
                 "sacked me, I just want to know what my rights are"):
        assert not triage(text, today=TODAY).urgent, text


def test_care_visits_now_fewer_instead_of_more_is_a_care_cut():
    text = ("Mum's carers come twice a day now instead of four times since last week, nobody "
            "asked us. She's bedbound. Can they do that?")
    assert triage(text, today=TODAY).urgent


def test_section_21_named_as_abolished_is_no_notice_served():
    text = ("My landlord mentioned he's thinking of selling the house sometime next year. He "
            "hasn't given us anything in writing. How much notice does he have to give now that "
            "section 21 has gone?")
    assert not triage(text, today=TODAY).urgent


def test_kicked_out_tonight_with_nowhere_to_sleep_is_homeless_today():
    assert _deadlines("boyfriend kicked me out tonight, nowhere to sleep, im in hackney with 2 "
                      "bags. what do i do")[0][1] == TODAY


def test_the_dwp_deciding_an_overpayment_is_a_decision_to_challenge():
    text = ("I receive Carer's Allowance. On 20 November 2026 the DWP decided that I had been "
            "overpaid £4,912 because my earnings exceeded the limit. I dispute the figures.")
    assert _deadlines(text)[0] == ("Ask for a mandatory reconsideration by", date(2026, 12, 20))


def test_a_form_to_send_back_within_a_month_of_its_letter_is_dated():
    text = ("My husband gets PIP and they've sent him the review form. There's a covering letter "
            "dated 3 November saying to send it back within one month.")
    assert date(2026, 12, 3) in [day for _, day in _deadlines(text)]


def test_a_landlord_proposing_to_increase_the_rent_is_no_benefits_tribunal_hearing():
    text = ("I am an assured periodic tenant. On 9 November 2026 I received a formal notice from "
            "my landlord proposing to increase the rent from £1,450 to £1,750 with effect from "
            "1 January 2027. I understand it may be referred to the First-tier Tribunal. I get "
            "universal credit housing element.")
    assert all(what != "Court or tribunal hearing" for what, _ in _deadlines(text))
    assert [day for _, day in _deadlines(text)][:1] in ([date(2026, 12, 31)], [date(2027, 1, 1)])


def test_an_appeal_meant_to_be_heard_is_already_in():
    text = ("My appeal against the refusal of my protection claim was meant to be heard in "
            "November at Taylor House but the judge adjourned it with no date. I still report "
            "to the Home Office every month.")
    assert all(what != "Appeal the Home Office refusal by" for what, _ in _deadlines(text))


def test_a_statutory_demand_is_set_aside_within_18_days_of_service_not_a_hearing():
    text = ("A man handed my mum a document at her door on 20 November, which I've now read. "
            "It's headed 'Statutory Demand' under the Insolvency Act. Mum put it in a drawer "
            "and only showed me on Sunday. Has she missed the boat?")
    assert _deadlines(text)[0] == ("Apply to the court to set aside the statutory demand by",
                                   date(2026, 12, 8))


def test_told_dont_come_back_tonight_is_nowhere_to_stay_tonight():
    text = ("my mates mum kicked me out this morning, ive been on there sofa since march. she "
            "said dont come back tonight. i got nowhere to go il be in the car.")
    assert _deadlines(text)[0][1] == TODAY


def test_employment_terminated_with_effect_from_a_day_is_dated_from_it():
    text = ("By a letter dated 25 September 2026 I was informed that my employment 'will "
            "terminate with effect from 01.10.2026 by reason of redundancy'. I do not believe "
            "the redundancy was genuine.")
    assert _deadlines(text)[0][1] == date(2026, 12, 31)


def test_a_lenders_agents_coming_to_collect_the_car_are_enforcement():
    text = ("I took a logbook loan on my car in January and I've missed two payments. They've "
            "sent a notice of default and a text today saying their agents will collect the "
            "vehicle without further notice. I need the car to get to work.")
    assert triage(text, today=TODAY).urgent


def test_a_tribunal_that_allowed_the_appeal_leaves_no_decision_to_challenge():
    text = ("In November 2026 the First-tier Tribunal allowed my appeal against the refusal of "
            "the limited capability for work element, and I received arrears of £4,900. Do the "
            "arrears count as capital for my Universal Credit?")
    reasons = triage(text, today=date(2027, 1, 20)).urgent_reasons
    assert not any(reason.startswith("A benefit decision") for reason in reasons)


def test_not_wanting_it_to_end_in_an_exclusion_is_no_exclusion():
    text = ("My son is autistic and has had three one-day suspensions since Easter. What can I "
            "do about the suspensions? I don't want this to end in a permanent exclusion.")
    assert not triage(text, today=TODAY).urgent

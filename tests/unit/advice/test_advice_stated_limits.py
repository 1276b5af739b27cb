from datetime import date

import pytest

from linkwell.advice.stated_limits import named_deadline, stated_limit
from linkwell.advice.triage import triage

TODAY = date(2036, 2, 28)


@pytest.mark.parametrize(("text", "ends", "counted_from"), [
    ("I have received a Letter of Claim dated 20 February 2036 which states that I should "
     "respond within 30 days of the date of the letter.", date(2036, 3, 21), date(2036, 2, 20)),
    ("She received a letter dated 26 February 2036 placing her in Band C. It says she can ask "
     "for the decision to be reviewed within 21 days.", date(2036, 3, 18), date(2036, 2, 26)),
    ("got a parking charge yesterday, says £100 or £60 if i pay within 14 days",
     date(2036, 3, 12), date(2036, 2, 27)),
    ("The final response was dated 30 November 2035 and says I may refer the matter to the "
     "Ombudsman within 12 months.", date(2036, 11, 30), date(2035, 11, 30)),
    ("A notice dated 20 February 2036 gives me 28 days to return the form.",
     date(2036, 3, 19), date(2036, 2, 20)),
    # Working days skip weekends and bank holidays (25 and 26 December, 1 January).
    ("By letter dated 18 December 2035 the council refused. You must request a review within "
     "10 working days of the date of this letter.", date(2036, 1, 4), date(2035, 12, 18)),
    # A discount's limit, as a penalty notice states it.
    ("the penalty notice is dated 14th February and says £80 if it's paid within 21 days",
     date(2036, 3, 6), date(2036, 2, 14)),
    ("got a parking ticket on 22/2, says 50% off if paid in 14 days",
     date(2036, 3, 7), date(2036, 2, 22)),
    ("the school fine letter is dated 12th February and says pay £80 in 21 days or it goes up",
     date(2036, 3, 4), date(2036, 2, 12)),
])
def test_a_limit_the_letter_states_is_counted_from_its_date(text, ends, counted_from):
    limit = stated_limit(text, TODAY)
    assert (limit.ends, limit.counted_from) == (ends, counted_from)
    # Whether that date is one the text marks as the letter's ("dated", "by letter dated").
    assert limit.from_marked_date == (" dated " in f" {text} ")


@pytest.mark.parametrize("text", [
    # What happened within a time, not a limit.
    "I bought it on 2 February 2036 and it developed a fault within three weeks.",
    # A limit with no date to count it from.
    "The letter says I can ask for a review within 21 days.",
    # Only a date still ahead.
    "I must reply within 14 days and the hearing is on 20 March 2036.",
])
def test_no_limit_without_something_to_do_and_a_date_gone_by(text):
    assert stated_limit(text, TODAY) is None


def test_triage_shows_the_stated_limit_beside_a_rule_only_from_the_letters_own_date():
    result = triage("got a parking charge yesterday at the retail park, says £100 or £60 if i "
                    "pay within 14 days. should i pay or appeal", today=TODAY)
    assert [d.date for d in result.deadlines] == [date(2036, 3, 12)]
    assert not result.urgent
    # A court claim's own rule comes first: 14 days from the claim form, not the 30 quoted.
    ruled = triage("I got a county court claim form on 20 February 2036 for a credit card "
                   "debt. The letter with it says to reply within 30 days of the date.",
                   today=TODAY)
    assert ruled.deadlines[0].date == date(2036, 3, 5)
    # Counted from the date the letter bears, its own limit stands beside the rule's date and,
    # being sooner, leads: 10 working days from 19 February, before the tribunal's two months.
    dated = triage("The council's letter dated 19 February 2036 refuses an EHC needs assessment "
                   "for my son. It says we must contact the mediation service within 10 working "
                   "days of the date of this letter.", today=TODAY)
    assert [d.date for d in dated.deadlines] == [date(2036, 3, 4), date(2036, 4, 19)]
    # Counted from the day it was opened, the letter's limit is not the rule's to overrule.
    opened = triage("I opened the council's letter refusing an EHC needs assessment for my son "
                    "on 19 February 2036. It says we must contact the mediation service within "
                    "10 working days.", today=TODAY)
    assert [d.date for d in opened.deadlines] == [date(2036, 4, 19)]


@pytest.mark.parametrize(("text", "today", "named"), [
    # A closing date gone by is the date the person missed (its late route is the adviser's).
    ("We moved flat in October and I completely forgot about my son's secondary school "
     "application - I've just realised the deadline was 31 October. Is it too late?",
     date(2030, 12, 23), date(2030, 10, 31)),
    ("i forgot to do the secondary school aplication for my daughter, the closing date was the "
     "31st of october. is it to late", date(2031, 11, 3), date(2031, 10, 31)),
    ("missed the secondary school closing date on 31st oct, can i still apply for september",
     date(2035, 1, 2), date(2034, 10, 31)),
    ("I didn't get my tax return in by 31 January because I couldn't get my receipts together.",
     date(2032, 2, 13), date(2032, 1, 31)),
    # Still ahead: the date a thing has to be done by, not an earlier date also written.
    ("Secondary school offers come out on the 1st of March. The council website says appeals "
     "have to be lodged by 31 March. How do appeals work?", date(2036, 2, 28),
     date(2036, 3, 31)),
    ("got a parking ticket from the council, it says pay £65 if u pay by friday or its £130. "
     "can i appeal", date(2031, 11, 3), date(2031, 11, 7)),
])
def test_a_deadline_the_person_names_is_that_date(text, today, named):
    assert named_deadline(text, today) == named


@pytest.mark.parametrize("text", [
    # "By" a date that is no deadline: when something happened, or will.
    "The landlord said the repairs would be done by Friday but nobody came.",
    "I was paid by the agency on 3 March and nothing since.",
    # A deadline with no day to it.
    "The deadline is soon and I have not filled in the form.",
])
def test_no_named_deadline_without_a_deadline_and_its_day(text):
    assert named_deadline(text, date(2036, 2, 28)) is None


def test_triage_shows_a_named_deadline_before_another_date_written():
    result = triage("Secondary school offers come out on the 1st of March. The council website "
                    "says appeals have to be lodged by 31 March. How do appeals work and what "
                    "are our chances?", today=TODAY)
    assert [d.date for d in result.deadlines] == [date(2036, 3, 31)]
    assert not result.urgent


@pytest.mark.parametrize(("text", "today", "ends"), [
    # The letter's own date, however far back it is written, is where "of the date of the
    # letter" counts from.
    ("I have received a document headed 'Letter of Claim' dated 20 February 2036 from "
     "solicitors acting for a debt purchaser, regarding a loan account on which I believe I "
     "last made a payment in 2029. The letter encloses an information sheet and a reply form "
     "and states that I should respond within 30 days of the date of the letter, failing which "
     "court proceedings may be issued.", date(2036, 2, 28), date(2036, 3, 21)),
    ("Re: Home to school travel assistance. My son, aged 11, has an EHC plan and starts at a "
     "special school in September, 4.5 miles from home. By letter dated 8 July 2030 the council "
     "refused travel assistance on the basis that I 'can reasonably be expected to accompany "
     "him'. I work early shifts and have another child at primary school. The letter states: "
     "'If you wish to request a review of this decision, you must do so within 20 working days "
     "of the date of this letter.'", date(2030, 7, 31), date(2030, 8, 5)),
    # The limit in the person's own words: "I have 30 days to give back the car".
    ("I buy a used car from a dealer in Barking on 10th October, with finance for 4 years. "
     "After one week the gearbox make noise. My friend say I have 30 days to give back the car "
     "and get money back.", date(2031, 11, 3), date(2031, 11, 9)),
])
def test_a_limit_counted_from_the_letter_runs_from_the_date_it_bears(text, today, ends):
    assert stated_limit(text, today).ends == ends


@pytest.mark.parametrize(("text", "today", "ends"), [
    # The letter's own date beats a nearer "this morning" the person mentions.
    ("She has a letter from the DWP dated 28.2.34 saying she has been overpaid Carer's "
     "Allowance. The letter says she can ask for the decision to be reconsidered within one "
     "month. She didn't show it to me until our visit this morning.", date(2034, 3, 30),
     date(2034, 3, 28)),
    # "28 days to say who was driving": any limit given to do something.
    ("got a letter from the police about a speed camera, dated 12th march, says i got 28 days "
     "to say who was driving", date(2037, 3, 26), date(2037, 4, 9)),
])
def test_a_limit_runs_from_the_letters_date_before_another_date_near_it(text, today, ends):
    assert stated_limit(text, today).ends == ends


def test_a_form_wanted_back_by_a_day_is_a_named_deadline():
    assert named_deadline("council says mum has to pay for her carers out of her benefits now "
                          "and wants a financial form back by the 15th, is that allowed?",
                          date(2028, 12, 1)) == date(2028, 12, 15)


@pytest.mark.parametrize(("text", "today", "named"), [
    ("forgot to do the year 7 school application, it closes sunday right?", date(2032, 10, 29),
     date(2032, 10, 31)),
    ("I'm self-employed and my tax return is due today, I owe HMRC about £2,300",
     date(2029, 1, 31), date(2029, 1, 31)),
])
def test_a_day_something_closes_or_is_due_is_a_named_deadline(text, today, named):
    assert named_deadline(text, today) == named

"""Urgency triggers for employment, as data (split from ``triggers.py``, which joins them to
the rest in order): the words that show a dismissal, a wrong at work or a date at work, and the
time limit its date starts.
"""

from linkwell.advice import time_limits as limits
from linkwell.advice.trigger_words import AT_WORK, WORK_SETTING, Trigger, trigger

EMPLOYMENT: tuple[Trigger, ...] = (
    trigger("dismissal", "employment", "Dismissed: the employment tribunal time limit is short",
        # "Can they dismiss me?" asks whether it may happen; "decided to dismiss me" says it did.
        # (A petition, claim or case "dismissed" is a court's order, not the sack.)
        r"\b(?:(?<!petition was )(?<!petition is )(?<!claim was )(?<!case was )(?<!appeal was )"
        r"(?<!petition )(?<!claim )(?<!case )dismiss(?:ed|al)|"
        r"(?<!can they )(?<!could they )(?<!will they )"
        r"(?:dismiss|sack) (?:me|you|him|her|us|them)\b|sacked|sacking|fired|"
        r"(?:got|given|get|had) the sack|"
        # "let me go on holiday" is leave, "let me go on the 14th of August" a dismissal.
        r"let (?:me|him|her|us) go\b(?!\s+(?:on(?!\s+(?:the\s+)?(?:\d|monday|tuesday|wednesday|"
        r"thursday|friday|saturday|sunday))|to|out|home|in|for|with|and|back|outside))|"
        r"(?:been|was|were|got|get|getting|being) let go|let go (?:from|by|of (?:me|him|her|us))|"
        r"lost (?:my|his|her) job|laid off|la(?:id|y) (?:me|him|her|us) off|"
        r"made (?:me |us |him |her )?redundant|"
        r"(?:role|job|post|position) (?:was|is|had been|has been) (?:made )?redundant|"
        r"(?:we|i|he|she|they) (?:were|was|are|am|have been|"
        r"had been|been|are being|am being) (?:\w+ )?redundant|"
        r"push(?:ed)? (?:me |him |her )?out of (?:my|his|her|the) job|"
        r"(?:stopped|stop) going in (?:because|as|cos)|"
        r"constructive\w*|forced (?:me )?(?:out|to resign)|"
        r"had to resign|resigned because|no longer employed|got rid of (?:me|him|her)|"
        r"told (?:me|him|her) not to come back|finished (?:me|him|her) (?:up|off)?|"
        r"gave me the boot|dissmiss\w*|dismised|sakked)",
        limits.EMPLOYMENT_CLAIM, needs=("employment", "discrimination")),
    # A termination is a dismissal only at work ("my membership of a gym was terminated" is a
    # service refused).
    trigger("termination", "employment", "Dismissed: the employment tribunal time limit is short",
        r"\bterminat(?:e|ed|es|ing|ion)\b", limits.EMPLOYMENT_CLAIM,
        needs=("employment", "discrimination"),
        with_words=AT_WORK + r"|contract|employer|notice pay|redundan|dismiss"),
    # Resigning because of how work treated the person ("I handed my notice in because I
    # couldn't take it any more"): a constructive dismissal runs from the last day.
    trigger("resignation", "employment", "Dismissed: the employment tribunal time limit is short",
        r"\b(?:handed (?:in )?(?:my|his|her) notice(?: in)?|resigned|quit (?:my|his|her) job)\b",
        limits.EMPLOYMENT_CLAIM, needs=("employment", "discrimination"), dated_only=True,
        with_words=r"constructive|forced (?:me |him |her )?(?:out|to)|(?:couldnt|could not|"
                   r"cant|cannot) take (?:it|any more)|no choice|bull(?:y|ied|ying)|harass|"
                   r"discriminat"),
    trigger("dismissal_words", "employment",
        "Dismissed: the employment tribunal time limit is short",
        r"\b(?:(?:dont|do not|not to|no need to|(?:dont|do not) need to|(?:dont|do not) have to)"
        r" (?:bother )?(?:to )?(?:come|coming|turn up|return) (?:in |back )?(?:in|back|again|"
        r"any ?more|tomorrow)(?! (?:home|tonight|tonite|2nite)\b)|"
        # "You're finished", "my job was going" (a restructure that ends the person's job);
        # resigning over how one was treated is a dismissal too (constructive).
        r"(?:you|youre|your|you are) finished\b|(?:i|she|he) resigned\b|handed in my resignation|"
        r"told (?:me|him|her) (?:that )?(?:i|he|she) (?:was|were|am|is) finished\b|"
        r"(?:my|his|her|your) (?:role|job|post|position) (?:was|is) (?:going|gone|ending)\b|"
        r"dont need you|(?:is|was|be) (?:your|my|his|her|their) last (?:day|shift)|"
        r"no more work for (?:me|him|her)|i am finish|letting (?:me|him|her|us) go|"
        # On a zero-hours contract, no shifts at all: "they took him off the rota".
        r"(?:took|taken|take|taking) (?:me|him|her|them) off the rota|"
        r"(?:given|giving|gave|get|got) (?:me |him |her )?no (?:more )?shifts at all|"
        # "My role is no longer needed", "he wasn't needed".
        r"(?:wasnt|was not|isnt|is not|werent|were not|no longer|not) needed)",
        limits.EMPLOYMENT_CLAIM,
        with_words=r"work|job|employ|boss|manager|shift|supervisor|company|"
                   r"firm|agency|contract|payroll|hr\b|staff|warehouse|shop|"
                   r"\brole\b|depot"),
    # The end of a fixed-term contract not renewed, or a redundancy taking effect, is a
    # dismissal on the day the job ends: ahead ("my contract ends on 31 March and won't be
    # renewed") or gone by ("it finished on the 24th, they didn't renew it").
    trigger("employment_ends", "employment", "Your job is ending: the employment tribunal "
        "time limit runs from the day it ends",
        # (Not "will terminate": quoted from a letter long after, it dates a dismissal gone by.)
        r"\b(?:(?:contract|employment|job|post|role) (?:ends|will end|is ending|finishes|"
        r"will finish|runs out)|redundant with effect from|"
        # (Not "today is your last day": the manager's words on the day it was said.)
        r"(?:is|will be) (?:my|his|her) last (?:day|shift)|"
        r"(?:my|his|her) last (?:day|shift) (?:is|will be)|"
        r"(?:wont|will not|isnt going to|is not going to) be renewed)\b",
        limits.EMPLOYMENT_ENDS, needs=("employment",), dated_only=True),
    trigger("contract_ended", "employment", "Dismissed: the employment tribunal time limit is "
        "short",
        r"\b(?:(?:contract|fixed.term \w+) (?:ended|finished|came to an end|expired|ran out)|"
        # "My job in the hotel finish on 31st December", as a learner of English writes it.
        r"(?:my|his|her) job (?:\w+ ){0,3}?(?:finish|finished|ended) on|"
        # "They finish my job on 1 October, they say contract end".
        r"(?:they|he|she) (?:finish|finished|end|ended) (?:my|his|her) (?:job|contract) on|"
        r"(?:didnt|did not|wouldnt|would not|wasnt|was not|werent|were not) (?:be )?"
        r"renew(?:ed|ing)?(?: (?:it|my|the|his|her) (?:contract|fixed.term \w+))?)\b",
        limits.EMPLOYMENT_CLAIM, needs=("employment",), dated_only=True),
    trigger("work_discrimination", "employment", "Discrimination at work: the tribunal time limit "
        "is short",
        r"\b(?:discriminat\w*|racis\w*|sexis\w*|harass\w*|because (?:i am|im|i was|of my) "
        r"(?:pregnant|black|disabled|muslim|gay|trans|a woman|age|disability|race|religion)|"
        r"reasonable adjustments?|homophob\w*|transphob\w*)",
        limits.EMPLOYMENT_CLAIM, needs=("discrimination",), on_category=True,
        with_words=WORK_SETTING),
    trigger("service_discrimination", "discrimination", "Discrimination outside work: the county "
        "court time limit is six months",
        r"\b(?:discriminat\w*|racis\w*|because (?:i am|im|i was|of my) (?:black|disabled|muslim|"
        r"gay|trans|a woman|age|disability|race|religion))",
        limits.SERVICES_CLAIM, needs=("discrimination",), on_category=True, dated_only=True,
        without_words=WORK_SETTING),
    trigger("work_harassment", "employment", "Harassment at work: the tribunal time limit is short",
        r"\b(?:sexual(?:ly)? harass\w*|touching me|groping|groped|sexual comments|"
        r"(?:harass\w*|bully\w*) (?:me )?at work)", limits.EMPLOYMENT_CLAIM, needs=("employment",),
        with_words=r"\bwork|job|boss|manager|supervisor|colleague|shift|warehouse|shop|office"),
    trigger("wages_unpaid", "employment", "Wages unpaid and no money to live on",
        r"\b(?:not (?:pay|paid|paying) (?:me|my (?:wages|salary|pay))|"
        r"(?:hasnt|havent|has not|have not|didnt|did not) (?:been )?pa(?:y|id) (?:me|us)\b|"
        r"no (?:wages|salary|pay) for|owes? (?:me|us) (?:\w+ )?(?:weeks?|months?)|"
        r"(?:wages|salary|pay) (?:is |are |has been |have been )?(?:late|unpaid|not paid)\b)",
        with_words=r"no money|cant pay|cannot pay|can not pay|behind|struggl|nothing left|"
                   r"broke|skint|food"),
    trigger("wages_owed", "employment", "Wages unpaid and no money to live on",
        r"\b(?:(?:not|havent|hasnt|have not|has not|never) (?:had|got|been given|received) "
        r"(?:anything|a penny|any (?:pay|wages|money)|paid)|(?:money|pay|wages) (?:is|are) coming)",
        needs=("employment",), with_words=r"no money|cant pay|cannot pay|behind|struggl|"
                                          r"nothing left|borrow\w*|skint|food|arrears"),
    # Wages not paid on a payday: a claim for an unlawful deduction runs from that day. Not
    # urgent of itself (money owed while still at work), but the date is the adviser's.
    trigger("wages_deduction", "employment", "Wages not paid: the tribunal time limit runs from "
        "the payday",
        # The payday itself ("wages that were due on the 31st", "should have been paid on the
        # 13th"); "not paid since November" dates no payday.
        r"\b(?:(?:(?:didnt|did not|hasnt|has not|havent|have not) pa(?:y|id) (?:me |us )?"
        r"(?:my |our )?)?(?:wages|salary|pay) (?:that )?(?:was |were )?due|"
        r"(?:shud|should|shouldve) (?:of |have )?been paid|"
        r"pay ?day (?:was|(?:shud|should|shouldve|would)(?: of| have)? been)|"
        # "The final salary came on 5 July but no holiday pay": the last payday short.
        r"(?:final|last) (?:salary|pay|wages?)(?: payment)?,? (?:come|came|arrived|was paid|"
        r"made)|"
        # "My final pay, including holiday I hadn't taken, was due on ...", "last month's
        # wages - £1,850 that was due on 28 October".
        r"(?:final|last|months) (?:salary|pay|wages?)\b[^.!?;\n]{0,50}? (?:was|were) due\b)",
        limits.WAGES_CLAIM, needs=("employment",), dated_only=True, urgent=False),
    trigger("appeal_meeting", "employment", "An appeal meeting at work is coming up",
        r"\bappeal (?:meeting|hearing) (?:is|will be)\b", limits.APPEAL_MEETING,
        needs=("employment",),
        without_words=r"\bpip\b|universal credit|\besa\b|benefit|sscs",
        dated_only=True, urgent=False),
    trigger("disciplinary_hearing", "employment", "A disciplinary hearing at work is coming up",
        r"\bdisciplinary (?:hearing|meeting)\b", limits.DISCIPLINARY_HEARING,
        needs=("employment",), dated_only=True, urgent=False,
        # Held already, or the dismissal it led to is what the person writes about.
        without_words=r"\bdismiss|\bsacked\b|\bheld\b"),
    trigger("redundancy_consultation", "employment",
        "A redundancy consultation meeting is coming up",
        r"\b(?:consultation|redundancy) meeting", limits.CONSULTATION_MEETING,
        needs=("employment",), dated_only=True),
)

"""Urgency triggers for community care and education, as data (split from ``triggers.py``,
which joins them to the rest): the words that show each urgent situation and the time limit
its date starts.
"""

from linkwell.advice import time_limits as limits
from linkwell.advice.trigger_words import Trigger, trigger

CARE_AND_EDUCATION: tuple[Trigger, ...] = (
    # --- community care ----------------------------------------------------------------------
    trigger("mental_health_detention", "community_care", "Detained under the Mental Health Act: "
        "the tribunal time limit is short",
        # The 14 days are section 2's; section 3 (or 37) may apply in its first six months.
        r"\b(?:section (?:2|two)\b|sectioned|detained under(?! (?:a )?section (?:3|three|37)\b))",
        limits.MENTAL_HEALTH_TRIBUNAL, with_words=r"mental health|hospital|sectioned|psychiatr"),
    # Section 3's first six months hold one application to the tribunal, dated from admission.
    trigger("section_3_detention", "community_care", "Detained under section 3: the first "
        "chance to apply to the tribunal ends six months after admission",
        r"\b(?:on|under|detained under|put on|placed on) (?:a )?section (?:3|three)\b",
        limits.SECTION_3_TRIBUNAL, dated_only=True,
        with_words=r"mental health|hospital|ward\b|psychiatr|tribunal",
        # Applied already: the hearing is the date that matters.
        without_words=r"(?<!havent )(?<!not )\bapplied\b|\bhearing\b|\blisted\b|"
                      r"\btribunal (?:is|will be|was)\b"),
    trigger("discharge", "community_care", "Discharge from hospital without care in place",
        r"\b(?:discharg\w*|sent home from hospital|send(?:ing)? (?:\w+ ){0,2}home|"
        r"let (?:him|her|me) home|coming home from hospital|out of hospital|leave hospital|"
        r"leaving hospital|home from hospital|"
        # "They want her out by the weekend" (said of the ward).
        r"(?:want|wants|wanting|trying to get) (?:her|him|me|them|mum|dad|my \w+) out\b|"
        # Discharged to a home, not their own: "the ward is moving dad into a nursing home".
        r"(?:move|moving|put|putting|send|sending|place|placing) (?:\w+ ){0,2}(?:in|into|to) "
        r"(?:a|the) (?:care|nursing) home|"
        r"(?:go|goes|going|come|comes|coming|be sent|sent|send \w+) home "
        r"(?:on|tomorrow|today|this|next|by|at the weekend|any (?:day|time)|soon))",
        limits.DISCHARGE, with_words=r"hospital|ward\b|discharg"),
    trigger("care_cut", "community_care", "A care package cut",
        r"\b(?:care package|care hours|carers? hours|support hours|personal budget|"
        r"direct payments?|care plan|home care|care visits?|carers visits?|visits|support|"
        r"care|carers?|hours|package)\b.{0,60}?"
        r"\b(?:cut\w*|reduc\w*|stopped|withdrawn|taken away|halved|ended|removed|slashed|"
        r"dropp\w*|lowered|decreas\w*|"
        r"cancelled|went down|gone down|come down|down from|suspend\w*|(?:will|going to) stop|"
        r"stop from|going from|pulled out|"
        r"only (?:come|coming|once|twice|two times|one time|\d+ (?:times?|visits?|hours?))|"
        # "The carers come twice a day now instead of four times".
        r"(?:once|twice|\w+ times) a (?:day|week) (?:now )?instead of)|"
        r"\b(?:cut\w*|reduc\w*|stopped|stopping|withdrawn|halved|slashed|cancelled|suspend\w*)\b"
        r".{0,40}?"
        r"\b(?:care|carers?|support|personal budget|direct payments?|visits|"
        r"(?:dads?|mums?|his|her|their|my husbands|my wifes) hours|"
        r"(?:care|support|one[ -]to[ -]one|1[ -]to[ -]1) hours|hours of (?:care|support))\b|"
        # "From next month only morning visit": the other visits cut.
        r"\bonly (?:a |the |one )?(?:morning|evening|lunch(?:time)?|night|bedtime|tea ?time) "
        r"(?:visits?|calls?)\b|"
        # "They will cut to 2 times only": the visits cut to a number.
        r"\b(?:cut\w*|reduc\w*)(?: (?:it|them|him|her))?(?: down)? to (?:only )?"
        r"(?:\d+|one|two|three|four|once|twice)(?: (?:times?|visits?|calls?|hours?)|\b)",
        limits.CARE_CUT,
        with_words=r"social services|social worker|social care|care package|"
                   r"\bcarers?\b|care plan|personal budget|direct payments?|"
                   r"day centre|one to one|supported living|home care|\bcare\b"),
    trigger("care_review", "community_care", "A review of the care package is coming up",
        r"\b(?:review|reassessment) (?:meeting )?(?:is|will be) (?:on|due)\b|"
        r"\b(?:care|package|support) review (?:meeting )?(?:is|will be)\b",
        limits.CARE_REVIEW, needs=("community_care",), dated_only=True, urgent=False),
    trigger("no_care", "community_care", "Nobody to give the care needed",
        r"\b(?:(?:nobody|no one|no-one) (?:is )?(?:coming|comes|to help|has come)|"
        # "Can't get up" (out of bed, off the floor), not "can't get up the stairs": that is
        # an adaptation at home.
        r"no care (?:in place|at all)|(?:cannot|cant|can not|unable to) (?:get "
        r"(?:out of bed|up(?! (?:the |my |our )?stairs)|to the toilet)|transfer)|"
        r"not eating(?: properly)?|"
        r"(?:agency|carers?|personal assistants?|pas?) (?:has |have )?(?:pulled out|walked out|"
        r"stopped coming|not turned up|left)|needs? help (?:getting up|to get up|with the toilet)|"
        r"(?:lying|lie|lay|lain) on the floor|self[- ]neglect\w*|getting confused|"
        r"(?:found|find|finding) (?:her|him|them|mum|dad|my \w+) on the floor|"
        r"on the floor (?:all (?:the )?night|overnight|for hours)|"
        r"(?:fell|fallen|falls?|falling) (?:\w+ )?(?:twice|again|(?:two|three|four|several|\d+) "
        r"times)|keeps? falling)",
        with_words=r"\bcare\b|carers?\b|social services|social worker|council|agency|"
                   r"assessment|dementia|disab|stroke|wheelchair|\bms\b|elderly|personal "
                   r"assistant"),
    trigger("carer_breakdown", "community_care", "A carer who cannot cope",
        r"(?<!\bhe )(?<!they )(?<!son )\b(?:cant cope|can not cope|cannot cope|not coping|"
        r"unable to cope|struggling to cope|"
        r"breaking point|end of my tether|wits end|breaking down|break down|burn(?:t|ed) out|"
        r"burnout|on my knees|falling apart|exhausted|at breaking|cant do this any ?more|"
        r"cant carry on|"
        r"cant go on(?! (?:the|a|an|her|his|my|their|our|this|that|holiday|trips?)\b)|"
        r"no respite|collapse\w*|cant do it (?:all )?any ?more|"
        r"drowning|(?:no longer|not) able to cope|cannot do (?:it |this )?any ?more|"
        r"cant do (?:it |this )?any ?more|cant keep (?:going|doing this|up)|cannot (?:go on|"
        r"carry on|keep going|continue)|cant continue|at the end of my rope|"
        r"crying all the time|(?:not|never) sleeping|so tired)",
        with_words=r"\bcare|caring|carer|look after|looking after|dementia|disab|alzheimer|"
                   r"autis|social services|social worker"),
    # --- education -------------------------------------------------------------------------
    trigger("permanent_exclusion", "education", "A permanent exclusion",
        r"\b(?:permanent(?:ly)? exclu\w*|perm(?:anent)? ex\w*|expelled|exclude(?:d)? "
        r"(?:him|her|my \w+) (?:permanently|forever|for ever)|excluded for good|"
        r"kicked (?:him|her|my \w+) out of school|permanently excluded|perm\w* exclu\w*|"
        r"perm\w* (?:excul|exlud|exclud)\w*|"  # "permanantly exculded"
        r"exclu\w* (?:\w+ )?perm\w*|"
        # The governors kept it: the next step, an independent review panel, has its own 15
        # school days from their decision.
        r"upheld (?:the |his |her |my \w+ |our \w+ )?exclusion|exclusion (?:was |has been )?upheld|"
        r"independent review panel|"
        # Their decision in other words ("the governors decided on 5 March to keep it").
        r"govern(?:ors?|ing (?:board|body))\b\W+(?:\w+\W+){0,6}?(?:decid\w*|upheld|uphold\w*|"
        r"kept|keep|confirm\w*|agreed)\b)",
        limits.EXCLUSION_REVIEW),
    # The governors' meeting on a permanent exclusion, still ahead: the date to prepare for.
    trigger("governors_meeting", "education", "The governors' meeting about an exclusion",
        # Said as ahead ("is tomorrow", "will be on the 9th"), not one gone to or to help with.
        r"(?:\bgovern(?:ors?|ing (?:board|body))(?: s)? (?:meeting|hearing|panel)|"
        r"\b(?:meeting|hearing|panel) (?:with|of|before) the govern(?:ors?|ing (?:board|body)))\b"
        r"(?:\W+\w+){0,4}?\W+(?:is|will be|on|at|coming)\b",
        limits.GOVERNORS_MEETING, dated_only=True),
    # A school admission appeal heard on a day ahead ("the appeal hearing is on Wednesday").
    trigger("school_appeal_hearing", "education", "A school admission appeal hearing",
        r"\bappeal(?: hearing| panel)?\b(?:\W+\w+){0,3}?\W+(?:is|will be)\b(?: on| at)?",
        limits.HEARING, needs=("education",), dated_only=True,
        with_words=r"admission|school place|in.year|year 7|reception place|secondary school|"
                   r"primary school"),
    trigger("ehcp_refusal", "education", "An EHCP refusal can be appealed",
        r"\b(?:ehcp|ehc plan|ehc needs|ehc assessment|education,? health (?:and|&) care|"
        r"needs assessment|statutory assessment)\b.{0,80}?(?:refus\w*|turned (?:it |this |that |"
        r"(?:the|our|my) request |(?:him|her|us|them) )?down|rejected|"
        r"declin\w*|wont|will not|not to|decided against|said no|no to|"
        # Ending the plan ("ceasing to maintain it") is appealed to the same tribunal.
        r"ceas\w*|(?:stop|end)(?:ping|ing)? (?:it|the plan|her plan|his plan))|"
        # "they won't assess him": the refusal said on its own, with the child's school needs.
        r"\b(?:wont|will not|wouldnt|would not|not to|refus\w* to|declin\w* to|decided not to) "
        r"(?:carry out an? )?assess\b(?! (?:the |my |our |your )?(?:damage|risk|property))|"
        r"(?:refus\w*|turned down|rejected|declin\w*|(?:said|say|says|saying) no(?! point| need)|"
        r"ceas\w*|"
        r"(?:wont|will not|not to|would not|wouldnt) "
        # "Won't do an EHC needs assesment": the abbreviation, and assessment however spelt.
        # "Decided not to proceed with an EHC needs assessment": the council's own wording.
        r"(?:do|carry out|assess|issue|give|agree|proceed))\b.{0,60}?"
        r"(?:ehcp?\b|ehc plan|education,? health (?:and|&) care|(?<!risk )asses\w*)|"
        r"(?:final )?(?:ehcp|ehc plan)\W+(?:\w+\W+){0,16}?(?:names?|named)\b|"
        r"(?:plan|ehcp) (?:was |is |has been )?(?:issued|finalised|finalized)|"
        # "The final Education, Health and Care Plan for our daughter, issued by the local
        # authority on 05/03/2031".
        r"final (?:ehcp|ehc plan|education,? health (?:and|&) care plan)\b[^.!?;\n]{0,60}?"
        r"\bissued\b|"
        # "Won't issue a plan", "issued her final plan": the plan refused, or issued to appeal.
        r"(?:wont|will not|not to|refus\w* to|decided not to) issue (?:a |an |the )?(?:ehc |"
        r"education,? health (?:and|&) care )?plan\b|"
        r"\bissued (?:the |a |an |her |his |their |my \w+s )?final (?:ehcp\b|(?:ehc |education,? "
        r"health (?:and|&) care )?plan\b)|"
        # The council deciding to end a child's plan, however far back the plan was named.
        r"\b(?:decided|decision) to (?:stop|end|cease|close) (?:the |her "
        r"|his |their |my \w+s )?(?:ehc |education,? health (?:and|&) care )?plan\b",
        limits.EHCP_APPEAL,
        needs=("education",)),
    # The request refused in the council's own sentence, the assessment named in another ("I
    # requested an EHC needs assessment ... The local authority refused the request").
    trigger("ehc_request_refused", "education", "An EHCP refusal can be appealed",
        r"\b(?:la|local authority|council)\W+(?:\w+\W+){0,2}?(?:refused|turned down|rejected|"
        r"declined) (?:the|my|our|this|that) request\b",
        limits.EHCP_APPEAL, needs=("education",),
        with_words=r"\behc|education,? health (?:and|&) care|needs assessment|"
                   r"statutory assessment"),
    trigger("informal_exclusion", "education", "Kept out of school without a formal exclusion",
        r"\b(?:until further notice|not to (?:send|bring) (?:\w+ ){0,3}(?:back|in)\b|"
        r"(?:unofficial|informal|illegal) exclu\w*|off[- ]?roll\w*|"
        r"(?:collect|pick) (?:him|her|them|my \w+) (?:up )?(?:\w+ ){0,2}?(?:at|by|before) "
        r"(?:lunch\w*|midday|noon|\d+ ?(?:pm|oclock))|"
        r"(?:part[- ]time|reduced|shortened) timetable|"
        r"sen(?:t|ds) (?:him|her|them|my \w+) home (?:early|every|again|at lunch))",
        with_words=r"school|college|head ?teacher|academy"),
    trigger("no_education", "education", "A child out of education",
        r"\b(?:no (?:education|schooling|tuition)(?: at all)?|"
        r"(?:missing|missed|out of) (?:\w+ )?(?:education|school) (?:for|since)|"
        r"(?:hasnt|has not|havent|have not|not) been (?:in|to|at) school (?:for|since)|"
        r"(?:prosecut\w*|fined?|court) (?:\w+ ){0,4}?"
        r"(?:attendance|not attending|non[- ]attendance)|"
        r"(?:attendance|non[- ]attendance)\W+(?:\w+\W+){0,4}?prosecut\w*|"
        r"prosecute (?:her|him|me|us|them) for)",
        with_words=r"school|college|education|ehcp|pupil"),
    trigger("school_transport", "education", "School transport withdrawn",
        r"\b(?:school )?transport\W+(?:\w+\W+){0,6}?(?:withdrawn|stopped|cut|removed|taken away|"
        r"ended|ending|stop\w*)|(?:withdrawn|stopped|cut|removed|ended) (?:\w+ ){0,4}?(?:school )?"
        r"transport|"
        # Transport the child had, ended in the council's words: "no longer eligible for
        # transport", "now he is not entitled to it" (not a first request refused).
        r"(?:no longer|now (?:\w+ ){0,3}(?:not|isnt)) (?:\w+ )?(?:eligible|entitled|qualif\w+) "
        r"(?:for|to) (?:\w+ )?(?:school )?transport", limits.SCHOOL_TRANSPORT,
        with_words=r"school|college"),
)

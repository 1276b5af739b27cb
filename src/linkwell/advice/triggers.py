"""Urgency triggers as data: the time limits the law attaches to a date, and the words that show
each urgent situation (moved out of ``urgency.py``, which finds them in a text and dates them).
"""

from linkwell.advice import time_limits as limits
from linkwell.advice.trigger_words import (
    DWP_BENEFIT,
    FROM_COURT,
    RENT_INCREASE,
    Trigger,
    trigger,
)
from linkwell.advice.triggers_care_education import CARE_AND_EDUCATION
from linkwell.advice.triggers_employment import EMPLOYMENT

TRIGGERS: tuple[Trigger, ...] = (
    # --- housing ---------------------------------------------------------------------------
    trigger("hearing", "housing", "A court or tribunal hearing",
        r"\b(?:(?<!disciplinary )(?<!grievance )(?<!appeal )(?<!keep )(?<!been )(?<!kept )"
        r"(?:hearing|hearin\b)(?! aid)(?! impair)(?! (?:on|in) the (?:news|radio|tv))"
        r"(?! about| that| from)|court date|listed for|"
        # "A claim form from the county court on 3 March" is when papers came, not a hearing.
        r"(?<!from the )(?<!from the county )court on|court (?:hearing|case)|"
        # "This claim will be heard on 03.07.31", as a notice of hearing puts it; "my appeal
        # is being heard on ...".
        r"(?:(?:will|is to|to) be|being) heard (?:at [^.!?;\n]{0,80}? )?on|"
        # "Her tribunal is wednesday": the day of the hearing.
        r"tribunal (?:is|will be) (?:on )?(?:this |next )?(?:mon|tues|wednes|thurs|fri|satur|"
        r"sun)day|"
        # "it's on the 18th at the county court": a day to be at court.
        r"on (?:the )?\w+(?: \w+)? at (?:the )?(?:county |magistrates |crown |family )?court)\b",
        limits.HEARING),
    trigger("possession_claim", "housing", "Possession proceedings have started",
        r"\b(?:possession (?:order|claim|proceedings)|court papers|claim form|n5b?\b|"
        rf"{FROM_COURT}|court letter|taking (?:me|us) to court|"
        r"taken (?:me|us) to court|gone to court|applied to (?:the )?court)",
        with_words=r"evict|possession|landlord|rent|tenan|flat|house|home|mortgage"),
    trigger("rent_increase", "housing", "A rent increase can be challenged before it starts",
        # The date the new rent starts is the one after "from" ("up by £200 from 1 April").
        rf"{RENT_INCREASE}[^.!?;\n]{{0,80}}?\bfrom\b", limits.RENT_INCREASE_CHALLENGE,
        dated_only=True, urgent=False),
    trigger("eviction_warrant", "housing", "Eviction threatened or under way",
        # A lock change booked for a day ("coming to change the locks on Monday") is the
        # eviction itself.
        r"\b(?:warrant|bailiffs? (?:are )?(?:coming )?to evict|eviction (?:date|notice)|"
        r"(?:coming|come|going|due) to change (?:the |our |my )?locks?|"
        r"(?:will|gonna|are going to) change (?:the |our |my )?locks? on\b|"
        r"evicted|evicting|evict (?:me|us|my|our)|notice of eviction|date of eviction|"
        r"being evicted|be evicted|evict|eviction)\b", limits.EVICTION),
    trigger("notice", "housing", "A notice to leave the home has been served",
        # "He's not renewing and wants us gone by ...": the denial is the landlord's, and
        # it is the notice.
        r"\b(?:(?:not|isnt|wont|will not|not going to) renew(?:ing)?\b|notice to leave|"
        r"given (?:me|us|my \w+) (?:a |his |her |their )?notice|"
        r"served (?:me |us )?(?:with )?(?:a |an )?notice|gave (?:me|us) notice|"
        r"(?:two|2) months notice|(?:get|move|be) out by|leave by|vacate|"
        r"out of the (?:flat|house|property|room) by|"
        r"told (?:me|us|him|her) to (?:leave|go|get out|be out|move out)|"
        # "They've given her until Friday": the day to be out by.
        r"given (?:me|us|him|her|them) (?:\w+ )?(?:until|till|til) (?=\w)|"
        r"(?:give|giving|hand|handing|return|returning) (?:back )?(?:the|our|my) keys\b|"
        r"(?:asked|wants?) (?:me|us) to leave|must leave|i must leave|"
        r"wants? (?:me|us) (?:out|gone)|"
        r"(?:told|tells?|said|says) (?:me|us|i|we)\W+(?:\w+\W+){0,3}?(?:(?:got|have|need) to|"
        r"gotta|must) (?:go|leave|move out|be out)\b|"
        r"(?:ive|i have|weve|we have|i|we) (?:got |need )?to (?:be out|move out|get out)\b|"
        r"(?:must|have to|got to|need to) (?:go |get |move )?out (?:of|by|on)\b|"
        # "I must go out Friday": the day to leave, said without "by".
        r"(?:must|have to|got to|need to) (?:go|get|move) out (?=(?:mon|tues|wednes|thurs|fri|"
        r"satur|sun)day|tomorrow)|"
        r"got to leave|gotta leave|(?:must|have to|need to) go out (?:from|of|when|by|before)\b|"
        r"(?:have|has|need|needs) to (?:leave|be out of) (?:my|our|the|his|"
        r"her|their) (?:\w+s )?(?:place|flat|house|home|room|hostel|accommodation)|"
        r"(?:have|has|need) to leave (?:the \w+ )?(?:by|on|before)\b|"
        r"can (?:go|apply) to (?:the )?court (?:from|after|on)\b)", limits.LEAVE_BY,
        with_words=r"landlord|tenan|flat|house|home|\brent|property|room|council|hostel|hotel|"
                   r"accommodation|letting|\bagent|lodg|evict|\bplace|staying|sofa.?surf|"
                   r"(?:mums?|dads?) (?:new )?partner|step ?(?:dad|mum|father|mother)"),
    trigger("possession_notice", "housing", "A notice to leave the home has been served",
        # ("Now that section 21 has gone": the law, no notice.)
        r"\b(?:section (?:21|8)\b(?! (?:has |have |is |was |being |been |now )*(?:gone|"
        r"abolished|scrapped|banned|ended))|s ?21 notice|s ?8 notice|notice to quit|"
        r"notice (?:of )?seeking possession|eviction notice)\b", limits.LEAVE_BY),
    trigger("homeless", "housing", "Homeless or about to be",
        r"\b(?:homeless(?! (?:hostel|charity|service|project|team|shelter|people|centre|"
        r"outreach|unit|application|officer|duty|register|list))|sleeping rough|sleep rough|"
        r"rough sleep\w*|on the streets|"
        r"(?:sleep\w*|living|live|be|end up|ending up) on the street|"
        r"no ?where (?:else )?to (?:stay|sleep|go|live)|"
        r"(?:got|have|with|left with|be) no ?where(?: else)?(?! (?:with|near|fast|so far))\b|"
        r"(?:have|got|need) to (?:be out|leave|get out) (?:by )?(?:tonight|today)|"
        r"cant (?:stay|sleep) (?:there|here) (?:again )?tonight|"
        r"(?:put|kicked|thrown|chucked) out (?:by|of (?:home|the house))|sofa ?surf\w*|"
        r"sleeping (?:in|on) (?:my|the|a|our) (?:car|floor|sofa|couch|settee)|"
        r"(?:kicked|thrown) (?:me |us |him |her )?out(?! (?:of )?(?:the |my |a )?(?:gym|class|"
        r"club|shop|school|college|course|pub|bar|restaurant|job|group|team|meeting|lesson))|"
        r"(?:dont|do not|dunno) (?:know|no) where (?:to|i can|we can) (?:go|stay|sleep)|"
        r"threw (?:me|us|him|her) out|put (?:me|us|him|her) out|chucked (?:me |us )?out|"
        r"night shelter|no fixed abode|sleeping (?:on|in) (?:the |a )?(?:night )?bus\w*|"
        r"sleeping (?:in|at) (?:a |the )?(?:park|station|tent|stairwell|mosque|church)|"
        r"(?:in|sleep\w* in|living in) (?:the|my|our) car (?:tonight|now)|"
        r"(?:tonight|tomorrow) .{0,30}(?:street|nowhere)|"
        r"cant stay (?:here )?(?:much |any )?longer)"),
    trigger("homelessness_decision", "housing", "A council homelessness decision can be challenged",
        r"\b(?:intention\w* homeless|homeless intention\w*|"
        r"(?:not|isnt|arent|wasnt|no) (?:in )?priority need|(?:not|dont|do not) (?:consider|think|"
        r"accept|believe) (?:\w+ ){1,2}(?:to be )?in priority|"
        r"no local connection|not eligible for (?:help|housing|assistance)|"
        r"(?:council|they) (?:have |has )?(?:decided|said) (?:i|we|im|were|she|he) "
        r"(?:am |are |is )?(?:not|intentional)|(?:refused|declined) to (?:help|house|accept)|"
        # The council ending its duty ("their duty is over", "discharged its duty").
        r"duty (?:to (?:me|us|her|him) )?(?:is|has|was|had)(?: been| now)? (?:over|ended|"
        r"discharged|finished|come to an end)|discharg\w* (?:their|its|the|there|her|his) "
        r"(?:\w+ )?duty|end(?:ed|ing)? (?:their|its|the|there) (?:\w+ )?duty)",
        limits.HOMELESSNESS_REVIEW,
        # "They said I'm not a good fit" at work is no decision on a home.
        with_words=r"homeless|housing|priority|accommodation|hostel|nowhere|council|b ?& ?b|"
                   r"temporary|evict|landlord|flat|house|home"),
    trigger("illegal_eviction", "housing", "Possible illegal eviction",
        r"\b(?:changed the locks?|change(?:d)? (?:the |our |my )?locks?|"
        r"locks? (?:had|have|has|were|was) (?:been |all )?changed|"
        r"locked (?:me|us|him|her) out|"
        r"lock(?:ed)? (?:me|us) out|threw (?:my|our) (?:stuff|things|belongings)|"
        r"(?:put|thrown|threw|left) (?:all )?(?:my|our) (?:stuff|things|belongings) "
        r"(?:outside|out|in the street)|illegal(?:ly)? evict\w*|cut off (?:the )?(?:power|electric|"
        r"gas|water) to (?:get|force)|(?:wont|will not|wouldnt) let (?:me|us) (?:back )?in\b"
        # Kept out of a shop with a guide dog or a wheelchair is access to a service.
        r"(?! with (?:my|a|his|her|our) (?:\w+ )?(?:dog|wheelchair|scooter|pram|buggy|walker|"
        r"frame|carer))|"
        r"(?:stuff|things|belongings) (?:in (?:bin )?bags )?(?:outside|on the street)|"
        r"(?:key|keys) (?:is |are )?(?:not|doesnt|dont|wont|no longer) (?:work|fit|open)\w*)",
        # "Wouldn't let me in" at a shop or a club, in a sentence about that, is no eviction.
        shared_words=True),
    trigger("homeless_tonight", "housing", "Nowhere safe to stay tonight",
        r"\b(?:(?:cant|can not|cannot|not allowed to|wont be able to) (?:stay|come home|come back|"
        r"sleep|go home|go back)\W+(?:\w+\W+){0,4}?(?:tonight|tonite|2nite)|"
        r"(?:after|from|by) (?:tonight|tonite)|"
        r"homeless (?:from |as of )?(?:tonight|tonite|2nite)|"
        r"(?:has|have|had|got|need) to (?:be gone|be out|leave|get out) (?:by )?"
        r"(?:tonight|tonite|2nite)|"
        # "Told him not to come back tonight": put out of home, not dismissed.
        r"(?:not to|dont|do not) come (?:back|home)\W+(?:\w+\W+){0,2}?(?:tonight|tonite|2nite)|"
        # "Boyfriend kicked me out tonight".
        # "What can we push for so he isn't out again tonight": kept from the street tonight.
        r"\bso (?:that )?(?:he|she|they|i|we) (?:isnt|is not|arent|are not|am not|wont be) out "
        r"(?:on the streets? )?(?:again )?(?:tonight|tonite|2nite)|"
        r"(?:kicked|kicking|thrown|throwing|chucked|chucking|put|putting|threw) "
        r"(?:me|us|him|her|them) out (?:\w+ )?(?:tonight|tonite|2nite)|"
        # "Kicked out by my partner tonight".
        r"(?:kicked|thrown|chucked|put) out by (?:my |our |his |her |the )?\w+ "
        r"(?:tonight|tonite|2nite)|"
        r"no ?where (?:safe )?to (?:stay|sleep|go) (?:tonight|tonite)|"
        # "Tonight I have nowhere", "I've got nowhere for tonight".
        r"(?:tonight|tonite|2nite)\W+(?:i|we|he|she|they) (?:have|has|ve|got)(?: got)? "
        r"(?:no ?where|no place)\b|(?:have|has|ve|got)(?: got)? (?:no ?where|no place)"
        r"(?: (?:safe )?to (?:stay|sleep|go))? (?:for )?(?:tonight|tonite|2nite)|"
        r"(?:slept|sleeping|sleep|been) (?:in|on) (?:the|my|our|a|his|her|their) "
        r"(?:car|street|streets|bus|park)\W+(?:\w+\W+){0,10}?(?:tonight|tonite|2nite)|"
        r"where (?:am i|are we|do i|do we|can i|can we|will i|will we|shall i|is (?:he|she)) "
        r"(?:me?a?nt to |suppose?d? to |going to |gonna |to )?(?:sleep|stay|go)\w* "
        r"(?:\w+ )?(?:tonight|tonite|2nite)|"
        r"(?:sleep\w*|stay\w*) (?:\w+ ){0,3}(?:tonight|tonite) .{0,20}(?:street|nowhere|park|"
        r"station|bus))", limits.SOMEWHERE_TONIGHT),
    trigger("young_person_out", "housing", "A young person under 18 put out of home",
        r"\b(?:(?:im|i am|i m|is|aged?|age|turned) 1[4-7]\b|1[4-7] (?:year|yr)s? old)",
        with_words=r"(?:told|tells?|threw|thrown|kicked|chucked|put) (?:me|him|her|them) out|"
                   r"(?:told|tells?) (?:me|him|her) (?:to )?(?:get out|leave)|cant come home|"
                   r"can not come home|cannot come home|bin bags|nowhere to (?:go|stay|sleep)|"
                   r"where to go|cant stay"),
    trigger("repossession", "housing", "The lender is taking action to repossess the home",
        r"\brepossess\w*", limits.REPOSSESSION),
    trigger("judicial_review", "housing", "A decision only judicial review can challenge: the time "
        "limit is short",
        # Asked about ("want to know if a judicial review is possible"), the route is still the
        # one the decision leaves.
        r"\b(?:(?:(?:if|whether) (?:a |an )?)?(?:judicial review|\bjr\b)|no (?:right of )?appeal|"
        r"(?:no|not a) (?:statutory )?review (?:route|process|right)|"
        r"no (?:further )?right (?:of|to) (?:a )?(?:review|appeal)|cannot be appealed|"
        r"cant be appealed|"
        # "Challenge it in the High Court": a council's decision there is judicial review.
        r"(?:challenge|take|bring) (?:it|this|that|the decision|them|the council) "
        r"(?:in|to) the high court)",
        limits.JUDICIAL_REVIEW, with_words=r"judicial review|\bjr\b|high court|right of review",
        names_route=True),
    trigger("asylum_support_ends", "housing", "Asylum support ends after a grant of status",
        r"\b(?:28|twenty eight|twenty-eight) days\b|\bmove ?on period\b", limits.MOVE_ON_PERIOD,
        with_words=r"asylum support|home office (?:support|accommodation|hotel)|refugee status|"
                   r"granted (?:refugee|asylum|leave|status)|move ?on period|"
                   r"asylum (?:hotel|accommodation)|(?:got|get|given) (?:my )?status"),
    # --- debt --------------------------------------------------------------------------------
    trigger("debt_court", "debt", "A court claim about a debt",
        # (An "ET1 claim form" is the person's own tribunal claim.)
        r"\b(?:county court|ccj|court claim|money claim|(?<!et1 )(?<!tribunal )claim form|summons|"
        r"(?:taking|take|took|taken) (?:me|us) to court|cou?rt pape?rs|court letter|court forms?|"
        rf"{FROM_COURT})", limits.COURT_CLAIM_REPLY,
        needs=("debt",), shared_words=True),
    trigger("bailiffs", "debt", "Bailiffs (enforcement agents) are involved",
        r"\b(?:bai?l+i?f+s?|bailiffs?|bail(?:e|i)ffs?|enforcement (?:agents?|officers?)|"
        r"notice of enforcement|high court enforcement|enforcement notice|enforcement "
        r"(?:company|firm)|take control of (?:my |our |the )?goods|"
        r"(?:come|coming) (?:round )?(?:and|to) take (?:\w+ )?(?:goods|car|belongings|things)|"
        # A logbook lender's agents: "their agents will collect the vehicle".
        r"agents? (?:will|are going to|are coming to|coming to) (?:collect|take|seize|recover) "
        r"(?:the |my |our )?(?:car|vehicle|van)|"
        r"(?:marston|equita|bristow|jbw|newlyn|rossendales)\b)", limits.BAILIFF_VISIT),
    trigger("bailiffs_indirect", "debt", "Bailiffs (enforcement agents) are involved",
        r"\b(?:(?:men|man|people|officers?|guys?) (?:from|sent by) the (?:court|council)|"
        r"court (?:men|officers))", limits.BAILIFF_VISIT),
    trigger("disconnection", "debt", "Gas, electricity or water cut off or about to be",
        r"\b(?:disconnect\w*|cut (?:me |us |the \w+ )?off|cut off|(?:meter|metre|key|card)s? "
        r"(?:has |is |have )?(?:run|ran|gone|going) (?:out|dry)|nothing to top (?:it )?up|"
        r"run out of (?:gas|electric\w*|credit)|"
        r"ran out of (?:gas|electric\w*|credit)|(?:meter|metre)s? (?:is |are |has been |been )?"
        r"(?:on|in|onto|into) (?:the )?emerg\w*|(?:gas|electric\w*|power|credit) "
        r"(?:has )?(?:ran|run|gone) out|emerg\w* credit|no (?:gas|electric|electricity|power|"
        r"lights?) (?:at all|since|for|in|left)|emergency credit|self[- ]?disconnect\w*|"
        r"cant (?:afford to )?top (?:it )?up|(?:meter|key|card) (?:has|with) no (?:credit|money|"
        r"gas|electric)|no credit (?:on|left)|no money (?:for|to) (?:the )?(?:meter|top up|gas|"
        r"electric)|(?:got|have|had|with) no (?:gas|electric|electricity|power|heating or)\b|"
        r"(?:gas|electric|electricity|power) (?:has |is )?(?:gone|off)|sitting in the dark)",
        limits.DISCONNECTION,
        with_words=r"\bgas\b|electric|water|power|meter|metre|energy|"
                   r"supplier|heating|lights|credit|octopus|british gas|edf|"
                   r"eon|ovo|thames water"),
    trigger("loan_shark", "debt", "Threats from an illegal lender",
        r"\b(?:loan shark|illegal lender|illegal money ?lend\w*|unlicensed lender|"
        r"do (?:me|us|him|her) in\b|"
        r"(?:hurt|harm|kill|beat|batter|break|smash|stab|burn) "
        r"(?:me|my|us|our|him|her|you|your)\b|"
        r"sort (?:me|us|him|her|you|my \w+|your \w+) out|"
        r"(?:come|coming) (?:after|for) (?:me|us|my)\b|"
        r"knows? where (?:i|we|my \w+|you) (?:live|lives|go|goes)|threaten\w*|or else\b|"
        r"(?:his|their) (?:friends|mates|boys|people) (?:will|gonna|going to) (?:come|visit|find)|"
        r"(?:keeps?|kept|took|taken|has got|holding|has) my (?:passport|bank card|card|id|"
        r"documents)|not (?:from )?a (?:bank|proper (?:company|lender))|"
        r"(?:hes|he is|she is|its) not a proper (?:company|lender|business))",
        with_words=r"borrow|lent|loan|owe|pay (?:him|her|them) back|debt|interest"),
    trigger("insolvency_hearing", "debt", "A bankruptcy or charging-order hearing",
        r"\b(?:bankruptcy (?:petition|hearing)|petition(?:ed)? (?:for|to make) (?:me|us) "
        r"bankrupt|charging order|order for sale)", limits.HEARING),
    trigger("statutory_demand", "debt", "A statutory demand: it can be set aside only quickly",
        r"\bstatutory demand\b", limits.STATUTORY_DEMAND),
    # --- welfare benefits -------------------------------------------------------------------
    trigger("benefit_appeal", "welfare_benefits", "Time to appeal to the benefits tribunal",
        r"\b(?:mandatory reconsideration|reconsideration|\bmr\b|mrn)\b.{0,60}?"
        r"(?:refused|turned down|upheld|rejected|not changed|no change|came back|unchanged|"
        r"keeping|kept|confirm\w*|maintain\w*|uphold\w*|"
        r"(?:wont|will not|did not|didnt|havent|have not|hasnt|has not) change|"
        r"stayed the same|same decision|still(?! waiting| not heard| no)|failed|lost|kept)|"
        r"(?:refused|turned down|rejected|lost|said no|no (?:on|to))\W+(?:\w+\W+){0,3}"
        r"(?:mandatory )?reconsideration|"
        # The notice is the outcome itself: the month to appeal runs from its date.
        r"(?<!waiting for my )(?<!waiting for the )(?<!waiting for a )(?<!waiting on the )"
        r"(?<!waiting on my )(?:mandatory )?reconsideration notice",
        limits.BENEFIT_APPEAL, needs=("welfare_benefits",)),
    # A reconsideration in other words ("asked them to look at it again", "I appealed"),
    # refused again: its notice starts the month to appeal, unless the appeal is already in
    # (then the hearing date matters).
    trigger("reconsideration_refused", "welfare_benefits",
        "Time to appeal to the benefits tribunal",
        r"(?:(?:look(?:ed)?|check(?:ed)?) (?:at )?(?:it |my \w+ |the decision )?again|"
        r"\bappealed\b|\bmy appeal came back\b|\b(?:did|done) (?:my|the|an) appeal\b)\W+"
        r"(?:\w+\W+){0,40}?(?:(?:said|says|say) no again|(?:not|wont|will not|arent|are not|"
        r"werent|didnt|did not) (?:going to )?chang(?:e|ing)\b|"
        r"(?:havent|have not|hasnt|has not|ve not|not) changed\b|same decision|"
        r"(?:refused|rejected|turned (?:it |me )?down) (?:it )?again|(?:saying|with a) no\b)",
        limits.BENEFIT_APPEAL, needs=("welfare_benefits",),
        without_words=r"\b(?:sent|put|lodged|submitted|posted|handed) (?:in |off )?"
                      r"(?:the |my |an )?"
                      r"appeal\b"),
    trigger("tribunal_date", "welfare_benefits", "A benefits tribunal hearing",
        # Taking an employer "to tribunal" is a claim at work, not a benefits hearing.
        r"\b(?:(?<!them to )(?<!him to )(?<!her to )(?<!employer to )(?<!boss to )"
        r"(?<!company to )(?<!employment )tribunal|appeal hearing|listed|(?<!keep )(?<!been )"
        r"(?<!kept )hearing(?! (?:on|in) the (?:news|radio|tv))(?! about| that| from))\b",
        limits.HEARING, needs=("welfare_benefits",), with_words=r"tribunal|appeal|hearing",
        # A rent increase is challenged at the property tribunal, with no hearing date set.
        without_words=RENT_INCREASE, shared_words=True),
    trigger("benefit_decision", "welfare_benefits", "A benefit decision that can be challenged",
        rf"(?:{DWP_BENEFIT}[^.!?;\n]{{0,80}}?\b(?:stopped|refused|turned down|rejected|cut|"
        r"suspended|ended(?! the (?:viewing|call|meeting|conversation|appointment|interview))|"
        r"(?<!the )end(?:ing)?\b(?! of)|decision|decided|decide|points|not entitled|"
        r"disallowed|reduced|reduce|removed|"
        r"going to stop|(?:will|to) be stopped|(?:wont|wouldnt|will not|would not|not going to|"
        r"refus\w* to|will only|would only|only going to) pay|"
        r"(?:taken|taking|takes|took) (?:it |them |the lot |everything )?(?:all )?away|"
        r"found (?:me )?fit|fit for work|fit to work|dropped|"
        r"lower rate|"
        r"no longer|(?:wont|dont|do not) get|(?:get|gets|getting) (?:now )?only|now only|"
        r"turned me down|denied|nil award|(?:took|taken|take) (?:\w+ ){0,3}?off (?:me|him|her|us)|"
        r"zero|downgraded|capped|closed|unfit for work|not fit for work|"
        r"(?:get|gets|getting|got|give me|gave me|awarded(?: me)?) nothing|"
        # A refusal or an award ended in plain words: "PIP said no", "my ESA is finished".
        r"(?:said|says|say|saying) no\b|(?:is|was|has been|got) finish(?:ed)?\b)|"
        r"\b(?:give|gave|given|got|get|awarded) (?:me |him |her )?(?:only )?\d+ points\b|"
        r"\b(?:stopped|refused|turned down|rejected|cut|suspended|disallowed|reduced|removes?|"
        r"(?:taking|takes|took) away|"
        r"denied|scored|not entitled|no longer (?:getting|paid|entitled))\b[^.!?;\n]{0,40}?"
        # ("An appeal against the decision of the Secretary of State ... regarding PIP" is
        # the tribunal's letter, not a decision now.)
        rf"{DWP_BENEFIT}|(?<!against the )\bdecision\b[^.!?;\n]{{0,60}}?{DWP_BENEFIT}|"
        # "A decision by the Department for Work and Pensions dated ... to end my ESA".
        r"\bdecision (?:by|from) (?:the )?(?:department for work and pensions|dwp)\b|"
        # "On 18 January the DWP decided that I had been overpaid".
        r"\b(?:the )?(?:department for work and pensions|dwp) (?:has |have |had )?decided\b|"
        r"\b(?:0|zero|no|nil) points?\b|\bfit for work\b|"
        # The work capability result as people put it: "saying I've got no limited capability",
        # "i dont have limited capabilty", "I can do work related activity now".
        r"\b(?:not to have|to not have|not having|(?:do|does|did) not have|(?:dont|doesnt|didnt) "
        r"have|(?:got |have )?no) limited capab?il\w*|"
        r"\b(?:i|he|she) (?:can|could) do work related activity\b|"
        # Moved down from the work-related activity group: "I'm only limited capability for
        # work so I lose the extra money".
        r"\b(?:only|just) (?:got |get |have |given |put (?:me |him |her )?(?:in|on) )?(?:the )?"
        r"limited capab?il\w* for work\b(?! and)|"
        r"\b(?:taken|taking|take|took) away (?:the |my |his |her )?lcw(?:ra)?\b|"
        # The work capability result in the person's words: "the decision ... that I can work".
        r"\b(?:decision|decided|decide|found|say|says|said)\W+(?:\w+\W+){0,6}?"
        r"(?:i|he|she) (?:can|could|am able to|is able to|was able to) work\b|"
        r"\b(?:decision|refusal) letter\b|\bsanction\w*|\bsantion\w*|\bsancshun\w*|"
        r"\bstop (?:my|our|his|her|the) (?:money|payments?|benefits?|claim))",
        limits.MANDATORY_RECONSIDERATION, needs=("welfare_benefits",),
        # The reconsideration was already asked for: its own month no longer runs.
        without_words=r"(?:asked for|requested|put in|sent|submitted|applied for|done|did|"
                      r"made|waiting (?:on|for)) (?:a |the |my |an )?(?:mandatory )?"
                      r"reconsideration|"
                      # A migration notice ends the old benefits to move the claim to Universal
                      # Credit: a date to claim by, not a decision to challenge. Nor does a
                      # refusal the tribunal has overturned ("allowed my appeal") leave one.
                      r"\bmigration notice|\ballowed (?:my|our|his|her|the) appeal\b|"
                      r"\b(?:won|win) (?:my|our|his|her|the) (?:appeal|tribunal)\b"),
    # The decision challenged in its own sentence, the benefit named in another ("I am on PIP.
    # ... I want to appeal this decision"): dated only by the letter's day.
    trigger("benefit_decision_challenged", "welfare_benefits",
        "A benefit decision that can be challenged",
        r"\b(?:(?:appeal|challenge|disagree with|dispute|fight|contest) (?:this|the|that|their) "
        r"decision|(?:this|the|that|their) decision (?:is|was) wrong)\b",
        limits.MANDATORY_RECONSIDERATION, needs=("welfare_benefits",),
        with_words=DWP_BENEFIT, dated_only=True,
        without_words=r"reconsideration|\bmrn?\b|tribunal|\bsscs"),
    # The letter's own words for the reconsideration ("if you disagree, ask us to look at it
    # again"): the decision is challenged as such however far its words are from the benefit.
    # Urgent only with the letter's date: "ask them to look again" alone may be the council.
    trigger("benefit_look_again", "welfare_benefits", "A benefit decision that can be challenged",
        r"\b(?:ask|asking|request) (?:them|us|the dwp|dwp) (?:to )?(?:look (?:at )?"
        r"(?:it |this |that |the decision |my claim |the claim )?again|reconsider)\b|"
        r"\bask for (?:it|the decision) to be looked at again\b",
        limits.MANDATORY_RECONSIDERATION, needs=("welfare_benefits",),
        without_words=r"(?:asked|requested|rang|phoned|called|wrote) (?:to )?(?:them |the dwp )?"
                      r"(?:to )?(?:look|reconsider)|said no again|same decision|\bappealed\b|"
                      r"(?:asked for|requested|put in|sent|submitted|applied for|done|did|made|"
                      r"waiting (?:on|for)) (?:a |the |my |an )?(?:mandatory )?reconsideration",
        dated_only=True),
    trigger("benefit_move", "welfare_benefits", "A benefit ends and a new claim must be made",
        r"\b(?:claim|move to|apply for|switch to|moved to|migrat\w* to) (?:universal credit|uc)\b"
        r"(?:\W+\w+){0,3}?\W+(?:before|by)\b|migration notice",
        limits.MOVE_TO_UC, needs=("welfare_benefits",), urgent=False),
    trigger("overpayment", "welfare_benefits", "An overpayment decision that can be challenged",
        # The letter and the overpayment in one sentence, however long ("a letter dated ... it
        # say I earn too much in some months ... and they say overpayment").
        r"\b(?:letter|decision|wrote|notice|told)\b[^.!?;\n]{0,200}?(?:overpa\w*|paid too much)|"
        r"(?:overpa\w*|paid too much)\W+(?:\w+\W+){0,12}?(?:letter|decision)",
        limits.MANDATORY_RECONSIDERATION, needs=("welfare_benefits",)),
    trigger("no_income", "welfare_benefits", "Benefits stopped with no income",
        r"\b(?:no money (?:at all|coming in|left)|no income|nothing coming in|not a penny|"
        r"penniless|no money for food|nothing for food|food ?bank|"
        r"(?:nothing|no money|0|zero) (?:left )?in (?:the|my) (?:bank|account)|"
        # "About £11 in my account", "£4 left": a few pounds to live on.
        r"(?:£|\b)\d{1,2}(?: pounds?| quid)? (?:left\b|in (?:the|my) (?:bank|account))|"
        r"cant (?:afford|buy) (?:food|to eat)|"
        r"nothing to eat|not eaten|no food)", needs=("welfare_benefits",)),
)
TRIGGERS = TRIGGERS + EMPLOYMENT + (
    # --- immigration -------------------------------------------------------------------------
    trigger("leave_expiring", "immigration", "Permission to stay is running out",
        r"\b(?:(?:visa|(?<!to )(?<!must )(?<!and )(?<!or )(?<!will )(?<!should )(?<!i )(?<!we )"
        r"leave(?! (?:at|by|before|the|after|school|home|work|college|uni|it|them|now))|"
        r"permission|status|(?:permission|right) to stay|pre-settled status)\W+"
        # No date between: "a visa on 12 March and my leave expires on ..." began then.
        r"(?:(?!\d)\w+\W+|\d+ ?-?year\W+){0,8}?"
        r"(?:expir\w*|runs? out|running out|ends?|ending|finish\w*|is up|will end|"
        r"(?:is |valid )?(?:until|till|up to)\b|valid to\b))", limits.LEAVE_EXPIRY,
        needs=("immigration",)),
    trigger("immigration_refusal", "immigration", "A Home Office refusal: the appeal window is "
        "short",
        r"\b(?:refus\w*|rejected|turned down|denied|refuse|say no|said no|says no)\b"
        # ("He say no rush", "my card says no recourse": no refusal.)
        r"(?! (?:rush|problem|worries|hurry|recourse))"
        # A service refused ("refused to open an account", "to serve me") is no decision on
        # the person's stay.
        r"(?! to (?:open|serve|sell|rent|let (?:\w+ ){0,2}?(?:in|have|put|go|sit|wear|eat|bring)"
        r"\b))",
        limits.IMMIGRATION_APPEAL, needs=("immigration",), shared_words=True,
        # The appeal is already in (lodged, listed, heard): its 14 days no longer run.
        # Nor is a citizenship refusal, which has no appeal (a reconsideration, or judicial
        # review).
        without_words=r"\bvisit(?:or)? visa|tourist visa|visa to visit|"
                      r"\b(?:citizenship|naturali[sz]ation) application\b|"
                      r"\b(?:my|our|his|her|the) appeal (?:\w+ ){0,8}?(?:was|is|has been|got) "
                      r"(?:meant to be |due to be |going to be )?"
                      r"(?:listed|heard|adjourned|lodged|put in)\b|"
                      r"(?<!not )(?<!yet )(?<!havent )(?<!never )\b(?:lodged|put in|submitted|"
                      r"sent (?:in|off)) (?:the |my |an |our )?appeal\b",
        with_words=r"home office|visa|leave|asylum|application|\bapplied\b|settle|citizen|spouse|"
                   r"partner|family route|right of appeal|"
                   r"ilr|indefinite|protection claim|refugee|humanitarian"),
    trigger("curtailment", "immigration", "Permission to stay cut short",
        # The Home Office now calls it cancelling permission ("my permission has been
        # cancelled so that it will expire 60 days from the date of this letter").
        r"\b(?:curtail\w*|cut short|cut to 60 days|shortened|"
        r"(?:permission|leave|visa)\W+(?:to (?:stay|remain)\W+)?"
        r"(?:has been|was|is being) cancell?ed)",
        limits.CURTAILMENT, needs=("immigration",)),
    # The removal itself dates the deadline; being detained (when, where) does not.
    trigger("removal", "immigration", "Removal or detention",
        r"\b(?:removal(?! centre)|remove (?:me|us|him|her)|removed|deport\w*|"
        r"on a plane|flights?\b|flite\b|flown|"
        r"(?:fly|flying) (?:me|us|him|her|them) |send (?:me|us|him|her) back|"
        # "A paper that he will be flying to Albania on Tuesday".
        r"(?:will be|is|are|being) (?:flying|flown|sent back) (?:back )?to\b)", limits.REMOVAL,
        needs=("immigration",)),
    trigger("detention", "immigration", "Removal or detention",
        r"\b(?:detain\w*|detention|reporting centre|removal centre|harmondsworth|colnbrook|"
        r"brook house|yarls wood|tinsley house|derwentside|"
        r"picked (?:\w+ )?up at (?:his|her|my|the) reporting)", needs=("immigration",)),
    trigger("undocumented_destitute", "immigration", "No status and no money",
        r"\b(?:no money(?: at all)?|destitute|penniless|nowhere to (?:live|stay|sleep)|"
        r"staying with (?:different|various) (?:people|friends)|sofa ?surf\w*|no food)",
        needs=("immigration",),
        with_words=r"overstay\w*|no (?:status|papers|leave|visa)\b|undocumented|"
                   r"and (?:i )?stayed|(?:visa|leave) (?:ran out|expired|ended)"),
    trigger("nrpf_destitute", "immigration", "No recourse to public funds and no money",
        r"\b(?:nrpf|no recourse)\b",
        with_words=r"no money|destitute|cant afford|no food|nothing|cant pay|penniless|"
                   r"food ?bank|no income|homeless|nowhere|struggling|skint|broke"),
    trigger("age_dispute", "immigration", "A child treated as an adult after an age dispute",
        r"\b(?:age (?:assess\w*|dispute\w*)|(?:say|says|said|decided|think|thinks) (?:that )?"
        r"(?:i am|im|he is|hes|she is|shes) (?:over 18|an adult|1[89]|2\d)\b|"
        r"treated (?:me |him |her )?as an adult)",
        with_words=r"\b(?:i am|im|he is|hes|she is|shes|says (?:he|she) is|aged?) 1[4-7]\b|"
                   r"\b1[4-7] (?:years? old|yrs?)|child|minor|under 18"),
    # A child who came alone, with no claim made or no papers: the council must look after
    # them and an asylum or immigration claim is needed (separated migrant children).
    trigger("separated_child", "immigration", "A child alone in the UK with no immigration status",
        r"\b(?:(?:came|come|arrived|travelled|got) (?:to (?:the uk|england|london) |here )?"
        r"(?:from \w+ )?(?:on (?:his|her|their) own|alone|by (?:him|her)self|unaccompanied)|"
        r"unaccompanied (?:child|minor|asylum)|separated (?:migrant )?child)",
        needs=("immigration",),
        with_words=r"\b1[0-7]\b|year old|yrs? old|child|boy|girl|minor|under 18",
        without_words=r"\b(?:has|got|granted|given) (?:refugee status|leave to remain|status)\b"),
    # --- other -------------------------------------------------------------------------------
    trigger("criminal_court", "other", "A criminal court date",
        r"\b(?:magistrates?(?:s)? court|crown court|criminal court|charged with|"
        r"(?:court )?summons to (?:the )?magistrates)", limits.HEARING,
        with_words=r"police|charged|offence|caution|arrest|insurance|licence|driving|speeding|"
                   r"summons|prosecut"),
)
# Employment, community care and education have their own tables (triggers_employment.py,
# triggers_care_education.py).
# Not social-welfare law, but a time limit a person still needs: faulty goods, a parking ticket.
CONSUMER: tuple[Trigger, ...] = (
    # Dated by the purchase or the delivery, not by a later visit to the shop.
    trigger("right_to_reject", "other", "Faulty goods can be rejected for a refund for 30 days",
        r"\b(?:bought|purchased|delivered|buy (?:a|an|the|my|it|them)\b)",
        limits.RIGHT_TO_REJECT, needs=("other",),
        with_words=r"\b(?:(?:give|send|take|bring) (?:it|them|the \w+) back|refund|reject\w*|"
                   r"money back|return (?:it|them|the \w+))\b",
        without_words=r"deposit", dated_only=True, urgent=False),
    # A limit the notice states ("28 days to pay or challenge", "£65 if you pay by Friday") is
    # read as stated instead.
    trigger("parking_discount", "other", "A parking ticket's discount period is short",
        r"\b(?:parking (?:ticket|fine|charge|penalty)|pcn|penalty charge notice)\b",
        limits.PARKING_DISCOUNT, needs=("other",), dated_only=True, urgent=False,
        without_words=r"\b(?:\d+|fourteen|twenty[ -]?one|twenty[ -]?eight) days\b|"
                      r"\b(?:pay|paid) (?:it )?by\b"),
)
TRIGGERS = TRIGGERS + CARE_AND_EDUCATION + CONSUMER
BY_ID = {t.id: t for t in TRIGGERS}

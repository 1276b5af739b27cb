"""The regular expressions that find dates in people's words, each naming the handler in
``dates.py`` that resolves it (moved out of ``dates.py``; tried in order, the first match at a
place wins).
"""

import re

from linkwell.advice.calendar_words import MISSPELT_MONTHS

_NUM = r"(\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|" \
       r"a couple of|couple of|a couple|couple|a few|few)"
_UNIT = r"(day|week|wk|fortnight|month|year)s?"
# Short forms that are also English words ("sat", "sun", "wed") are left out.
_WD = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|weds|thurs?|fri|" \
      r"wensday|wendsday)"
_WD_DATED = _WD[:-1] + "|sat|sun|wed)"
_WD_ANY = "(?:" + _WD[1:]  # the same words, not captured
_MON = r"(january|february|march|april|may|june|july|august|september|october|november|" \
       r"december|" + "|".join(MISSPELT_MONTHS) + \
       r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
_ORD = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s*(\d{4}))?"
# A day of the month in words: "fourteenth", "twenty-first", "thirty first".
_ORD_WORD = r"((?:twenty[\s-]+)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|" \
            r"tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|" \
            r"eighteenth|nineteenth|twentieth|thirtieth|thirty[\s-]+first)"
# "a week", "two weeks", "a fortnight", "three wks": a span counted in weeks.
# "The 3rd time", "the 2nd letter", "the first working day ...": an ordinal counting things.
_COUNTS_THINGS = r"(?![-\u2010]\w)" \
                 r"(?!\s+(?:time|letter|one|day|week|month|year|hearing|appeal|notice|" \
                 r"warning|child|son|daughter|floor|stage|page|job|school|visit|meeting|call|" \
                 r"attempt|working|business|offence|payment|instalment|reminder)s?\b)"
_WEEKS = r"(?:(\d{1,2}|a|one|two|three|four|five|six)\s+(?:weeks?|wks?|fortnights?)|" \
         r"a\s+fortnight|fortnight)"

# (pattern, handler name); tried in order, the first match at a place wins.
PATTERNS: list[tuple[re.Pattern, str]] = [(re.compile(p, re.IGNORECASE), h) for p, h in [
    # A year written first ("2032-11-12", "2032/11/12"): year, month, day.
    (r"\b(\d{4})([-/.])(\d{1,2})\2(\d{1,2})\b", "iso"),
    # ("Thursday 11/10/2035" is one date, not a Thursday and a date.)
    (rf"\b(?:{_WD_ANY}\s+)?(\d{{1,2}})[/.](\d{{1,2}})[/.](\d{{2,4}})\b", "numeric"),
    (r"\b(\d{1,2})-(\d{1,2})-(\d{2,4})\b", "numeric"),  # "dated 14-12-2026" in a letter
    (r"\b(\d{1,2})/(\d{1,2})\b(?![/.]\d|\d)", "numeric_no_year"),
    # "Back in 2034 on the 14th of June": the year, then its day.
    (rf"\b(?:back\s+)?in\s+((?:19|20)\d\d)\s*,?\s*(?:on\s+)?(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?"
     rf"\s+(?:of\s+)?{_MON}(?![\w.])", "year_then_day"),
    (rf"\b(?:{_WD}\s+)?(?:the\s+)?{_ORD}\s+(?:of\s+)?{_MON}{_YEAR}\b", "day_month"),
    (rf"\b{_MON}\s+(?:the\s+)?{_ORD}\b{_YEAR}", "month_day"),
    # "Last October, on the 25th", "back in June, it was the 2nd", "back in november (the
    # 10th, my mates birthday)": that month's day.
    (rf"\b(last|back\s+in|in)\s+{_MON}\s*[,(\u2014\u2013-]?\s*(?:it\s+was\s+|on\s+)?the\s+"
     r"(\d{1,2})(?:st|nd|rd|th)\b", "month_then_day"),
    # "Thursday the 8th", "Monday 12th": that day of the month, not the coming weekday.
    # ("Sat 14th": the short forms that are also words count before a day of the month.)
    (rf"\b{_WD_DATED}\s+(?:the\s+(\d{{1,2}})(?:st|nd|rd|th)?|(\d{{1,2}})(?:st|nd|rd|th))\b"
     r"(?:\s+of\s+(this|next|last)\s+month\b)?", "weekday_ordinal"),
    # "The last Friday of the month", "the first Monday in December": that day of the month.
    (rf"\b(?:the\s+)?(first|1st|second|2nd|third|3rd|fourth|4th|last|final)\s+{_WD}\s+"
     rf"(?:of|in)\s+(?:(this|next|last|the)\s+month\b|{_MON}(?![\w.]))", "nth_weekday"),
    # "The Thursday before the bank holiday", "the Monday after half term": that weekday
    # beside the break (before the named days, the weekday and holiday patterns).
    (rf"\b(?:the\s+)?{_WD}\s+(before|after)\s+(?:the\s+)?((?:(?:august|summer|spring|early\s+may|"
     r"late\s+may|may|easter)\s+)?bank\s+holiday|half[\s-]?term|"
     r"(?:we|they|the\s+school|school|schools|the\s+kids|the\s+children)\s+broke\s+up)\b"
     r"(?!\s+weekend)", "weekday_by_break"),
    # Named days that move with Easter or fall on a weekday of a month (before the weekday
    # and "early May" patterns: Mothering Sunday is not the coming Sunday); "the day after
    # Mothering Sunday" a day on.
    (r"\b(?:(?:the\s+)?day\s+(after|before)\s+)?(mothering\s+sunday|mother'?s'?\s+day|palm\s+sunday|shrove\s+tuesday|"
     r"pancake\s+day|ash\s+wednesday|remembrance\s+(?:sunday|day)|armistice\s+day|"
     r"father'?s'?\s+day|(?:early\s+|late\s+)?may\s+bank\s+holiday|"
     r"(?:spring|august|summer)\s+bank\s+holiday|bank\s+holiday\s+monday\s+in\s+august|"
     r"bank\s+holiday\s+monday\s+(?:at\s+the\s+end\s+of|in\s+late)\s+may|"
     r"bank\s+holiday\s+monday\s+(?:at\s+the\s+(?:start|beginning)\s+of|in\s+early)\s+may)\b",
     "named_yearly"),
    # "Six weeks ago on Monday", "three weeks ago last Friday": back from the last weekday
    # (before "ago", which would read the weeks back from today).
    (rf"\b{_WEEKS}\s+ago\s+(?:on\s+|last\s+)?{_WD}\b", "weeks_last_weekday"),
    # "3 weeks back" is ago; "for 4 weeks back in March" is how long, then when. "A month ago
    # today" is one date, not a second one today; "three weeks ago tomorrow" counts back from
    # tomorrow. ("Taking £85 a month back" is a rate: see
    # ``dates._ago``.)
    (rf"\b(?:{_NUM}\s+{_UNIT}|a\s+fortnight|fortnight)\s+"
     r"(ago|back(?!\s+(?:in|on|at|from|to|when|then|during|around|before|after)\b))\b"
     r"(?:\s+(today|tomorrow|yesterday)\b)?", "ago"),
    # Day numbers in words: "the fourteenth of December", "December the fourteenth".
    (rf"\b(?:{_WD}\s+)?(?:the\s+)?{_ORD_WORD}\s+(?:of\s+)?{_MON}{_YEAR}\b", "day_month_word"),
    (rf"\b{_MON}\s+(?:the\s+)?{_ORD_WORD}\b{_YEAR}", "month_day_word"),
    # "on the fourteenth", "by the twenty-first", "Monday the third": a day in words needs a
    # preposition or weekday before it ("the second letter", "before the first-tier tribunal"
    # are no dates).
    (rf"\b(?:(?:on|by|before|until|till|from|dated|since)\s+|{_WD}\s+)the\s+{_ORD_WORD}\b"
     rf"{_COUNTS_THINGS}", "ordinal_word"),
    # "14.12" (no year): two-digit month, not a price, time or measure.
    (r"(?<![£$\d.,])(?<!at )\b(\d{1,2})\.(\d{2})\b(?![.,]?\d)"
     r"(?!\s*(?:%|am\b|pm\b|kg|hours?|hrs?|mins?|p\b|pounds?|quid))", "numeric_no_year"),
    # "a fortnight on Monday", "two weeks on Friday", "a week from Tuesday", "Monday fortnight",
    # "Tuesday week": weeks counted on from the coming weekday.
    (rf"\b{_WEEKS}\s+on\s+{_WD}\s+since\b", "weeks_on_weekday"),
    (rf"\b{_WEEKS}\s+(?:on|from)\s+(?:this\s+|next\s+|coming\s+)?{_WD}\b", "weeks_on_weekday"),
    # "Three weeks last Tuesday", "last Friday week", "the Friday before last": counted back
    # from the last one.
    (rf"\b{_WEEKS}\s+last\s+{_WD}\b", "weeks_last_weekday"),
    (rf"\blast\s+{_WD}\s+week\b|\b(?:the\s+)?{_WD}\s+before\s+last\b", "weekday_before_last"),
    (rf"\b{_WD}\s+(week|fortnight)\b(?!\s+(?:ago|back))", "weekday_weeks"),
    # "a week today", "two weeks tomorrow", "a month today": counted on from today or tomorrow;
    # "a week yesterday" back from yesterday.
    (rf"\b(?:{_NUM}\s+{_UNIT}|a\s+fortnight)\s+(today|tomorrow|tmrw|yesterday)\b",
     "span_from_day"),
    # "the Monday after next": the one after the coming one.
    (rf"\b(?:the\s+)?{_WD}\s+after\s+next\b", "weekday_after_next"),
    (r"\b(?:the\s+)?week\s+after\s+next\b", "week_after_next"),
    (r"\bthis\s+time\s+next\s+(week|month|year)\b", "this_time_next"),
    # "Tuesday next week", "next week on Tuesday": that weekday in next week (Monday to Sunday).
    (rf"\b{_WD}\s+(?:of\s+)?next\s+week\b|\bnext\s+week\s+(?:on\s+)?{_WD}\b",
     "weekday_next_week"),
    (r"\b(?:the\s+)?end\s+of\s+next\s+week\b", "end_of_next_week"),
    # "Thursday last week", "on the Monday of last week": that weekday in last calendar week.
    (rf"\b{_WD}\s+(?:of\s+)?last\s+week\b|\blast\s+week\s+(?:on\s+)?{_WD}\b",
     "weekday_last_week"),
    # "On Tuesday of this week", "Thursday this week": that weekday in this calendar week.
    (rf"\b{_WD}\s+(?:of\s+)?this\s+week\b", "weekday_this_week"),
    (r"\b(?:the\s+)?(?:start|beginning)\s+of\s+next\s+month\b|\b(from)\s+next\s+month\b",
     "start_of_next_month"),
    # "within 14 days" states a time limit (from a letter, a decision), not a date from today.
    # "Four times in a day", "twice in a week": how often, not when.
    (rf"(?<!times )(?<!twice )(?<!once )(?<!hours )"
     rf"\bin\s+(?:{_NUM}\s+{_UNIT}|a\s+fortnight)(?:s?\s+time)?\b", "in"),
    # "Four months from now"; "she's four months now" is how long, no date.
    (rf"\b{_NUM}\s+{_UNIT}\s+from\s+(?:today|now)\b", "in"),
    (r"\b(?:the\s+)?day\s+after\s+tomorrow\b", "after_tomorrow"),
    # British "Tuesday week" and "a week on Tuesday": the Tuesday after the coming one.
    (rf"\b(?:a\s+week\s+(?:on|from)\s+{_WD})\b", "weekday_week"),
    (rf"\b(?:the\s+)?{_ORD}\s+of\s+(this|next|last)\s+month\b", "ordinal_of_month"),
    (rf"\b(mid|early|late)[\s-]+{_MON}\b", "part_of_month"),
    (r"\b(?:the\s+)?end\s+of\s+(?:the|this)\s+week\b", "end_of_week"),
    (r"\b(?:the\s+)?day\s+before\s+yesterday\b", "before_yesterday"),
    # "any day now": from today on, not a day to count from.
    (r"\bany\s+(?:day|time|minute)\s+now\b", "any_day_now"),
    # "The last day of term", "the day the kids broke up", "the first day back at school":
    # the school day beside a long school holiday.
    (r"\b(?:(?:the\s+)?(?:last|final)\s+day\s+(?:of|before)\s+(?:the\s+)?(?:summer\s+|autumn\s+|"
     r"spring\s+|christmas\s+|easter\s+)?(?:term|school\s+holidays?|holidays?)|"
     r"(?:the\s+)?day\s+(?:we|they|the\s+school|school|schools|the\s+kids|the\s+children)\s+"
     r"broke\s+up|"
     r"((?:the\s+)?first\s+day\s+(?:of|back\s+(?:at|to|in))\s+(?:the\s+)?(?:new\s+|autumn\s+|"
     r"spring\s+|summer\s+)?(?:term|school)|(?:the\s+)?day\s+(?:the\s+)?(?:schools?|kids|children)"
     r"\s+(?:go|goes|went|are|were)\s+back))\b", "term_edge"),
    # Easter moves: "by Good Friday", "on Easter Monday", "the Tuesday after Easter" (before
    # the weekday pattern, so Good Friday is not the coming Friday); "the Easter holidays" is
    # a span, no date.
    (rf"\b(?:(?:the\s+)?((?:first|next|last)\s+working\s+day|{_WD}|day)\s+(after|before)\s+"
     rf"(?:the\s+)?)?(good\s+friday|easter\s+"
     r"(?:sunday|monday|saturday|day|bank\s+holiday)|easter)\b"
     r"(?!\s+(?:holidays?|hols|break|term|half[\s-]?term|weekend)\b)",
     "easter"),
    (r"\b(today|tonight|tonite|2nite|this\s+(?:morning|afternoon|evening)|tomorrow|tmrw|tmr|"
     r"2moro|2morrow|2morow|tomoz|tomorow|tomoro|tomorro|tomorrw|tommorow|tommorrow|yesterday|yestrday|yesterdy|yesturday|yestarday|"
     r"yday|last\s+(?:night|nite))\b", "named_day"),
    # "Sat night", "sun morning": the short forms that are also words, with a part of the day.
    (r"\b(sat|sun)\s+(?:night|nite|morning|afternoon|evening)\b", "short_weekday"),
    # "Last wed", "on sat": the short forms that are also words, after a word that makes them
    # a day.
    (r"\b(this\s+coming|coming|next|last|on|by)\s+(wed|sat|sun)\b(?!\s+(?:nav|bed|cream|"
     r"light|shine|rise|set)\b)(?!\s+(?:the\s+)?\d)(?:\s+(week|just gone))?", "weekday"),
    # A weekday naming a weekly event ("the Monday meetings", "my Saturday shifts") is no date.
    (rf"\b(this\s+coming|coming|next|this|last|on|by|until|till|from|before|since)?\s*"
     rf"{_WD}\b(?!\s+(?:meetings|shifts|sessions|classes|club|clubs|school|prayers|rota|"
     rf"briefings|lessons)\b)(?:\s+(week|just gone))?", "weekday"),
    (r"\b(?:the\s+)?(?:end|last\s+(working\s+)?day)\s+of\s+(this|next|last|the)\s+month\b",
     "end_of_month"),
    # "From the first working day of January": past the weekend and the bank holiday.
    (rf"\b(?:the\s+)?first\s+working\s+day\s+(?:of|in)\s+(?:(this|next)\s+month\b|"
     rf"{_MON}(?![\w.]))", "first_working_day"),
    (rf"\b(?:the\s+)?(?:end|last\s+(working\s+)?day)\s+of\s+{_MON}\b", "end_of_named_month"),
    (r"\b(last|next|this\s+coming)\s+(week|month)\b", "relative_week"),
    (rf"\b(?:last\s+year\s+(?:in\s+)?{_MON}|(?:in\s+)?{_MON}\s+last\s+year)\b",
     "month_last_year"),
    # "In April this year": this year's month, behind or ahead as it falls.
    (rf"\b(?:this\s+year\s+(?:in\s+)?{_MON}|(?:in\s+)?{_MON}\s+this\s+year)\b",
     "month_this_year"),
    (r"\b(last|next)\s+year\b", "relative_year"),
    (r"\b(?:in\s+the|last|this|back\s+in\s+the)\s+"
     r"(spring|summer|autumn|fall|winter)\b", "season"),
    (r"\bbetween\s+(?:christmas|xmas)\s+and\s+(?:the\s+)?new\s+years?\b",
     "christmas_to_new_year"),
    # "The day after Boxing Day": the holiday's date moved on (or back) a day; "the first
    # working day after New Year" past the weekend and the bank holidays.
    (r"\b(?:(?:the\s+)?((?:first|next|last)\s+working\s+)?day\s+(after|before)\s+(?:the\s+)?)?"
     # ("Because of Christmas" is the season, not the day.)
     r"(christmas eve|christmas day|xmas eve|xmas day|(?<!because of )(?<!coz of )(?<!cos of )"
     r"(?<!cause of )(?<!cuz of )(?:christmas|xmas)(?!\s+(?:busy|period|"
     r"time|rush|season|holidays?|hols|break|party|parties|shopping|dinner|shifts?|week|bonus|"
     r"closure|cards?|presents?|market|lights|tree|do)\b)|boxing day|new years? eve|"
     r"new years? day|"
     r"new years?(?:\s+(?:day\s+)?bank\s+holiday)?|"
     r"valentines?(?:\s+day)?|bonfire night|guy fawkes(?:\s+night)?|halloween|"
     r"the bank holiday(?!\s+weekend))\b",
     "holiday"),
    (r"\b(?:the\s+)?day\s+(?:the\s+)?clocks?\s+(change|go\s+forward|go\s+back|"
     r"spring\s+forward|fall\s+back)\b", "clocks_change"),
    (rf"\b(?:in\s+|since\s+|from\s+|of\s+)?{_MON}\s+(\d{{4}})\b", "month_year"),
    # A month with no year after "in", "since" or "back in": the last one (or the next).
    (r"\b(?:back\s+in|in|since|during|from|last)\s+(january|february|march|april|june|july|"
     r"august|september|october|november|december|jan|feb|apr|jun|jul|aug|sept?|oct|nov|dec)"
     r"\b(?!\s+\d)", "month_only"),
    (r"\b(?:in|back in|since|from|during|until|till)\s+(20\d\d)\b", "year"),
    # A bare year near today ("last time 2023 she is refused"), not an amount ("£2020").
    (r"(?<![£$,.\d])\b(20[1-4]\d)\b(?!\s*(?:pounds?|quid|gbp|[,.]\d))", "recent_year"),
    # ("On the 14th of March" is that month's day, read where "the" starts, below.)
    (rf"\b(?:on\s+|by\s+|from\s+|dated\s+|since\s+)?the\s+(\d{{1,2}})(st|nd|rd|th)\b"
     rf"(?!\s+(?:of\s+)?{_MON}){_COUNTS_THINGS}", "ordinal"),
    # "on 14th", "by 3rd": the ordinal without "the".
    (r"\b(?:on|by|before|until|till|dated)\s+(\d{1,2})(st|nd|rd|th)\b", "ordinal"),
]]

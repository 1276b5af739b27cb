"""How an urgent situation is written down: the ``Trigger`` record, its builder, and the word
groups several triggers share (``triggers.py`` is the table of triggers; ``urgency.py`` finds
them in a text and dates them).
"""

import re
from dataclasses import dataclass

from linkwell.advice.time_limits import Limit


@dataclass(frozen=True)
class Trigger:
    id: str
    category: str
    reason: str
    pattern: re.Pattern
    limit: Limit | None = None
    urgent: bool = True
    # The trigger counts only when one of these categories was found (empty: always).
    needs: frozenset[str] = frozenset()
    # When True, finding a ``needs`` category is itself the trigger; the pattern then only
    # places the words a date may be written next to.
    on_category: bool = False
    # ... and, when set, only when these words are also somewhere in the text.
    with_words: re.Pattern | None = None
    # The trigger does not count when these words are anywhere in the text.
    without_words: re.Pattern | None = None
    # Urgent only when a date is written with it (a meeting ahead), not on the words alone.
    dated_only: bool = False
    # Words every problem uses ("a letter from the court", "the hearing"): they do not count
    # in a sentence that names another problem and not this one.
    shared_words: bool = False
    # The words name the route ("is a judicial review possible?"), not the act: with no date
    # beside them, the time limit runs from the latest decision written anywhere.
    names_route: bool = False


def trigger(id_: str, category: str, reason: str, pattern: str, limit: Limit | None = None, *,
            needs: tuple[str, ...] = (), with_words: str | None = None,
            without_words: str | None = None, on_category: bool = False,
            dated_only: bool = False, shared_words: bool = False,
            names_route: bool = False, urgent: bool = True) -> Trigger:
    """A trigger from its words as regular-expression text (compiled once, here)."""
    return Trigger(id_, category, reason, re.compile(pattern), limit, urgent=urgent,
                   needs=frozenset(needs),
                   on_category=on_category,
                   with_words=re.compile(with_words) if with_words else None,
                   without_words=re.compile(without_words) if without_words else None,
                   dated_only=dated_only, shared_words=shared_words, names_route=names_route)


# "Benifit" and "benefet" are how many people write it; the DWP's letters name a benefit in full.
_BENEFIT = (r"(?:universal credit|\buc\b|\bpip\b|\besa\b|\bdla\b|ben[ei]f[ie]t|"
            r"housing (?:costs )?element|"
            r"personal independence payment|employment and support allowance|"
            r"disability living allowance|jobseekers allowance|"
            r"carers? allowance|pension credit|attendance allowance|council tax reduction|"
            r"\bjsa\b|child benefit|tax credits?)")
# Benefits decided by the DWP or HMRC, challenged by mandatory reconsideration (not the
# council's own council tax reduction scheme, which has its own appeal route).
DWP_BENEFIT = _BENEFIT.replace("council tax reduction|", "")

# Words that place discrimination at the person's own work (an employment tribunal claim). The
# same words decide the other way round: discrimination without them is outside work (a county
# court claim), so "the manager said" in a restaurant or "I work part-time" said of oneself
# leaves a refusal by a shop or a letting agent outside work (but "my manager", a colleague, a
# recruiter or an interview still place it at work).
# A work coach, the jobcentre, the right to work and "a job part time" said of oneself are no
# workplace either.
# ("Time off work to sort it out" is the writer's own job, not where it happened.) Nor is
# being self-employed (no employer), or a job shown with references to rent a home. Nor are
# the hours someone works ("I work nights", "I work shifts", "working part time", "I work 16
# hours"): they say why a parent cannot go on a school trip, not where the discrimination
# happened. Nor is being unable to work, having a job ("I have a good job", said to rent a
# home), looking for one ("the library computers for job applications") or a working dog.
_HOURS = r" (?:part|full|nights|days|evenings|weekends|shifts|(?:\w+ )?hours)"
AT_WORK = (rf"(?<!right to )(?<!off )(?<!able to )(?<!cant )(?<!cannot )\bwork\b"
           rf"(?! with| coach|{_HOURS})|\bworking\b(?!{_HOURS}| dogs?\b)|"
           r"(?<!have )(?<!have a )(?<!have good )(?<!have a good )(?<!got a )(?<!got a good )"
           r"\bjob(?! ?cent(?:re|er)| part| and references| (?:applications?|search\w*|hunt\w*))|"
           r"(?<!self.)employ|boss|"
           r"(?:my|line) (?:\w+ )?manager (?:at work|said|told|says|say|calls?|called|keeps?)|"
           r"(?<!work )\bshift|my colleague|colleagues at work|\bhr\b|supervisor|promotion|"
           r"team leader|payroll")

# Where discrimination happened, in three steps. Words that name the person's employment
# ("my employer", "they dismissed me", "I work in a hotel kitchen", "her job at a nursery")
# place it at work wherever they stand. Otherwise a place that serves the public, a landlord or
# a school places it outside work, though a job is named in passing ("the gym near work", "my
# colleague opened an account there", "I need it for my salary"). With neither, the looser
# words of AT_WORK decide.
# ("My manager at work reckons I should complain" about a club is an opinion from work, not a
# workplace; nor is "my manager was fine about me being late" after a cab refused me.)
_EMPLOYED = (r"\b(?:(?<!former )employer|"
             r"(?<!told my )(?<!asked my )boss(?! (?:said|says|reckons|thinks|told me))|"
             r"my (?:\w+ )?manager"
             r"(?!(?: at work| from work)? (?:said|says|reckons|thinks|told me|was fine|is fine|"
             r"was ok|was okay|was understanding|(?:didnt|doesnt|did not|does not) mind|"
             r"(?:has been|was|is) (?:really |very |so )?(?:good|great|kind|supportive|"
             r"understanding)))|"
             r"line manager|(?<!work in )(?<!works in )(?<!worked in )hr|"
             r"dismiss(?:ed (?:me|her|him|them|from|for|because|after|on)|al|ing (?:me|her|him))|"
             r"(?:i|she|he|they|we) (?:was|were|have been|has been|got) dismissed|sacked|fired|"
             r"let (?:me|her|him|them) go\b(?! on| to| in| out| home| with| back)|"
             r"(?:was|been|were|got) let go|resigned|grievance|employment tribunal|acas|"
             r"(?:job|work) interview|recruit\w*|payroll|promotion|team leader|supervisor|"
             r"(?<!lost )(?<!lose )(?<!left )(?<!quit )(?:my|her|his) (?:job|workplace) "
             r"(?:at|in|as)|(?<!have a )(?<!have a good )(?<!got a )(?<!got a good )(?<!a good )"
             r"job (?:at|as)|head chef|off sick|"
             r"(?:employment|zero.hours|fixed.term|work) contract|contract is terminated|"
             r"redundan\w*|disciplinary|probation|"
             r"(?<!my )(?<!near )(?<!from )(?<!at )(?<!where i )(?<!where he )(?<!where she )"
             r"work (?:keeps?|refused|said|told)|"
             r"work(?:s|ed|ing)?(?: \d+ years?)?(?: as (?:an? )?\w+(?: \w+)?)? (?:in|at|for) "
             r"(?:an? |the |my )?(?:\w+ )?(?:kitchen|shop|company|firm|factory|warehouse|office|"
             r"hotel|restaurant|bar|pub|nursery|school|hospital|care home|supermarket|council|"
             r"cafe|salon|agency|store))\b")
_SERVES_THE_PUBLIC = (r"\b(?:bank|gym|shop|store|supermarket|restaurant|cafe|pub|bar|club|"
                      r"nightclub|taxi|uber|cab|minicab|bus|hotel|b ?& ?b|bed and breakfast|"
                      r"guest ?house|landlord|letting agents?|academy|football|doorman|bouncer|"
                      r"estate agents?|"
                      r"viewing|holiday club|cinema|leisure centre|swimming|airline|airbnb|"
                      r"hospital|gp|surgery|dentist|dental|optician|clinic|pharmacy|school|"
                      r"nursery|college|university|"
                      r"church|mosque|insurance|insurer|salon|barber|housing office|council)\b")
WORK_SETTING = (rf"{_EMPLOYED}|(?s:\A(?!.*{_SERVES_THE_PUBLIC}).*?(?:{AT_WORK}))")

# Court papers however they are called: "a letter", "an envelope", "forms from the court".
FROM_COURT = (r"(?:letter|papers?|envelope|forms?|documents?|pack|one of (?:them|those|the "
              r"letters) (?:is|was)|(?:it|this|that) (?:is|was)|its) from (?:the )?"
              r"(?:county )?court")

# A landlord's notice raising the rent (Housing Act 1988 s.13, "Form 4A"): "putting my rent up",
# "my rent will go up from £1,450", "a rent increase from 1 April".
RENT_INCREASE = (r"\b(?:form 4a|section 13 notice|rent (?:increase|rise)|"
                 r"(?:increase|increasing|raise|raising) (?:my |our |the )?rent|"
                 r"(?:put|putting|puts) (?:my |our |the )?rent up|"
                 r"rent (?:is |will |would |\w+s )?(?:go(?:es|ing)? up|increas\w*|rise|rising))\b")

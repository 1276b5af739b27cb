"""Is this text English? Triage must say "we could not read this" rather than guess.

A text counts as English when it is mostly Latin script and a large enough share of its words
are everyday English words or words our rules know ("UC", "bailiffs"). Short texts made only of
jargon ("PIP sanction") pass because the jargon is known.
"""

import re
import unicodedata

from linkwell.advice.text import latin_share, tokens

_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc`']")
_CASED_WORD = re.compile(r"[A-Za-z0-9]+")

# Everyday English: function words and the commonest words people use to describe a problem.
# Also ordinary words a letter or two from a rule word ("expected", "writing", "looked"), so
# they are never read as a misspelling of it ("expelled", "waiting", "locked").
_EVERYDAY = """
a about above after again against all almost also always am an and any anyone anything are
around as ask asked at away back bad be because been before being below better between big
both but by came can cant could couldnt day days did didnt do does doesnt doing done dont down
during each else even ever every everything few first for from get gets getting give given
go goes going gone good got had hadnt has hasnt have havent having he her here hers herself
him himself his how i id if ill im in into is isnt it its itself ive just keep kept know knows
last later least left less let lets like little long look looking lot lots made make makes
many may me might mine more most much must my myself need needs never new next no nobody none
nor not nothing now of off often old on once one only or other others our ours ourselves out
over own past please put quite rather really right said same say saying says see seems seen
she should shouldnt since so some someone something soon still such sure take taken tell than
thank thanks that thats the their theirs them themselves then there theres these they theyre
thing things think this those though through till time times to today told too took tried try
trying under until up upon us very want wanted wants was wasnt way we week weeks well went
were werent what whats when where whether which while who whom whose why will with within
without wont would wouldnt year years yes yet you your youre yours yourself
able afraid again ago already angry anxious bit both bring brother call called calls came
care child children compensation cope country cry daughter dad dear dinner doctor door
each eat end
enough family father feel feeling felt find fine friend friends gave girl give glad gp hard
head health help helped helping home hospital house husband ill kids kid know knew letter
letters life live lived living lost love man mate mates meet mental message money month
months morning mother mum name night normal nurse office oh ok okay paid pain paper partner
pay paying people phone phoned place pregnant problem problems reason rang read ready say
scared school send sent sick sister son sorry start started stay stayed stop stopped stress
stressed struggling support sure talk talked tell thing through tired together tonight
trouble understand upset wife woman women word work worried worry write wrote wrong young
appointment asking away bank bed bedroom bill bills boy car case change changed chance
check city close count court cut date dead decision due email emailed english face fault
floor form forms full girls give half heard hear high hours kitchen later leave less line
list living local london longer look lose mean meant minute miss moved near nearly number
open order paperwork pass person plan point post pretty private quick room rooms run said
saw say second service set short shout side sign small son soon sort speak spent stairs
street sure system taking telling terrible thought three two turn under unless visit wait
waiting walk wall walls wants water whole wont worse worst yesterday able month weekend
travelled travelling department departments frighten frightened frightening
chair policy policies refuge depot providing speaking renewing victims stacking exceeded
conversation presented skirt lovely lodged lodge
expected expecting writing theyve properly stating looked looks consider supposed
starting residents talking coping charged administrator block thinks leaking shouting older
stopping paint concession stage provider bloke seeing playing
standing packing worrying suspected informal construct likes chose calmed collective licensed
spending sports score internet relation finds wanting staffing coats checking checked polite
staring swore smell packed substantial peace maths loves easter grand along spare arent
"""
COMMON_WORDS: frozenset[str] = frozenset(_EVERYDAY.split())


def english_share(text: str, known: frozenset[str]) -> float:
    """Share of the words in ``text`` that are everyday English or in ``known``.

    Capitalised words we do not know (names of people, streets, boroughs, landlords) count
    neither way, except at the start of a sentence: "Mr Karapetyan in Peckham" says nothing
    about the language.
    """
    hits = misses = 0
    clean = _APOSTROPHES.sub("", unicodedata.normalize("NFKC", text))
    words = list(_CASED_WORD.finditer(clean))
    for found in words:
        word, lower = found.group(), found.group().lower()
        starts_sentence = clean[:found.start()].rstrip()[-1:] in ("", ".", "!", "?")
        if lower in COMMON_WORDS or lower in known or lower.isdigit():
            hits += 1
        elif starts_sentence or not word[0].isupper():
            misses += 1
    if hits + misses == 0 or hits < 0.3 * len(words):
        return 0.0  # mostly unknown capitalised words: no evidence it is English
    return hits / (hits + misses)


def is_english(text: str, known: frozenset[str]) -> bool:
    """True unless the text is mostly another script or mostly words we do not know.

    Short texts (three words or fewer) need one known word; longer ones need 60%, and at
    least one everyday English word, so a foreign sentence sprinkled with "UC" is not read as
    English.
    """
    if latin_share(text) < 0.6:
        return False
    words = tokens(text)
    if not words:
        return False
    share = english_share(text, known)
    if len(words) <= 3:
        return share > 0
    return share >= 0.6 and any(w in COMMON_WORDS for w in words)

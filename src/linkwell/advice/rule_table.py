"""The phrase rules' table: which words suggest which category and sub-issue, and how strongly.

Data only (moved out of ``rules.py``, which matches it against a text). Weights: STRONG = the
phrase alone is enough; MEDIUM = usually this category; WEAK = a hint that needs support from the
model.
"""

STRONG, MEDIUM, WEAK = 0.9, 0.7, 0.35


# (category, sub_issue, weight, phrases). Weights: STRONG = the phrase alone is enough;
# MEDIUM = usually this category; WEAK = a hint that needs support from the model.
RULE_TABLE: list[tuple[str, str | None, float, tuple[str, ...]]] = [
    # --- housing ---------------------------------------------------------------------------
    ("housing", "possession_eviction", STRONG, (
        "evict*", "possession order", "possession claim", "possession hearing", "notice to quit",
        "notice seeking possession", "kick me out", "kick us out", "kicking me out",
        "kicking us out", "kicked out", "chuck me out", "chucking me out", "chucking us out",
        "throw me out", "throw us out", "throwing us out", "throwing me out",
        "warrant of possession", "get out of the flat",
        "leave the property", "wants the flat back", "wants the house back", "repossess*",
        "take the flat back", "take the house back", "take our home back", "take our flat back",
        "take our house back", "take back the flat", "take back the house", "take back our home",
        "notice to leave", "court papers for the flat", "possession", "court for rent arrears",
        "court for the rent", "court over rent arrears", "court over the rent",
        "court for arrears", "building society has taken", "lender has taken",
        "mortgage company has taken", "lender is taking", "building society is taking")),
    # Told to leave by a date: the home is at risk, whatever the reason given (arrears).
    ("housing", "possession_eviction", 0.85, (
        "to be out by", "wants me out by", "wants us out by", "want me out by",
        "want us out by", "wants me gone by", "wants us gone by")),
    ("housing", None, 0.85, ("leaseholder", "leasehold", "freeholder", "service charge*",
                             "ground rent", "right to manage")),
    ("housing", "section_21", 0.95, ("section 21", "no fault", "form 6a")),
    ("housing", "section_8", 0.95, ("section 8", "form 3")),
    ("housing", "rent_arrears", 0.8, (
        "rent arrears", "behind on rent", "behind on the rent", "behind on my rent",
        "behind with rent", "behind with the rent", "behind with my rent", "owe rent",
        "owe the landlord", "pay the rent", "pay my rent", "pay rent", "rent owed",
        "arrears on the rent", "arrears on my rent", "rent is due", "behind on the room rent",
        "behind with the room rent", "cant pay my rent", "cannot pay my rent",
        "cant pay the rent", "cannot pay the rent")),
    # Mortgage arrears put the home at risk: the writers list housing beside the debt.
    ("housing", None, 0.8, (
        "mortgage arrears", "behind on the mortgage", "behind on my mortgage",
        "behind with the mortgage", "behind with my mortgage", "behind on our mortgage",
        "months behind on the mortgage")),
    ("housing", "disrepair", 0.85, (
        "damp", "mould*", "mold*", "disrepair", "leak*", "repairs", "repair", "boiler",
        "no heating", "no hot water", "ceiling", "rats", "mice", "cockroach*", "infestation",
        "condensation", "broken window*", "fungus", "black spots on the walls", "collapsed",
        "water coming through")),
    # Someone put out of home by family or a partner ("his mum threw him out").
    ("housing", "homelessness", STRONG, tuple(
        f"{verb} {who} out" for verb in ("threw", "thrown", "throw", "kicked", "chucked", "put")
        for who in ("me", "us", "him", "her", "them"))),
    ("housing", "homelessness", STRONG, (
        "homeless*", "sofa surf*", "sleeping rough", "sleep rough", "rough sleep*",
        "on the streets", "on the street", "nowhere to live", "nowhere to stay",
        "nowhere to sleep", "nowhere to go", "sleeping in my car", "sleeping in the car",
        "no fixed abode", "housing options", "prevention duty", "relief duty",
        "sleeping on friends", "sleeping at friends", "staying with friends",
        "in the car tonight", "sleep in the car", "sleeping in our car", "living in the car",
        "living in my car",
        "cant stay much longer", "cant stay any longer", "cant stay here", "leave the hotel",
        "asylum hotel", "move on from the hotel",
        "no roof", "sleeping on a mates", "sleeping on the floor", "night shelter",
        "priority need", "intentionally homeless", "local connection")),
    ("housing", "deposit", 0.8, ("deposit", "tenancy deposit", "deposit protection", "mydeposits",
                                 "dps", "tds")),
    ("housing", "illegal_eviction", STRONG, (
        "changed the locks", "change the locks", "changing the locks", "locked me out",
        "locked us out", "illegal eviction", "put my stuff outside", "turned off the electric",
        "landlord keeps coming in", "lets himself in", "lets herself in")),
    ("housing", "allocation", 0.8, (
        "housing register", "housing list", "waiting list for a council", "bidding",
        "bid on properties", "transfer list", "housing transfer", "overcrowd*", "band a",
        "band b", "band c", "bedroom tax", "too small for us", "medical priority")),
    ("housing", "temporary_accommodation", 0.85, (
        "temporary accommodation", "hostel", "b&b", "bed and breakfast", "emergency accommodation",
        "out of borough placement")),
    # A letting agent is who a person rents, or tries to rent, a home through: turned away by
    # one, the home is part of the problem (the development sets label it so nearly always).
    ("housing", None, 0.85, ("letting agent*", "estate agent*")),
    ("housing", None, MEDIUM, (
        "landlord*", "landlady", "tenancy", "tenant*",
        "housing association", "council flat", "council house", "housing officer", "lodger",
        "my flat", "the flat", "our flat", "private rent*", "renting", "rented",
        "social housing")),
    ("housing", None, WEAK, ("rent", "accommodation", "housing", "the council", "my house",
                             "move out", "moving out", "bedsit", "room i rent")),
    # --- welfare benefits ------------------------------------------------------------------
    ("welfare_benefits", "universal_credit", 0.95, (
        "universal credit", "uc", "universal credits", "universal", "work coach",
        "claimant commitment", "uc journal", "journal", "advance payment", "uc50",
        "assessment period", "limited capability")),
    ("welfare_benefits", "pip", 0.95, (
        "pip", "personal independence payment", "personal independence", "pip assessment",
        "pip form", "pip2", "descriptors", "mobility component", "daily living component",
        "daily living")),
    ("welfare_benefits", "esa", 0.95, ("esa", "employment and support allowance",
                                       "support group", "wrag")),
    ("welfare_benefits", "work_capability", 0.9, (
        "work capability", "wca", "lcwra", "lcw", "fit for work", "fit to work",
        "capability for work")),
    ("welfare_benefits", "sanctions", 0.9, ("sanction*",)),
    # Whether an EU citizen can get a benefit: a benefits question first.
    ("welfare_benefits", None, 0.9, ("right to reside", "habitual residence")),
    ("welfare_benefits", "overpayments", 0.85, (
        "overpayment*", "overpaid", "over payment", "paying back the dwp", "dwp debt",
        "debt management", "recovering an overpayment", "taking money off my universal credit",
        "deductions from my benefits", "deductions from my uc", "deductions from my universal")),
    ("welfare_benefits", "mandatory_reconsideration", 0.9, (
        "mandatory reconsideration", "reconsideration", "reconsider", "challenge the decision",
        "look at the decision again")),
    ("welfare_benefits", "tribunal_appeal", 0.8, (
        "benefit tribunal", "benefits tribunal", "sscs1", "sscs", "first tier tribunal",
        "social security tribunal", "benefit appeal", "pip appeal", "esa appeal",
        "appeal the decision")),
    ("welfare_benefits", "upper_tribunal", 0.9, ("upper tribunal", "point of law",
                                                 "error of law")),
    ("welfare_benefits", "housing_benefit", 0.85, (
        "housing benefit", "housing element", "hb", "lha", "local housing allowance",
        "discretionary housing payment", "dhp", "housing costs")),
    ("welfare_benefits", "council_tax_reduction", 0.85, (
        "council tax reduction", "council tax support", "ctr", "council tax benefit")),
    ("welfare_benefits", "carers_allowance", 0.9, ("carers allowance", "carer allowance")),
    # Money for caring, asked about in other words ("I don't get anything for caring").
    ("welfare_benefits", "carers_allowance", 0.85, tuple(
        f"{what} for {doing}" for what in ("anything", "nothing", "money", "paid", "claim")
        for doing in ("caring", "looking after"))),
    ("welfare_benefits", "disability_benefits", 0.9, (
        "dla", "disability living allowance", "attendance allowance")),
    ("welfare_benefits", "pension_credit", 0.9, ("pension credit", "state pension")),
    ("welfare_benefits", "benefit_cap", 0.9, ("benefit cap", "benefits cap", "capped")),
    ("welfare_benefits", "child_benefit", 0.85, (
        "child benefit", "child tax credit", "tax credit*", "child element", "two child limit",
        "2 child limit")),
    ("welfare_benefits", None, 0.8, (
        "benefit*", "dwp", "jobcentre", "job centre", "jsa", "jobseekers", "job seekers",
        "income support", "brown envelope", "cold weather payment",
        "budgeting advance", "hardship payment")),
    # The benefit itself stopped: a problem named, not only a benefit.
    ("welfare_benefits", "benefit_stopped", 0.8, (
        "claim stopped", "payments stopped", "money stopped", "stopped my money",
        "claim closed", "claim was closed", "closed my claim", "claim has been closed")),
    # --- debt --------------------------------------------------------------------------------
    ("debt", "council_tax_arrears", 0.95, (
        "council tax arrears", "behind on council tax", "behind on my council tax",
        "behind with council tax", "behind with my council tax", "owe council tax",
        "council tax bill", "liability order", "council tax debt", "arrears on council tax",
        "arrears on my council tax")),
    ("debt", "council_tax_arrears", 0.75, ("council tax", "ctax", "summons")),
    ("debt", "enforcement_agents", 0.95, (
        "bailiff*", "enforcement agent*", "enforcement officer*", "notice of enforcement",
        "high court enforcement", "marston", "equita", "bristow", "jbw", "newlyn", "rossendales",
        "controlled goods agreement", "take my stuff", "take our stuff", "take my things",
        "take my car", "baliff*", "balif*")),
    ("debt", "priority_debt", 0.9, ("priority debt*", "priority bills")),
    ("debt", "energy_arrears", 0.9, (
        "emergency credit", "gas meter", "electric meter", "electricity meter", "meter ran out",
        "meter has run out", "meter run out", "meter is empty",
        # A prepayment meter run down to its emergency credit ("the lecky is on emergency").
        "on emergency", "prepay gas", "prepay electric", "prepay meter")),
    ("debt", "non_priority_debt", 0.9, ("lent me", "says i owe", "not a proper company",
                                        "not a proper lender", "cash loan")),
    ("debt", "energy_arrears", 0.8, (
        "gas bill", "electric bill", "electricity bill", "energy bill*", "water bill",
        "prepayment meter", "key meter", "top up the meter", "cut off", "disconnect*",
        "british gas", "thames water", "energy debt", "octopus", "ovo", "eon",
        "water company", "energy company", "energy supplier", "gas supplier", "cut us off",
        "cut me off", "meter is empty", "no credit on the meter")),
    ("debt", "mortgage_arrears", 0.85, (
        "mortgage arrears", "behind on the mortgage", "behind on my mortgage", "mortgage",
        "repossess*")),
    ("debt", "magistrates_fines", 0.85, (
        "magistrates fine", "court fine", "unpaid fine*", "fines officer", "tv licence fine")),
    ("debt", "court_claim_ccj", 0.85, (
        "ccj", "county court judgment", "county court judgement", "money claim", "claim form",
        "default judgment", "charging order", "order for sale", "statutory demand",
        "attachment of earnings")),
    ("debt", "insolvency", 0.85, (
        "bankrupt*", "debt relief order", "dro", "iva", "breathing space", "debt respite")),
    ("debt", "payday_loans", 0.85, (
        "payday loan*", "loan shark*", "buy now pay later", "klarna", "clearpay", "high cost loan",
        "doorstep loan", "provident")),
    ("debt", "non_priority_debt", 0.8, ("car finance", "finance agreement", "finance company",
                                        "phone bill")),
    ("education", None, 0.85, ("student finance", "maintenance loan", "tuition fee*")),
    ("debt", "non_priority_debt", 0.8, (
        "credit card*", "catalogue*", "overdraft", "debt collector*", "debt collection",
        "store card", "loan*", "lowell", "cabot", "default notice", "very catalogue",
        "very account", "littlewoods",
        "phone contract")),
    ("debt", None, 0.85, (
        "debt*", "final demand", "red letters", "threatening letters", "cant pay my bills",
        "cant pay the bills", "owe money", "in debt", "money i owe", "payment plan",
        "repayment plan")),
    ("debt", None, WEAK, ("arrears", "owe", "owing", "skint", "cant afford", "bills")),
    ("debt", "non_priority_debt", 0.9, ("loan shark", "illegal lender", "i borrow", "i borrowed",
                                       "borrowed money", "he lent me", "owe him", "owe her",
                                       "pay him back", "pay her back")),
    # --- employment --------------------------------------------------------------------------
    ("employment", "dismissal", STRONG, (
        "sacked", "sacking", "fired", "dismiss*", "unfair dismissal", "lost my job", "let me go",
        "let go from", "got the sack", "given the sack", "terminated my contract",
        "employment was terminated", "employment terminated", "contract was terminated",
        "end my contract", "ended my contract", "constructive dismissal", "forced to resign",
        "made me resign", "dont bother coming in", "dont need you", "no more work for me",
        "letting me go", "letting him go", "letting her go", "dont come back",
        "not to come back", "was let go", "were let go", "been let go", "got let go",
        "being let go", "get let go", "all let go", "no longer needed", "wasnt needed",
        "isnt needed", "not needed any more", "not needed anymore",
        # As the dismissal trigger reads them: "you're finished", "my job was going".
        "youre finished", "you are finished", "dont come tomorrow", "my job was going",
        "my role was going", "my job is going", "my role is going", "my post was going",
        # Said in learners' English: "he say I am finish, no more job".
        "i am finish", "im finish", "you are finish", "youre finish", "no more job")),
    ("employment", "unpaid_wages", 0.9, (
        "unpaid wages", "not paid me", "hasnt paid me", "havent been paid", "wasnt paid",
        "not been paid", "hasnt been paid", "has not been paid", "havent paid me",
        "not paid for", "payslip*", "minimum wage", "holiday pay", "owed wages",
        "owes me wages", "last pay", "final pay", "underpaid", "paid cash in hand",
        "cash in hand", "not pay me", "not paying me", "not paying my salary",
        "not paying my wages", "not paid my salary", "not paid my wages", "still owe me",
        "havent paid my redundancy", "hasnt paid my redundancy", "redundancy money",
        "redundancy pay")),
    # Words that only say the person works: context, not a problem at work.
    ("employment", None, MEDIUM, ("wages", "salary", "my pay", "self employed", "my hours",
                                  "shifts", "rota")),
    ("employment", "redundancy", 0.9, ("redundan*", "laid off", "lay off")),
    # A check of the right to work is also a problem at work: the job is at stake.
    ("employment", None, 0.85, ("right to work", "sponsor job", "stop working until",
                                "my sponsor", "lost my sponsor")),
    ("employment", "sick_pay", 0.85, ("sick pay", "ssp", "statutory sick pay", "sick note",
                                      "fit note")),
    ("employment", "maternity_rights", 0.85, (
        "maternity leave", "maternity pay", "smp", "paternity leave", "shared parental",
        "return from maternity", "back from maternity")),
    ("employment", "contract_hours", 0.8, (
        "zero hours", "zero hour", "contract of employment", "employment contract",
        "cut my hours", "cutting my hours", "cut our hours", "agency work*", "gig work",
        "deliveroo", "uber")),
    ("employment", "grievance_disciplinary", 0.85, (
        "grievance", "disciplinary", "suspended from work", "suspended on", "investigation meeting",
        "written warning", "final warning")),
    ("employment", "tribunal_claim", 0.95, (
        "employment tribunal", "acas", "early conciliation", "et1", "tribunal claim")),
    ("employment", None, MEDIUM, (
        "employer", "my boss", "the boss", "my manager", "line manager", "my job", "at work",
        "workplace", "colleague*", "hr", "human resources", "warehouse", "care home job",
        "my work", "probation period", "employment", "employed", "agency")),
    # "Staff" alone is anyone's: the door staff, the school's staff, the bank's.
    ("employment", None, WEAK, ("manager", "job", "work", "shift", "workers", "staff")),
    ("employment", None, MEDIUM, ("promotion", "passed over", "supervisor",
                                  "disciplinary meeting")),
    # --- immigration -------------------------------------------------------------------------
    ("immigration", "asylum", 0.95, (
        "asylum", "refugee*", "home office interview", "asylum support", "aspen card",
        "section 95", "section 4 support", "substantive interview", "asylum claim",
        "asylum seeker*", "fresh claim")),
    ("immigration", "leave_to_remain", 0.95, (
        "human rights application", "human rights claim", "leave ran out", "my leave ran out",
        "renewal fee", "leave to remain ran out")),
    ("immigration", "leave_to_remain", 0.9, (
        "leave to remain", "ilr", "indefinite leave", "visa*", "biometric residence permit",
        "brp", "limited leave", "flr", "ten year route", "10 year route", "five year route",
        "immigration status", "my status", "my papers", "extension application",
        "evisa", "ukvi", "leave expires", "leave runs out", "skilled worker", "sponsor licence",
        "certificate of sponsorship", "student leave", "graduate route", "health and care visa",
        "my leave", "hold leave", "switch visa", "curtail*")),
    ("immigration", "nrpf", 0.95, (
        "nrpf", "no recourse", "no recourse to public funds", "change of conditions",
        "cannot claim benefits because of my visa", "cant claim benefits because of my visa")),
    ("immigration", "eu_settlement", 0.95, (
        "settled status", "pre settled", "presettled", "eu settlement", "euss")),
    ("immigration", "citizenship", 0.85, ("citizenship", "naturalis*", "naturaliz*",
                                          "british passport", "register as british")),
    ("immigration", "detention_removal", 0.9, (
        "immigration detention", "detention centre", "deport*", "removal directions",
        "immigration bail", "reporting centre", "sign at the home office", "removed from the uk")),
    ("immigration", "family_reunion", 0.85, (
        "family reunion", "spouse visa", "partner visa", "bring my wife", "bring my husband",
        "bring my children over", "family visa", "fiancee", "fiance", "fiance visa",
        "bring my fiancee")),
    ("immigration", "trafficking", 0.95, ("trafficked", "trafficking", "modern slavery", "nrm")),
    ("immigration", None, 0.85, (
        "home office", "immigration", "overstayer*", "overstayed my visa", "overstayed visa",
        "overstaying my visa", "overstay my visa", "undocumented", "no status", "no papers",
        "illegal immigrant", "right to work check", "right to rent")),
    ("immigration", None, WEAK, ("passport", "visa")),
    # --- community care ----------------------------------------------------------------------
    ("community_care", None, 0.85, ("care leaver", "leaving care", "was in care",
                                    "been in care", "childrens services")),
    ("community_care", "care_assessment", 0.9, (
        "care assessment", "care needs assessment", "care package", "care act", "social services",
        "adult social care", "carers coming in", "home care", "care plan", "personal budget",
        "direct payment*", "care hours", "cant wash", "cant cope at home", "help at home",
        "help with washing", "help getting dressed", "social care", "care visits",
        "care agency", "package of care", "reablement", "help with shopping", "help with cooking",
        "supported living", "help with my personal care", "personal care", "cut my care",
        "cut his care", "cut her care", "cutting my care", "cutting his care", "cutting her care",
        "reduce my care", "reduced my care", "reducing my care", "cannot wash", "can not wash",
        "cant wash herself", "cant wash himself", "help her at home", "help him at home",
        "someone to help her", "someone to help him", "someone come to help")),
    ("community_care", None, WEAK, ("learning disabilit*", "blind", "deaf", "frail", "elderly")),
    ("community_care", None, WEAK, ("dementia", "alzheimers")),
    ("community_care", "care_assessment", MEDIUM, (
        "lives on his own", "lives on her own", "lives alone",
        "self neglect", "safeguarding", "nobody visits", "cant manage at home")),
    ("community_care", "carers_assessment", 0.85, (
        "cant do this anymore", "cant do this any more", "at breaking point", "no respite",
        "respite", "look after my husband", "look after my wife", "look after my mum",
        "look after my dad")),
    ("community_care", None, MEDIUM, ("looking after my",)),
    ("community_care", "care_assessment", MEDIUM, ("social worker", "carers", "care home",
                                                "needs assessment")),
    ("community_care", "carers_assessment", 0.9, (
        "carers assessment", "carer assessment", "i care for", "caring for my", "unpaid carer",
        "young carer")),
    ("community_care", "section_17_children", 0.9, (
        "section 17", "childrens services", "children in need", "child in need",
        "childrens social care")),
    ("community_care", "adaptations", 0.85, (
        "adaptation*", "stairlift", "stair lift", "grab rail*", "occupational therapist",
        "ot assessment", "disabled facilities grant", "wet room", "hoist", "ramp")),
    ("community_care", "mental_health_aftercare", 0.9, (
        "section 117", "aftercare", "after care", "sectioned", "discharged from hospital",
        "discharge from hospital", "hospital discharge")),
    ("community_care", "care_charges", 0.9, ("care charges", "charging for care", "care bill",
                                             "financial assessment for care", "toward my care",
                                             "towards my care", "toward my home care",
                                             "towards my home care", "contribute to my care",
                                             "pay for my care", "pay for her care",
                                             "pay for his care", "contribute towards",
                                             "financial assessment", "care charge*",
                                             "care home fees", "towards his care",
                                             "towards her care", "towards my home care",
                                             "have to contribute", "toward my home care",
                                             "pay towards",
                                             # The charge told by what it pays for: "96 a
                                             # week towards my carers", "a bill every week
                                             # for the carers".
                                             "towards my carers", "toward my carers",
                                             "towards the carers", "week for the carers",
                                             "week for my carers", "week for the care",
                                             "week for my care", "week for her care",
                                             "week for his care")),
    ("community_care", "care_assessment", 0.85, ("care needs", "assessment of my care",
                                                 "one to one hours", "day centre")),
    ("community_care", "destitution_support", 0.8, ("destitute", "destitution",
                                                     "no money for food", "no food")),
    # --- education ---------------------------------------------------------------------------
    ("education", None, 0.85, ("university", "my uni", "at uni", "academic appeal",
                               "exam marks", "my exams", "my degree", "student accommodation",
                               "halls of residence")),
    ("education", "special_educational_needs", 0.95, (
        "ehcp", "ehc plan", "ehc", "education health and care", "sen", "senco", "send support",
        "send team", "send tribunal", "send school", "special needs", "special educational needs",
        "special school", "one to one support", "1 to 1 support", "statutory assessment",
        "needs assessment for school", "sen support", "ehcp assessment")),
    ("education", "exclusion", 0.95, (
        "excluded", "exclusion", "expelled", "permanent exclusion", "off rolled", "off rolling",
        "suspended from school", "managed move", "pru", "pupil referral unit",
        "fixed term exclusion", "sent home from school", "internal exclusion")),
    ("education", "admissions", 0.9, (
        "school place", "school admission*", "admissions appeal", "secondary school place",
        "primary school place", "in year admission", "no school place",
        # A child waiting for a school after a move ("we applied for schools round here").
        "applied for schools", "apply for schools", "applied for a school", "apply for a school",
        "applied for a new school", "apply for a new school", "waiting for a school",
        "secondary transfer", "school application",
        # No place after a move: "the local schools say they're full".
        "schools are full", "schools were full", "schools near us are full",
        "schools say theyre full", "schools say they are full", "schools said they were full",
        "school is full", "school says its full", "school said it was full",
        # Asking who finds the child a school ("who is supposed to find him a school").
        "find him a school", "find her a school", "find them a school", "find a school",
        "find him a new school", "find her a new school", "find a new school")),
    ("education", "school_transport", 0.9, ("school transport", "school bus",
                                            "travel assistance", "travel training")),
    ("education", "attendance", 0.85, (
        "school attendance", "attendance officer", "poor attendance", "attendance fine",
        "school fine", "fined for taking", "truant*", "penalty notice for",
        "school refusal", "wont go to school", "not going to school")),
    ("education", None, MEDIUM, (
        "school", "headteacher", "head teacher", "head of year", "teacher*",
        "my sons school", "my daughters school", "the school", "pupil", "year 7", "year 9",
        "year 10", "year 11", "gcse*", "nursery place", "college place", "local authority send",
        "reduced timetable", "part time timetable", "home educat*")),
    # Bullying names the school's problem even when the bullies' words are discriminatory
    # ("bullied ... calling her racist names" is a school complaint first).
    ("education", "bullying", WEAK, ("bullied", "bullying", "bullyed", "bullies",
                                     # Bullying in other words: at school, the school's problem.
                                     "picked on", "calling him names", "calling her names",
                                     "call him names", "call her names", "calls him names",
                                     "calls her names", "calling my son names",
                                     "calling my daughter names")),
    ("education", None, WEAK, ("autism", "autistic", "adhd", "dyslexi*", "college", "education",
                               "isolation")),
    # --- discrimination ----------------------------------------------------------------------
    ("discrimination", None, 0.95, (
        "discriminat*", "equality act", "protected characteristic*", "treated less favourably",
        "treated me differently", "treated differently", "unequal treatment", "prejudice")),
    ("discrimination", "disability", 0.9, (
        "disability discrimination", "because of my disability", "because im disabled",
        "because i am disabled", "because of my wheelchair", "because of my condition",
        "because of my mental health", "because of my autism")),
    ("discrimination", "race", 0.95, (
        "racist", "racism", "racial*", "because im black", "because i am black",
        "because of my race", "because of my accent", "colour of my skin", "because im asian",
        "because of where im from", "because im foreign", "because of my nationality",
        "race", "because of my colour", "my skin colour")),
    ("discrimination", "sex_pregnancy", 0.9, (
        "because im pregnant", "because i was pregnant", "because i am pregnant",
        "pregnancy discrimination", "sexist", "sexism", "sexual harassment", "because im a woman",
        "because i am a woman", "because of my gender", "because im a mum")),
    ("discrimination", "religion", 0.9, (
        "hijab", "headscarf", "turban", "islamophob*", "antisemit*", "because of my religion",
        "because im muslim", "because im jewish", "because of my faith", "religious",
        "pray", "prayer*", "my religion")),
    ("discrimination", "age", 0.85, ("too old", "ageist", "ageism", "age discrimination",
                                     "because of my age", "too young", "fresh blood")),
    ("discrimination", "disability", 0.9, (
        "put the ramp down", "ramp down for my wheelchair", "ramp is broke", "ramp is broken",
        "bus driver*", "see my wheelchair", "lower the ramp", "wheelchair space")),
    ("discrimination", None, 0.9, (
        "no dss", "anyone on benefits", "people on benefits", "tenants on benefits",
        "dont accept benefits", "wont accept benefits", "no benefits", "no universal credit")),
    ("discrimination", "religion", 0.9, ("eid", "ramadan", "time off for eid", "friday prayers")),
    ("discrimination", "disability", 0.85, (
        "no adjustments", "made any adjustments", "make adjustments", "because of his condition",
        "because of her condition", "punished for his condition", "punished for her condition",

        "guide dog", "assistance dog")),
    # Treated unlike everyone else (the comparison that makes it discrimination): "which no
    # other child has to do", "nobody else was turned away".
    ("discrimination", None, 0.85, (
        "no other child has to", "no other children have to", "no other child had to",
        "nobody else has to", "no one else has to", "nobody else had to", "no one else had to",
        "nobody else was turned away", "no one else was turned away",
        "nobody else was asked to leave", "no one else was asked to leave",
        "nobody else was refused", "no one else was refused")),
    ("discrimination", "race", 0.85, (
        "travellers", "traveller", "gypsy", "gypsies", "roma", "people like you",
        "because of my nationality", "my nationality", "racist name", "racist names")),
    # Below DISCRIMINATION_NAMED: beside a school or work problem, discrimination is a second
    # problem unless stronger words name it.
    ("discrimination", "disability", 0.8, (
        "because of his adhd", "because of her adhd", "because of his autism",
        "because of her autism", "because of his disability", "because of her disability",
        "because of my disability", "because hes autistic", "because shes autistic")),
    ("discrimination", "race", 0.8, (
        "for being black", "about being black", "for being asian", "about being asian",
        "for being brown", "about being brown", "about his skin", "about her skin",
        "only black", "because shes black", "because hes black", "because im black",
        "because of her colour", "because of his colour", "because of my colour")),
    ("discrimination", "religion", 0.85, ("niqab", "face covering", "burka", "locs",
                                          "dreadlocks")),
    # A home refused for nationality or colour, said as the landlord's wish or the advert's
    # words; hair a school's uniform rule bans (afro hair, braids) is race discrimination too.
    ("discrimination", "race", 0.9, (
        "prefer an english", "prefer english", "prefers english", "prefers an english",
        "english family", "english tenants", "british tenants", "english people only",
        "only english", "only british", "no foreigners", "no polish", "no romanians",
        "no bulgarians", "no eastern europeans", "no africans", "no asians", "no indians")),
    ("discrimination", "race", 0.85, ("afro hair", "afro", "natural hair", "braids",
                                      "cornrows")),
    # An interpreter for a Deaf person refused by a council or service: an adjustment.
    ("discrimination", "reasonable_adjustments", 0.85, (
        "sign language interpreter", "bsl interpreter", "british sign language interpreter")),
    ("discrimination", "sexual_orientation_gender", 0.9, (
        "trans woman", "trans man", "im trans", "misgender*", "called me sir",
        "called me madam")),
    ("discrimination", "sexual_orientation_gender", 0.95, (
        "homophob*", "transphob*", "because im gay", "because i am gay", "because im trans",
        "because im lesbian", "because of my sexuality", "because of my sexual orientation")),
    ("discrimination", "reasonable_adjustments", 0.9, ("reasonable adjustment*",
                                                       "adjustments for my disability")),
    ("discrimination", "harassment", 0.6, ("harass*", "victimis*", "victimiz*", "singled out",
                                           "picked on", "slurs")),
    ("discrimination", "sex_pregnancy", WEAK, ("pregnant", "pregnancy")),
    # Being pregnant is a fact; telling the employer and what followed is the complaint.
    ("discrimination", "sex_pregnancy", 0.9, tuple(
        f"{verb} {who} {am} pregnant"
        for verb in ("told", "tell", "telling", "informed")
        for who in ("my manager", "my boss", "my employer", "my supervisor", "work", "them",
                    "hr", "her", "him", "the manager", "my line manager", "my team leader")
        for am in ("im", "i am", "i was"))),
    ("discrimination", "sex_pregnancy", 0.9, (
        "sexual comments", "sexual comment", "touched me", "groped", "sexually")),
    ("discrimination", "race", 0.85, (
        "my accent", "his accent", "her accent", "nationals only", "british tenants",
        "british tenant", "english workers", "british workers", "english staff",
        "this is england", "go back to your country", "go back to where",
        "where im from", "where i from", "where i am from", "black woman", "black man",
        "white lady", "white woman", "white man", "white people", "white staff",
        "our religion", "our skin", "my skin", "his skin", "her skin")),
    ("discrimination", "sex_pregnancy", 0.85, ("same job", "equal pay", "paid less than",
                                               "less per hour than")),
    ("discrimination", "reasonable_adjustments", 0.85, (
        "adjustments", "large print", "braille", "easy read")),
    ("discrimination", "age", 0.85, (
        "old girl", "old boy", "someone younger", "years left in", "close to retirement",
        "near retirement", "at my age", "too slow at")),
    ("discrimination", "disability", MEDIUM, ("hiv",)),
    ("discrimination", "disability", MEDIUM, ("accessible entrance", "wheelchair access",
                                              "not accessible", "no disabled access",
                                              "because she uses a wheelchair",
                                              "because he uses a wheelchair")),
    ("discrimination", None, 0.8, ("no dss", "no benefits", "dss", "refused service",
                                   "take people on benefits", "accept people on benefits",
                                   "dont take benefits",
                                   "wouldnt serve me", "refused to serve", "refused entry")),
    # --- other -------------------------------------------------------------------------------
    ("other", "family", 0.6, (
        "divorce", "custody", "contact with my kids", "contact with my children",
        "child arrangements", "splitting up", "separated from", "child maintenance",
        "family court", "prenup", "my ex wont let me see")),
    ("other", "consumer", 0.6, (
        "refund", "faulty", "warranty", "scam*", "broadband", "parcel", "online order",
        "second hand car", "holiday company", "flight cancelled", "gym membership",
        "builder", "cowboy", "flight*", "airline", "mobile network", "phone network",
        "phone was stolen")),
    ("other", "general", 0.85, ("no insurance", "driving without insurance",
                                "lose my licence", "lose my driving licence")),
    ("other", "general", 0.85, ("blue badge", "freedom pass", "taxicard")),
    ("other", "family", 0.85, (
        "start a divorce", "get a divorce", "getting divorced", "divorce", "we are separating",
        "were separating", "are separating", "child arrangements order")),
    ("other", "general", 0.85, (
        "youth caution", "dbs check", "enhanced dbs", "his estate", "her estate",
        "sorting out his estate", "no will", "died without a will", "letters of administration")),
    ("other", "consumer", 0.85, (
        "parking company", "parking fine from a private", "contract for mobile phone",
        "cancel the contract", "cancellation fee", "big fee")),
    ("other", "consumer", 0.85, (
        "penalty charge notice", "penalty charge", "yellow box", "bus lane", "parking fine",
        "congestion charge", "ulez", "parking charge", "parking charge notice",
        "private parking", "consumer rights",
        "retailer", "manufacturer", "washing machine", "money back", "travel company",
        "holiday company", "cancelled holiday", "chargeback", "section 75")),
    ("other", "general", 0.7, ("photo id", "bank account", "proof of identity",
                               "proof of id")),
    ("other", "neighbours", 0.5, ("neighbour*", "hedge", "fence", "barking", "noise")),
    ("other", "general", 0.5, (
        "driving licence", "name change", "deed poll", "make a will", "write a will", "probate",
        "power of attorney",
        "jury service", "parking ticket", "pcn", "speeding", "lonely", "loneliness", "hobby",
        "volunteer*", "gardening", "choir", "exercise class*", "walking group", "befriend*",
        "allotment", "library", "art class*", "cooking class*", "passport renewal",
        "renew my passport", "passport form", "birth certificate")),
    # A complaint about NHS care goes to the NHS complaints process (or its advocacy
    # service), not to a social-welfare lawyer.
    ("other", "general", 0.8, ("complain about my gp", "complaint about my gp",
                               "complain about the hospital", "complaint about the hospital",
                               "nhs complaint")),
    ("other", "general", 0.8, (
        "arrested", "police station", "released under investigation", "shoplifting",
        "crime number", "criminal record", "magistrates court for", "clamped",
        "private car park")),
    ("other", "general", 0.5, ("police", "nicked", "stolen")),
]

"""Word lists for news attribution: reporting cues, pronouns, descriptors, places."""

from __future__ import annotations


def _forms(*groups: str) -> dict[str, str]:
    """Map every inflected form to its lemma: "say said says saying" -> say."""
    table: dict[str, str] = {}
    for group in groups:
        words = group.split()
        for word in words:
            table[word] = words[0]
    return table


# Verbs that report what a source said, wrote, found or claims (a claim follows).
SPEECH_VERBS = _forms(
    "say said says saying",
    "tell told tells telling",
    "add added adds adding",
    "stated stated stating",
    "announce announced announces announcing",
    "report reported reports reporting",
    "confirm confirmed confirms confirming",
    "deny denied denies denying",
    "dispute disputed disputes disputing",
    "accuse accused accuses accusing",
    "warn warned warns warning",
    "estimate estimated estimates estimating",
    "find found finds finding",
    "acknowledge acknowledged acknowledges acknowledging",
    "admit admitted admits admitting",
    "insist insisted insists insisting",
    "testify testified testifies testifying",
    "rule ruled rules ruling",
    "explain explained explains explaining",
    "predict predicted predicts predicting",
    "suggest suggested suggests suggesting",
    "allege alleged alleges alleging",
    "assert asserted asserts asserting",
    "contend contended contends contending",
    "maintain maintained maintains maintaining",
    "stress stressed stresses stressing",
    "emphasize emphasized emphasizes emphasizing emphasise emphasised emphasises",
    "reiterate reiterated reiterates reiterating",
    "declare declared declares declaring",
    "note noted notes noting",
    "write wrote writes writing written",
    "argue argued argues arguing",
    "claim claimed claims claiming",
    "complain complained complains complaining",
    "concede conceded concedes conceding",
    "conclude concluded concludes concluding",
    "tweet tweeted tweets tweeting",
    "posted posted posting",
    "respond responded responds responding",
    "reply replied replies replying",
    "counter countered counters countering",
    "recall recalled recalls recalling",
    "urge urged urges urging",
    "call called calls calling",
    "describe described describes describing",
    "criticize criticized criticizes criticizing criticise criticised criticises",
    "blame blamed blames blaming",
    "praise praised praises praising",
    "promise promised promises promising",
    "pledge pledged pledges pledging",
    "vow vowed vows vowing",
    "threaten threatened threatens threatening",
    "demand demanded demands demanding",
    "ask asked asks asking",
    "question questioned questions questioning",
    "show showed shows showing shown",
    "indicate indicated indicates indicating",
    "reveal revealed reveals revealing",
    "disclose disclosed discloses disclosing",
    "predict predicted predicts predicting",
    "forecast forecasts forecasting",
    "projected projected",
    "calculate calculated calculates calculating",
    "observe observed observes observing",
    "remark remarked remarks remarking",
    "caution cautioned cautions cautioning",
    "charge charged charges charging",
    "reject rejected rejects rejecting",
    "agree agreed agrees agreeing",
    "boast boasted boasts boasting",
    "lament lamented laments lamenting",
    "quip quipped quips quipping",
    "joke joked jokes joking",
    "shout shouted shouts shouting",
    "whisper whispered whispers whispering",
    "recount recounted recounts recounting",
    "brief briefed briefs briefing",
    "advise advised advises advising",
    "assure assured assures assuring",
    "inform informed informs informing",
    "conclude concluded concludes concluding",
    "determine determined determines determining",
    "acknowledge acknowledged acknowledges acknowledging",
    "continue continued continues continuing",
    "announce announced announces announcing",
    "signal signaled signalled signals signaling signalling",
    "hint hinted hints hinting",
    "speculate speculated speculates speculating",
    "disagree disagreed disagrees disagreeing",
    "object objected objects objecting",
    "protest protested protests protesting",
    "retort retorted retorts retorting",
    "denounce denounced denounces denouncing",
    "condemn condemned condemns condemning",
    "slam slammed slams slamming",
    "dismiss dismissed dismisses dismissing",
    "hail hailed hails hailing",
    "welcome welcomed welcomes welcoming",
    "applaud applauded applauds applauding",
    "laud lauded lauds lauding",
    "characterize characterized characterizes characterizing characterise characterised",
    "decry decried decries decrying",
    "reassure reassured reassures reassuring",
    "concur concurred concurs concurring",
    "contradict contradicted contradicts contradicting",
    "rebut rebutted rebuts rebutting",
    "refute refuted refutes refuting",
    "clarify clarified clarifies clarifying",
    "elaborate elaborated elaborates",
    "underscore underscored underscores underscoring",
    "highlight highlighted highlights highlighting",
    "mention mentioned mentions mentioning",
    "cite cited cites citing",
    "label labeled labelled labels labeling",
    "brand branded brands branding",
    "liken likened likens likening",
    "challenge challenged challenges challenging",
    "allege alleged alleges alleging",
    "attest attested attests attesting",
    "certify certified certifies certifying",
    "verify verified verifies verifying",
    "suggest suggested suggests suggesting",
)
# Verbs of belief or expectation: a source's view, reported less firmly.
BELIEF_VERBS = _forms(
    "believe believed believes believing",
    "think thought thinks thinking",
    "expect expected expects expecting",
    "hope hoped hopes hoping",
    "fear feared fears fearing",
    "worry worried worries worrying",
    "doubt doubted doubts doubting",
    "feel felt feels feeling",
    "consider considered considers",
    "want wanted wants",
)
# Cues that only count when followed by a particle: "pointed to", "pointed out".
PHRASAL_CUES = {
    ("pointed", "to"): "pointed to",
    ("points", "to"): "points to",
    ("pointed", "out"): "pointed out",
    ("points", "out"): "points out",
    ("pointing", "out"): "pointing out",
    ("pointing", "to"): "pointing to",
    ("made", "clear"): "made clear",
    ("spoke", "of"): "spoke of",
    ("went", "on"): "went on",
    ("called", "for"): "called for",
    ("calls", "for"): "calls for",
}
# Verbs that take a speaker only in some readings, and verb forms that are also nouns
# ("a report", "the claims"); they need "that", a quote, or a document as subject.
WEAK_VERBS = frozenset(
    """add added adds report reports claim claims note notes estimate estimates posts
    question questions
    remark remarks forecast forecasts demand demands promise promises warning warnings
    find found finds show showed shows shown rule ruled rules indicate indicated indicates
    call called calls post posted posts continue continued continues project projected
    projects charge charged charges agree agreed agrees question questioned questions
    consider considered considers want wanted wants feel felt feels determine determined
    determines ask asked asks signal signaled signalled signals brief briefed briefs
    inform informed informs advise advised advises observe observed observes
    respond responded responds reject rejected rejects dismiss dismissed dismisses welcome
    welcomed welcomes highlight highlighted highlights mention mentioned mentions cite cited
    cites label labeled labelled labels brand branded brands challenge challenged challenges
    object objects protest protests certify certified verify verified""".split()
)
# Nouns that carry a claim: "in a statement", "the report found", "a filing said".
DOCUMENT_NOUNS = frozenset(
    """statement statements report reports filing filings ruling rulings study studies
    analysis survey surveys poll polls memo memos letter letters release releases tweet
    tweets post posts interview interviews testimony complaint complaints lawsuit indictment
    documents document records data figures summary assessment review audit email emails
    message messages note notes speech remarks remark briefing affidavit motion brief
    opinion decision order findings paper estimate estimates projections forecast notice
    announcement declaration transcript video""".split()
)
NEGATED_SPEECH = (
    "declined to comment",
    "declined to say",
    "declined to discuss",
    "declined to elaborate",
    "declined to provide",
    "declined to specify",
    "declined to answer",
    "declined to be interviewed",
    "did not respond",
    "did not immediately respond",
    "did not return",
    "did not reply",
    "could not be reached",
    "was not available for comment",
    "were not available for comment",
    "did not specify",
    "did not say",
    "would not say",
    "refused to comment",
    "had no comment",
    "no comment",
    "did not comment",
    "not immediately clear",
)

PRONOUNS = {
    "he": "male",
    "him": "male",
    "his": "male",
    "she": "female",
    "her": "female",
    "they": "plural",
    "them": "plural",
    "their": "plural",
    "it": "thing",
    "its": "thing",
    "we": "plural",
    "i": "self",
}
SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
GROUP_ANAPHORS = frozenset(
    {"several", "others", "some", "many", "most", "few", "both", "all", "one", "another"}
)

# Titles before a name, and what they tell about the person.
TITLES = {
    "mr": "male",
    "mr.": "male",
    "mrs": "female",
    "mrs.": "female",
    "ms": "female",
    "ms.": "female",
    "miss": "female",
    "sir": "male",
    "dame": "female",
    "lord": "male",
    "lady": "female",
    "dr": "",
    "dr.": "",
    "prof": "",
    "prof.": "",
    "professor": "",
    "gen": "",
    "gen.": "",
    "general": "",
    "col": "",
    "col.": "",
    "lt": "",
    "lt.": "",
    "maj": "",
    "maj.": "",
    "capt": "",
    "capt.": "",
    "adm": "",
    "adm.": "",
    "sgt": "",
    "sgt.": "",
    "rep": "",
    "rep.": "",
    "sen": "",
    "sen.": "",
    "senator": "",
    "gov": "",
    "gov.": "",
    "governor": "",
    "president": "",
    "pres": "",
    "pres.": "",
    "vice": "",
    "prime": "",
    "minister": "",
    "secretary": "",
    "judge": "",
    "justice": "",
    "mayor": "",
    "chancellor": "",
    "ambassador": "",
    "amb": "",
    "amb.": "",
    "chief": "",
    "commissioner": "",
    "sheriff": "",
    "detective": "",
    "det": "",
    "det.": "",
    "officer": "",
    "agent": "",
    "special": "",
    "father": "male",
    "rev": "",
    "rev.": "",
    "pope": "male",
    "king": "male",
    "queen": "female",
    "prince": "male",
    "princess": "female",
    "assistant": "",
    "deputy": "",
    "attorney": "",
    "state": "",
    "rabbi": "",
    "imam": "",
    "archbishop": "",
    "bishop": "",
    "coach": "",
    "chairman": "male",
    "chairwoman": "female",
}
# Abbreviated titles spelled out, so "Gov. Okonjo" meets "the governor".
TITLE_WORDS = {
    "gov": "governor",
    "sen": "senator",
    "rep": "representative",
    "gen": "general",
    "lt": "lieutenant",
    "col": "colonel",
    "maj": "major",
    "capt": "captain",
    "adm": "admiral",
    "sgt": "sergeant",
    "pres": "president",
    "amb": "ambassador",
    "prof": "professor",
    "det": "detective",
    "atty": "attorney",
    "supt": "superintendent",
}
FEMALE_ROLES = frozenset(
    """spokeswoman chairwoman businesswoman congresswoman councilwoman policewoman
    mother wife daughter sister widow grandmother actress woman girl queen princess
    duchess countess""".split()
)
MALE_ROLES = frozenset(
    """spokesman chairman businessman congressman councilman policeman father husband
    son brother widower grandfather actor man boy king prince duke count""".split()
)
# Nouns naming a person by role: "the agent said", "the judge wrote".
PERSON_ROLES = frozenset(
    """spokesman spokeswoman spokesperson official officials president minister secretary
    director chief executive officer chairman chairwoman chair founder leader head analyst
    analysts economist economists expert experts professor researcher researchers scientist
    scientists lawyer lawyers attorney attorneys prosecutor prosecutors judge justice agent
    detective investigator investigators commander general colonel officer officers
    spokespeople diplomat diplomats ambassador adviser advisers advisor aide aides governor
    senator representative lawmaker lawmakers mayor councilman councilwoman commissioner
    sheriff witness witnesses resident residents doctor doctors physician nurse teacher
    student worker workers manager owner accountant consultant strategist pollster critic
    critics supporter supporters activist activists organizer negotiator envoy mediator
    administrator superintendent trustee candidate nominee rival opponent farmer survivor
    victim parent parents mother father neighbor neighbors voter voters""".split()
)
GROUP_NOUNS = frozenset(
    """officials analysts economists experts researchers scientists lawyers attorneys
    prosecutors investigators officers diplomats advisers aides lawmakers witnesses residents
    doctors workers critics supporters activists voters parents neighbors people
    spokespeople leaders members executives authorities observers sources participants
    students teachers nurses farmers survivors families locals shoppers consumers owners
    economists engineers inspectors monitors protesters demonstrators""".split()
)
# Descriptors that can stand for an organisation: "the ministry said".
ORG_DESCRIPTORS = frozenset(
    """ministry department agency office company firm group organization organisation union
    court government administration police military army navy party campaign committee
    council commission hospital network bank center centre institute university school
    district board bureau service authority authorities embassy team club league
    foundation charity coalition alliance association federation corporation corp
    conglomerate maker manufacturer retailer chain airline carrier insurer lender utility
    startup automaker regulator watchdog panel body delegation mission secretariat
    parliament congress senate house cabinet presidency kremlin pentagon prosecution
    defense defence plaintiffs plaintiff state city county network station newspaper
    publication outlet magazine broadcaster site poll survey study report statement
    filing memo summary""".split()
)
# Descriptor nouns and the registry kinds they may stand for.
DESCRIPTOR_KINDS = {
    "ministry": {"government", "military"},
    "department": {"government", "police", "military"},
    "agency": {"government", "ngo"},
    "office": {"government", "official", "politician"},
    "government": {"government"},
    "administration": {"government", "politician"},
    "authorities": {"government", "police", "official"},
    "company": {"company"},
    "firm": {"company", "expert"},
    "corporation": {"company"},
    "maker": {"company"},
    "manufacturer": {"company"},
    "retailer": {"company"},
    "chain": {"company"},
    "airline": {"company"},
    "carrier": {"company"},
    "insurer": {"company"},
    "lender": {"company"},
    "bank": {"company"},
    "automaker": {"company"},
    "startup": {"company"},
    "network": {"company", "media"},
    "group": {"ngo", "company", "expert", "other"},
    "organization": {"ngo", "other"},
    "organisation": {"ngo", "other"},
    "charity": {"ngo"},
    "foundation": {"ngo"},
    "institute": {"expert", "ngo"},
    "union": {"ngo", "other"},
    "court": {"court"},
    "judge": {"court"},
    "police": {"police"},
    "military": {"military"},
    "army": {"military"},
    "campaign": {"politician"},
    "party": {"politician"},
    "hospital": {"other", "company"},
    "prosecution": {"government", "court"},
    "regulator": {"government"},
    "watchdog": {"ngo", "government"},
}
# Places and the demonyms, capitals and seats of power that stand for them.
PLACES = {
    "russia": "russian moscow kremlin russians",
    "azerbaijan": "azerbaijani baku azerbaijanis azeri",
    "armenia": "armenian yerevan armenians",
    "united states": "us u.s. usa u.s.a. america american washington americans white-house",
    "united kingdom": "uk u.k. britain british london england english downing",
    "ukraine": "ukrainian kyiv kiev ukrainians",
    "china": "chinese beijing",
    "france": "french paris elysee",
    "germany": "german berlin germans",
    "italy": "italian rome",
    "spain": "spanish madrid",
    "japan": "japanese tokyo",
    "india": "indian delhi new-delhi",
    "pakistan": "pakistani islamabad",
    "afghanistan": "afghan kabul",
    "iran": "iranian tehran iranians",
    "iraq": "iraqi baghdad",
    "israel": "israeli jerusalem israelis",
    "palestine": "palestinian ramallah palestinians",
    "syria": "syrian damascus",
    "lebanon": "lebanese beirut",
    "turkey": "turkish ankara turkiye",
    "egypt": "egyptian cairo",
    "saudi arabia": "saudi riyadh saudis",
    "qatar": "qatari doha",
    "jordan": "jordanian amman",
    "north korea": "north-korean pyongyang",
    "south korea": "south-korean seoul",
    "taiwan": "taiwanese taipei",
    "vietnam": "vietnamese hanoi",
    "philippines": "philippine filipino manila",
    "indonesia": "indonesian jakarta",
    "australia": "australian canberra",
    "canada": "canadian ottawa",
    "mexico": "mexican",
    "brazil": "brazilian brasilia",
    "argentina": "argentine argentinian",
    "venezuela": "venezuelan caracas",
    "colombia": "colombian bogota",
    "poland": "polish warsaw",
    "hungary": "hungarian budapest",
    "belarus": "belarusian minsk",
    "georgia": "georgian tbilisi",
    "moldova": "moldovan chisinau",
    "romania": "romanian bucharest",
    "serbia": "serbian belgrade",
    "kosovo": "kosovar pristina",
    "greece": "greek athens",
    "sweden": "swedish stockholm",
    "norway": "norwegian oslo",
    "finland": "finnish helsinki",
    "denmark": "danish copenhagen",
    "netherlands": "dutch hague amsterdam",
    "belgium": "belgian",
    "switzerland": "swiss bern",
    "austria": "austrian vienna",
    "ireland": "irish dublin",
    "nigeria": "nigerian abuja",
    "kenya": "kenyan nairobi",
    "ethiopia": "ethiopian addis",
    "sudan": "sudanese khartoum",
    "south africa": "south-african pretoria",
    "european union": "eu e.u. european brussels",
    "united nations": "un u.n.",
    "nato": "alliance",
    "kazakhstan": "kazakh astana",
    "uzbekistan": "uzbek tashkent",
    "cuba": "cuban havana",
    "chile": "chilean santiago",
    "peru": "peruvian lima",
    "yemen": "yemeni sanaa",
    "libya": "libyan tripoli",
    "morocco": "moroccan rabat",
    "algeria": "algerian algiers",
    "tunisia": "tunisian tunis",
    "bangladesh": "bangladeshi dhaka",
    "myanmar": "burmese naypyidaw",
    "thailand": "thai bangkok",
    "malaysia": "malaysian",
    "singapore": "singaporean",
    "new zealand": "wellington",
}
# Spelling variants folded to one form before matching.
VARIANTS = {
    "defense": "defence",
    "organization": "organisation",
    "organizations": "organisations",
    "center": "centre",
    "centers": "centres",
    "labor": "labour",
    "program": "programme",
    "ministries": "ministry",
    "departments": "department",
    "officials": "official",
    "experts": "expert",
    "analysts": "analyst",
    "aides": "aide",
    "residents": "resident",
    "voters": "voter",
    "parents": "parent",
    "prosecutors": "prosecutor",
    "prosecution": "prosecutor",
    "judges": "judge",
    "lawyers": "lawyer",
    "economists": "economist",
    "researchers": "researcher",
    "scientists": "scientist",
    "diplomats": "diplomat",
    "people": "person",
    "anonymity": "anonymous",
    "unnamed": "anonymous",
    "u.s.": "united states",
    "us": "united states",
    "u.n.": "united nations",
    "un": "united nations",
    "e.u.": "european union",
    "eu": "european union",
    "u.k.": "united kingdom",
    "uk": "united kingdom",
}
STOPWORDS = frozenset(
    """a an the of in on at to for with by from and or but as that this these those its his
    her their our your my is was are were be been has have had who which whom whose
    said says told two three four five several some other others many most few one all
    both about over under into than also who's it's there here not no""".split()
)

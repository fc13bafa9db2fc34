"""Whether what the candidate said asks the interviewer something, by its form: the grammar of asking.

Whisper writes a question heard without a rising voice with a full stop, a relative clause heard after a pause
as a question of its own ("Which meant dealers were losing leads?"), and two questions in one breath as one
sentence; these rules read a sentence as an interviewer hears it. The replies are clarifications.py's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from simulator.interviewer.factsheets import FactSheet
from simulator.text import split_sentences
from simulator.vocab import Kind

STRAY_WORDS = 6
STRAY_SHORT = 2  # "It is.", "Thank you." after a question

# Openings and phrases that put a question to the interviewer rather than to oneself.
ASKING = re.compile(
    r"^(do|does|did|should|shall|can|could|would|will|is|are|am|may|how many|how much|how big|how long|"
    r"how fast|how often|who|which|what is the|what's the|what are the|what kind|what about|when|where|any)\b|"
    r"\b(should i|should we|do we|do i|can i|can we|do you|would you|are we|am i|is it ok|is there|are there|"
    r"i'm wondering|i am wondering|i wonder|i was wondering|i'd like to know|i would like to know|"
    r"could you tell|can you tell|let me ask|quick question|is that right|is that fair|"
    r"can i assume|should i assume|may i assume)\b|" + r"^(what if)\b|"
    r"\b(fair to assume|safe to assume|reasonable to assume|okay to assume|ok to assume|can i take it)\b")
INDIRECT = re.compile(r"\b(i'm wondering|i am wondering|i wonder|i was wondering|i'd like to know|"
                      r"i would like to know|could you tell me|can you tell me)\b")
# In an experience answer the candidate tells a story, and its questions are mostly their own ("Which service
# was it? The billing one."): one the sheet does not know about is the interviewer's only when put to them.
DIRECT = re.compile(r"\b(should i|can i|may i|could i|do i|am i|do you|would you|could you|can you|is it ok|"
                    r"is it okay|is it fine|is that ok|is that okay|is that fine|is that right|is that fair|"
                    r"does it have to|does it need to|do you want|how much detail|how long should)\b|"
                    r"^(what if)\b|\b(fair to assume|safe to assume|reasonable to assume)\b")
# "What if ...?" puts a scenario to the interviewer; "what happens when the cache dies?" is the candidate's own.
WHAT_IF = re.compile(r"^(what if|suppose)\b")
# "to assume" as tiny.en often hears it after "fair": "fair-tosu", "fair to soon", "fair to sue".
TO_ASSUME = r"(?:[- ]?to ?(?:assume|presume|s[uo]o?[a-z]*))"
ASSUME = re.compile(r"\b(fair to assume|safe to assume|reasonable to assume|okay to assume|ok to assume|"
                    r"can i assume|should i assume|may i assume|can i take it|i'll assume|i will assume)\b|"
                    rf"\b(is it|it's|it is|would it be) (fair|safe|reasonable){TO_ASSUME}\b")

# "Can" as base often writes it when the voice does not rise: "Ken shoppers use a coupon code."
MISHEARD_CAN = re.compile(r"^(ken|kin)\s+")
LEAD_IN = re.compile(r"^((so|and|but|okay|ok|also|then|um|uh|well|right|first|one more thing|another thing|"
                     r"i have a question|one question|quick question)[,.:]?\s+)+")

SUBJECT = (r"(we|i|you|it|they|the|a|an|each|every|our|my|your|their|people|someone|anyone|one|links?|users?|messages?|"
           r"jobs?|this|that|these|"
           r"those|there|analytics)")
AUXILIARY = r"(do|does|did|should|shall|can|could|would|will|is|are|am|may|might|must|has|have)"
INVERTED = re.compile(rf"{AUXILIARY} {SUBJECT}\b|how (many|much|long|big|fast|often) ")
# A wh-word, a few words at most, then the inversion only a question has: "Which channels do we support?",
# "Where should the data live?"; a clause has none ("which meant dealers were losing leads").
WH_INVERTED = re.compile(rf"^(which|what|where|when|who|whose|how)( [\w'-]+){{0,3}}? {AUXILIARY} {SUBJECT}\b")
# Without its mark, only a wh-word with a verb's inversion asks: "What we need is a cache." does not.
WH_ASKS = re.compile(rf"^(which|what|where|when|who|whose|how)( [\w'-]+){{0,2}}? "
                     rf"(do|does|did|should|shall|can|could|would|will|may|might|must) {SUBJECT}\b")
WH = re.compile(r"^(what|which|where|when|who|whose|how)\b")
TO_YOU = re.compile(r"\b(to you|for you)\b")  # "What matters most to you, latency or cost." put to the interviewer
# A clause tacked onto the sentence before it, which whisper heard after a pause as a sentence of its own:
# "..., which meant dealers were losing leads", "..., where it waits until the phone reconnects".
RELATIVE = re.compile(r"^(which|who|whom|whose|where|when)\b")
CLAUSE_JOINT = re.compile(r",\s*(which|who|whom|whose|where|when)\b")
COMPARING = re.compile(r"^(which|who) (is|are|would be|will be) (more|most|better|best|the better|the best|"
                       r"the right|preferred|faster|cheaper|the priority)\b")
# The frame of an assumption, not what it is about: "fair" in "Is it fair to assume..." is not the sheet's "fair".
FRAME = re.compile(r"\b((is it|would it be|it's|it is) (fair|safe|reasonable|okay|ok) to assume|"
                   rf"(is it|would it be|it's|it is) (fair|safe|reasonable){TO_ASSUME}|"
                   r"(can|may|should) i assume|can i take it)( that)?\b", re.IGNORECASE)
# Opens as a question would, though whisper ended it with a full stop and misheard its subject ("Can account
# be private.", "And what happens with ties."): a question only when the sheet knows what it is about, and not
# a condition opening a statement ("Should the cache die, the database takes the load.").
# "Could be sharded by user.", "Would have to be global." are the candidate's own musing, without a subject.
LOOSE = re.compile(r"^(do|does|did|can|could|should|would|will|is|are|must)\s+"
                   r"(?!(be|have|also|just|probably|maybe|still|even|then|go|work)\b)[\w'-]+|^(what|how) (happens|about)\b")
CONDITION = re.compile(r"^(should|had|were)\b[^,]*,\s*(the|we|i|it|its|they|their|you|your|a|an|that|this|then|"
                       r"our|my|each|every|all|there)\b")
# A sentence that announces its own answer after a colon ("What happens with ties is simple: whoever...").
ANNOUNCING = re.compile(r"^(?P<head>[^?:]+):\s*(?P<said>\w[^?]*?)[.!]?$")
# A setting before the question itself: "Once someone picks a seat, how much time do they get to pay?",
# "If an endpoint is down, how long do we keep retrying?". The sheet is asked what the question asks.
SETTING = re.compile(r"^(if|once|when|whenever|after|before|given|since|assuming|in case|say)\b[^,?]*,\s*(?P<asked>.+)$")
# The choices of the question before, said as a sentence of their own: "What delivery guarantee do consumers
# need? At least once or exactly once." A statement has a subject or a verb ("We could use either.").
OPTIONS = re.compile(rf"^(?!{SUBJECT}\b)(?!.*\b{AUXILIARY}\b)[\w' -]+ or [\w' -]+[.?]?$")
OPTIONS_WORDS = 8
BACK = re.compile(rf"^{AUXILIARY} (that|this|it)\b")  # "..., and is that fine?" asks about what came before
JOINED = re.compile(r",?\s+(?:and|also|plus)\s+|,\s+", re.IGNORECASE)  # where a second question may be joined on



def _plain(sentence: str) -> str:
    return MISHEARD_CAN.sub("can ", LEAD_IN.sub("", sentence.lower().strip()))


def _asks_by_form(lowered: str) -> bool:
    """Opens as only a question does, whatever its last mark."""
    plain = LEAD_IN.sub("", lowered.strip())
    return bool(INVERTED.match(plain) or WH.match(plain) or WHAT_IF.match(plain) or INDIRECT.search(plain)
                or ASKING.match(plain))


def announced(plain: str) -> bool:
    """A statement its own first words announce ("What happens with ties is simple: whoever got there first
    wins."): what follows the colon answers it and asks nothing, and no question mark ends it. "Quick question:
    do we need analytics." still asks."""
    found = ANNOUNCING.match(plain)
    return found is not None and not _asks_by_form(found.group("said"))


def is_clause(sentence: str) -> bool:
    """A relative clause standing as a sentence ("Which meant dealers were losing leads?"): the end of the
    sentence before it, never a question of its own."""
    lowered = _plain(sentence.lstrip(",;: "))
    return bool(RELATIVE.match(lowered)) and not WH_INVERTED.match(lowered) and not COMPARING.match(lowered)


def asked_part(question: str) -> str:
    """The question without a setting before it ("If an endpoint is down, how long do we keep retrying?" asks
    "how long do we keep retrying?"); the whole when no setting opens it or what follows does not ask."""
    found = SETTING.match(_plain(question))
    if found is None or not _asks_by_form(found.group("asked")):
        return question
    return question[len(question) - len(found.group("asked")):]


def loosely_asks(sentence: str, sheet: FactSheet) -> bool:
    """A question whisper wrote without its mark or with a misheard subject ("Can account be private.", "Should
    upload only happen on Wi-Fi or is mobile data fine too."), or one asked after a misheard start ("Our new
    priorities between messages and which channels do we send on."): taken only when the sheet knows about it."""
    plain = _plain(sentence)
    if is_clause(sentence) or CONDITION.match(plain) or announced(plain):
        return False
    if LOOSE.match(plain):
        return sheet.addressed(sentence)
    for joint in JOINED.finditer(sentence):
        tail = sentence[joint.end():].strip()
        asks = WH_ASKS.match(_plain(tail)) or INVERTED.match(_plain(tail)) or LOOSE.match(_plain(tail))
        if asks and sheet.addressed(tail):
            return True
    return False


def joined_clauses(sentences: Sequence[str]) -> list[str]:
    """The sentences with each clause put back onto the one before it; the whole asks only if that one did
    (whisper's question mark on the clause is its guess from a span heard without its start)."""
    whole: list[str] = []
    for sentence in sentences:
        if whole and is_clause(sentence):
            head = whole[-1]
            mark = "?" if head.rstrip().endswith("?") else "."
            clause = sentence.lstrip(",;: ").rstrip().rstrip(".?!")
            whole[-1] = f"{head.rstrip().rstrip('.?!,')}, {clause[0].lower()}{clause[1:]}{mark}"
        else:
            whole.append(sentence)
    return whole


def is_question(sentence: str) -> bool:
    """A sentence that asks: a question mark, a question put indirectly ("I'm wondering whether..."), or one
    that opens as only a question does ("Do we need...", "Which channels do we..."), which whisper sometimes writes
    with a full stop when the voice does not rise. A clause that opens as a question might ("which meant...")
    does not ask."""
    lowered = sentence.lower().strip()
    if is_clause(sentence):
        return False
    joint = CLAUSE_JOINT.search(lowered)
    if joint is not None and not _asks_by_form(lowered[:joint.start()]):
        return False  # a statement going on in a clause, whatever mark whisper put at its end
    plain = _plain(sentence)
    if CONDITION.match(plain) and not lowered.endswith("?"):
        return False  # "Should the cache die, the database takes the load."
    if announced(plain):
        return False  # "What happens with ties is simple: whoever got there first wins."
    return (lowered.endswith("?") or bool(INDIRECT.search(lowered)) or bool(INVERTED.match(plain))
            or bool(WH_ASKS.match(plain)) or bool(WHAT_IF.match(plain))
            or bool(WH.match(plain) and TO_YOU.search(plain)))


def asks_interviewer(sentence: str, sheet: FactSheet) -> bool:
    """A question put to the interviewer, not one the candidate asks themself on the way. In an experience
    answer, one the sheet knows nothing about must be put to the interviewer directly ("Can I...?")."""
    lowered = _plain(sentence)
    if sheet.addressed(sentence):
        return True
    asked = _plain(asked_part(sentence))
    if sheet.kind == Kind.EXPERIENCE:
        return bool(DIRECT.search(lowered) or DIRECT.search(asked))
    return bool(ASKING.search(lowered) or ASKING.search(asked))


def form_of(question: str) -> str | None:
    """What kind of question, for the words of a hand-back: "what_if", "assume", or None (any other)."""
    lowered = _plain(question)
    if WHAT_IF.match(lowered):
        return "what_if"
    if ASSUME.search(lowered):
        return "assume"
    return None


def trailing_questions(text: str, sheet: FactSheet) -> list[str]:
    """The questions at the end of what was said, several in a row counted as one breath; none when the
    last sentence is not a question put to the interviewer (the candidate went on, or asked themself)."""
    found: list[str] = []
    said = split_sentences(text)
    while len(said) > 1 and (len(said[-1].split()) <= STRAY_SHORT or
                             (len(said[-1].split()) <= STRAY_WORDS and said[-1][-1] not in ".?!")):
        said.pop()  # a word or two, or a few unpunctuated ones, at the very end: whisper writing into the pause
    said = _with_options(said)
    for sentence in reversed(joined_clauses(said)):
        if not (is_question(sentence) or loosely_asks(sentence, sheet)):
            break
        found.append(sentence)
    found.reverse()
    if not found or not asks_interviewer(found[-1], sheet):
        return []
    return [q for q in found if asks_interviewer(q, sheet)]


def _with_options(said: list[str]) -> list[str]:
    """The last sentence put back onto the question before it when it only lists that question's choices."""
    if len(said) < 2 or not said[-2].rstrip().endswith("?") or len(said[-1].split()) > OPTIONS_WORDS:
        return said
    options = said[-1].strip().rstrip(".?!")
    if not OPTIONS.match(_plain(options)):
        return said
    return [*said[:-2], f"{said[-2].rstrip().rstrip('?')}, {options[0].lower()}{options[1:]}?"]


def _opens_question(tail: str, sheet: FactSheet) -> bool:
    """Whether what follows an "and" is a question of its own: it opens as one, and either the sheet knows
    about it or it says so by its wh-word ("and what happens if one runs twice?")."""
    lowered = _plain(tail)
    if WHAT_IF.match(lowered) or WH_ASKS.match(lowered):
        return True
    return bool(INVERTED.match(lowered) or WH.match(lowered) or LOOSE.match(lowered)) and sheet.addressed(tail)


def _both_ask(head: str, tail: str) -> bool:
    """Two halves that each open as a question ("Can people pick their own link, and do the links ever go
    away?"): two questions, though the sheet knows only one; not a tail that asks about the head ("..., and
    is that fine?")."""
    tail_plain = _plain(tail)
    return bool(INVERTED.match(_plain(head)) and INVERTED.match(tail_plain) and not BACK.match(tail_plain)
                and len(tail.split()) >= 4)


def asked_in(question: str, sheet: FactSheet) -> list[str]:
    """The questions one sentence asks: "How many users should I plan for, and do we need custom aliases?" is two.

    Whisper writes two questions heard in one decoding as one sentence often enough (a quick hearing of two
    spans joined because the worker was busy, the transcript of a whole buffer), and the sheet answers one
    sentence with its one best match. It is split where "and" (or a comma after a question) joins on what is a
    question itself; never at "or", which joins the two sides of one question ("Should jobs recur, or are they
    one-off?").
    """
    for joint in JOINED.finditer(question):
        head, tail = question[:joint.start()].strip(), question[joint.end():].strip()
        if joint.group().strip() == ",":  # a comma alone joins two questions only after one ("..., do we need...")
            if not _asks_by_form(head.lower()) or len(head.split()) < 3:
                continue
        if len(head.split()) >= 3 and (_both_ask(head, tail) or _opens_question(tail, sheet)):
            return [head, *asked_in(tail, sheet)]
    return [question]

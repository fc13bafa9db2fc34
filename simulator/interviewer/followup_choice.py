"""Which follow-up to ask next: a pure function of the analysis so far, the question and the turns so far.

The plan (judging/followups.py) ranks every gap; this picks the first one not pressed yet, so each gap gets
one question and the next presses elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from simulator.config import TARGETS
from simulator.diagrams.diagram import Diagram
from simulator.interviewer import diagram_questions
from simulator.interviewer.factsheets import sheet_for
from simulator.judging.analysis import Analysis
from simulator.judging.design.figures import figures
from simulator.judging.design.model import Figure, Quote
from simulator.judging.followups import FollowUp, plan, plan_over_time
from simulator.questions import Question
from simulator.sessions.record import Role, Turn, TurnKind
from simulator.text import split_sentences
from simulator.vocab import Kind

TOLD = ("scale", "traffic", "data", "users")  # the sheet's answers that carry the figures a candidate designs for

CONSTRAINT_CHANGE = "constraint_change"

Shape = Callable[[list[FollowUp], list[str]], list[FollowUp]]  # bends the plan to the practice (tailoring.shape)


def asked_questions(turns: Sequence[Turn]) -> list[str]:
    """What the interviewer has asked so far: the prompt and the follow-ups."""
    return [t.text for t in turns if t.kind in (TurnKind.PROMPT, TurnKind.FOLLOWUP)]


def pressed_targets(turns: Sequence[Turn]) -> set[str]:
    """The gaps already pressed: each follow-up's target, and the constraint change once a requirement was
    changed mid-answer (an interjection with no target, but the same move)."""
    pressed = {t.target for t in turns if t.target is not None and t.target != CONSTRAINT_CHANGE}
    if any(t.kind == TurnKind.CHANGE for t in turns):
        pressed.add(CONSTRAINT_CHANGE)
    return pressed


def told_figures(question: Question, turns: Sequence[Turn]) -> list[Figure]:
    """The figures the interviewer stands behind: the question's fact sheet and every clarification reply, as
    plain figures for the design checks (a candidate's figure thirty times the sheet's is a day taken for a
    month)."""
    sheet = sheet_for(question.id, question.kind)
    texts = [sheet.answers[k] for k in TOLD if k in sheet.answers]
    texts += [t.text for t in turns if t.kind == TurnKind.CLARIFICATION]
    out: list[Figure] = []
    for text in texts:
        for sentence in split_sentences(text):
            out += figures(sentence, sentence.lower(), Quote(sentence))
    return out


def over_time(turns: Sequence[Turn], limit: float = TARGETS.max_seconds) -> bool:
    """The walkthrough, spoken and the only answer so far, ran past the time limit."""
    answers = [t for t in turns if t.role == Role.CANDIDATE]
    return len(answers) == 1 and answers[0].audio is not None and answers[0].seconds > limit


def choose_followup(analysis: Analysis, question: Question, turns: Sequence[Turn], seed: str,
                    shape: Shape | None = None, limit: float = TARGETS.max_seconds,
                    drawing: Diagram | None = None) -> FollowUp | None:
    """The most important question not yet asked, or None when every gap in the plan was pressed already.

    analysis: of everything the candidate has said so far; seed: the session's, so a session's phrasing
    is stable; limit: the walkthrough's time limit, past which running long is pressed first; drawing: the
    candidate's diagram, whose first finding not yet asked about comes next, once a session.
    """
    asked = asked_questions(turns)
    options = plan(analysis, question, asked, seed=seed, facts=told_figures(question, turns))
    pressed = pressed_targets(turns)
    if drawing is not None and question.kind == Kind.DESIGN and not any(
            t.kind == TurnKind.FOLLOWUP and (t.target or "").startswith(diagram_questions.TARGET_PREFIX)
            for t in turns):
        drawn = diagram_questions.followup(drawing, analysis, pressed)
        options = ([drawn] if drawn is not None else []) + options
    if over_time(turns, limit):
        options = plan_over_time(question, asked, seed) + options
    if shape is not None:
        options = shape(options, asked)
    fresh = [o for o in options if o.target not in pressed]  # one question per gap; press elsewhere next
    return fresh[0] if fresh else None

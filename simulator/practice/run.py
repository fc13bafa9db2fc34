"""From rehearse's practice options to the sessions to run: which questions, tailored how, and how typed
answers and answer files are shared out among a round's questions. Everything is checked here, before
any session folder exists."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from simulator.config import DEFAULT_LEVEL, DEFAULT_MODEL, ListenSettings, TranscribeSettings
from simulator.errors import UserError
from simulator.hearing.engines import DEFAULT_ENGINE
from simulator.judging.followups import FollowUp
from simulator.practice.tailoring import find_company, fitting, shape
from simulator.questions import Question
from simulator.sessions.context import Practice, RoundPlace
from simulator.vocab import Kind, Persona

ROUND_SEPARATOR = "---"  # between typed answers piped into a round, on a line of its own


@dataclass(frozen=True)
class Options:
    """The practice options of one rehearse command."""

    question_id: str | None = None
    kind: str | None = None
    role: str | None = None
    company: str | None = None
    level: str = "senior"
    drill: str | None = None
    round: int | None = None
    resume: Path | None = None
    keep_resume: bool = False


@dataclass(frozen=True)
class RehearsalOptions:
    """Everything one rehearse command was asked for, gathered once from its command line: each field is
    named as the command's parameter is, so click's arguments build it as they are."""

    question_id: str | None = None
    kind: str | None = None
    model: str = DEFAULT_MODEL
    engine: str = DEFAULT_ENGINE
    input_device: str | None = None
    output_device: str | None = None
    answer_files: tuple[Path, ...] = ()
    realtime: bool = False  # pace the answer files like a live microphone
    typed: bool = False
    no_voice: bool = False
    voice: str | None = None
    voice_model: Path | None = None
    max_seconds: float | None = None
    end_silence: float = ListenSettings.end_silence
    no_stream: bool = False
    keep_fillers: bool = False
    followups: int = 3
    resume_path: Path | None = None
    keep_resume: bool = False
    role: str | None = None
    company: str | None = None
    level: str = DEFAULT_LEVEL
    drill: str | None = None
    round_size: int | None = None
    interviewer: str = Persona.STANDARD
    headphones: bool = False
    decode_limit: int | None = None  # Whisper's tokens per 30 s, with no temperature fallback
    diagram: Path | None = None  # the candidate's own diagram file, watched while they answer
    trace: bool = False  # write each pipeline event with its time to the session's trace.jsonl
    home: Path | None = None

    @property
    def practice(self) -> Options:
        return Options(self.question_id, self.kind, self.role, self.company, self.level, self.drill, self.round_size,
                       self.resume_path, self.keep_resume)

    @property
    def stream(self) -> bool:
        """Transcribe while the candidate speaks, not only once the answer ends."""
        return not self.no_stream

    def listen(self, item: Planned) -> ListenSettings:
        """When a session's answers end: --max-seconds or the drill's own limit, whichever is shorter."""
        limit = min(x for x in (self.max_seconds, item.max_seconds) if x is not None) \
            if (self.max_seconds or item.max_seconds) else None
        return ListenSettings(end_silence=self.end_silence, max_seconds=limit, realtime=self.realtime,
                              reply_within=ListenSettings.reply_within if self.stream else None)

    def transcribe(self, item: Planned) -> TranscribeSettings:
        """How Whisper hears a session's answers, told common technology names and the words of its question."""
        return TranscribeSettings(model=self.model, sample_len=self.decode_limit,
                                  temperature_fallback=self.decode_limit is None, keep_fillers=self.keep_fillers,
                                  vocabulary=item.question.hearing_vocabulary)


@dataclass(frozen=True)
class Planned:
    """One session to run: its question as asked, what it is tailored to, and the answer time limit it sets."""

    question: Question
    practice: Practice
    max_seconds: float | None = None
    allowed: tuple[str, ...] | None = None  # the follow-up targets a drill allows
    answer_files: tuple[Path, ...] = ()
    resume_text: str | None = field(default=None, repr=False)  # kept with the session only on --keep-resume

    def shaper(self) -> Callable[[list[FollowUp], list[str]], list[FollowUp]]:
        practice, question, allowed = self.practice, self.question, self.allowed

        def bend(options: list[FollowUp], asked: list[str]) -> list[FollowUp]:
            return shape(options, practice, question, asked, allowed)

        return bend


def check(options: Options, answer_files: Sequence[Path], typed: bool) -> None:
    """The combinations that cannot work, refused in one sentence each."""
    if options.keep_resume and options.resume is None:
        raise UserError("--keep-resume keeps a résumé with the session; add --resume PATH or drop --keep-resume.")
    if options.round is not None and options.question_id is not None:
        raise UserError("--round picks its own questions; drop --question, or drop --round to answer that one.")
    if options.round is not None and options.drill is not None:
        raise UserError("--drill and --round are two ways to practise; use one of them.")
    if options.drill is not None and options.kind == Kind.EXPERIENCE:
        raise UserError("Drills are parts of a design answer; drop --kind experience or --drill.")
    if options.drill is not None and options.resume is not None:
        raise UserError("--resume builds experience questions and drills are parts of a design answer; "
                        "use one of them.")
    if options.resume is not None and options.kind == Kind.DESIGN and options.round is None:
        raise UserError("--resume builds experience questions; drop --kind design, or add --round N to mix them.")
    if options.company is not None:
        find_company(options.company)
    if options.round is not None and answer_files and len(answer_files) < options.round:
        raise UserError(f"--round {options.round} needs at least {options.round} --answer-file, one per question; "
                        f"{len(answer_files)} given.")


def plan_sessions(bank: list[Question], options: Options, answer_files: Sequence[Path] = (), typed: bool = False,
                  rng: random.Random | None = None) -> list[Planned]:
    """The sessions to run, in order, each with its question already tailored."""
    from simulator.practice.drill import drill_question, find_drill
    from simulator.questions import pick

    check(options, answer_files, typed)
    rng = rng or random.Random()
    drill = find_drill(options.drill) if options.drill is not None else None
    resume_questions: list[Question] = []
    resume_text = None
    if options.resume is not None:
        from simulator.practice.resume import read_resume
        from simulator.practice.resume import resume_questions as build

        resume = read_resume(options.resume.expanduser())
        resume_questions = build(resume)
        resume_text = resume.text if options.keep_resume else None
    count = options.round or 1
    questions: list[Question] = []
    if options.question_id is not None:
        questions = [pick(bank + resume_questions, options.question_id)]
    else:
        if resume_questions:
            questions.append(rng.choice(resume_questions))
        kind = options.kind or (Kind.DESIGN if drill is not None else None)
        pool = fitting(bank, options.role, options.company, kind)
        if not pool:
            raise UserError("No question fits those options; see `mock-interview questions` with the same "
                            "--role, --company and --kind.")
        rng.shuffle(pool)
        need = count - len(questions)
        if options.round is not None and options.kind is None and not resume_questions:
            # a real loop mixes them: the designs, then the walk-through of a system of your own
            designs = [q for q in pool if q.kind == Kind.DESIGN][:need - 1]
            pool = designs + [q for q in pool if q not in designs and q.kind == Kind.EXPERIENCE] + \
                [q for q in pool if q not in designs and q.kind == Kind.DESIGN]
        questions += pool[:need]
        if len(questions) < count:
            raise UserError(f"Only {len(questions)} questions fit those options, fewer than --round {count}; "
                            "ask for a smaller round or drop a filter.")
    round_id = f"round-{datetime.now():%Y%m%d-%H%M%S}" if options.round is not None else None
    shares = _share(list(answer_files), count)
    out = []
    for index, question in enumerate(questions, start=1):
        asked = drill_question(question, drill) if drill is not None else question
        practice = Practice(options.role, find_company(options.company).id if options.company else None,
                            options.level, drill.id if drill else None,
                            RoundPlace(round_id, index, count) if round_id else None,
                            question.source == "résumé")
        out.append(Planned(asked, practice, drill.seconds if drill else None, drill.steps if drill else None,
                           tuple(shares[index - 1]), resume_text if question.source == "résumé" else None))
    return out


def _share(files: list[Path], count: int) -> list[list[Path]]:
    """Answer files in order, as evenly as they go: the first questions take one more where they do not."""
    if not files:
        return [[] for _ in range(count)]
    base, extra = divmod(len(files), count)
    out, at = [], 0
    for i in range(count):
        size = base + (1 if i < extra else 0)
        out.append(files[at:at + size])
        at += size
    return out


def typed_answers(text: str) -> list[str]:
    """Typed answers piped in for a round, one per question, separated by lines of ---."""
    parts: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip() == ROUND_SEPARATOR:
            parts.append([])
        else:
            parts[-1].append(line)
    return ["\n".join(p) for p in parts]


def keep_resume(folder: Any, text: str) -> Path:
    """The résumé's text, kept with the session the user asked to keep it with."""
    path = folder.file("resume.txt")
    try:
        path.write_text(text, encoding="utf-8")
        path.chmod(0o600)
    except OSError as exc:
        raise UserError(f"Cannot keep the résumé in {path} ({exc.strerror}); the session itself is saved.") from None
    return path

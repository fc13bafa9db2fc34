"""The interview loop: ask, listen, transcribe, keep the session.

Every outside part arrives through the constructor, so the same loop runs
with real devices and Whisper from the CLI and with fakes in tests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from simulator.audio import AudioClip, write_wav
from simulator.config import TARGETS, ListenSettings
from simulator.errors import DeviceError
from simulator.hearing.endpoint import DEVICE_LOST, ENTER, SOURCE_ENDED, Endpointer
from simulator.hearing.vad import VoiceActivity
from simulator.interviewer.clarifications import reply, trailing_questions
from simulator.interviewer.factsheets import sheet_for
from simulator.interviewer.floor import Floor
from simulator.interviewer.midanswer import MidAnswer
from simulator.interviewer.timekeeper import Persona, Timekeeper
from simulator.judging.analysis import Analysis, analyze_segments, analyze_text
from simulator.judging.followups import FollowUp, acknowledgement, plan, plan_over_time
from simulator.ports import Clock, Microphone, Screen, Transcriber, Voice
from simulator.questions import Question
from simulator.sessions.record import Role, SessionRecord, Status, Transcript, TranscriptAnswer, Turn, TurnKind
from simulator.sessions.store import SessionFolder, Store
from simulator.transcript import Segment, text_of

INTERVIEWER = Role.INTERVIEWER
CANDIDATE = Role.CANDIDATE


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


@dataclass
class Answer:
    turn: Turn
    segments: list[Segment]
    reason: str
    analysis: Analysis | None = None
    dropped: int = 0
    silent_pieces: int = 0
    ended_at: float = 0.0  # clock time the candidate stopped, for the interviewer's reply latency
    transcribed: bool = False  # every piece is in; False while the last is still being transcribed
    fault: DeviceError | None = None  # the device failure that cut this answer short


class Interview:
    """One session: the question, the candidate's answer, and everything written to its folder."""

    folder: SessionFolder  # both exist from the start of run(), before anything is asked
    record: SessionRecord

    def __init__(
        self,
        *,
        store: Store,
        question: Question,
        voice: Voice,
        transcriber: Transcriber | None,
        clock: Clock,
        screen: Screen,
        microphone: Microphone | None = None,
        typist: Callable[[Callable[[str], None]], str] | None = None,
        listen: ListenSettings = ListenSettings(),
        enter: threading.Event | None = None,
        model_name: str | None = None,
        engine: str | None = None,
        followups: int = 0,
        answers_available: int | None = None,
        keep_fillers: bool = False,
        practice: dict[str, Any] | None = None,
        shape: Callable[[list[FollowUp], list[str]], list[FollowUp]] | None = None,
        headphones: bool = False,
        interviewer: str = "standard",
    ) -> None:
        if (microphone is None) == (typist is None):
            raise ValueError("give exactly one of microphone and typist")
        if microphone is not None and transcriber is None:
            raise ValueError("a spoken answer needs a transcriber")
        self.store = store
        self.question = question
        self.voice = voice
        self.transcriber = transcriber
        self.clock = clock
        self.screen = screen
        self.microphone = microphone
        self.typist = typist
        self.listen = listen
        self.enter = enter or threading.Event()
        self.model_name = model_name
        self.engine = engine
        self.followups = followups if answers_available is None else min(followups, answers_available - 1)
        self.keep_fillers = keep_fillers
        self.practice = practice  # kept in session.json: the role, company, level, drill or round
        self.shape = shape  # bends the follow-up plan to the practice (tailoring.shape)
        self.hearing = VoiceActivity(listen.speech_dbfs)  # one voice-activity pass per chunk, shared
        self.sheet = sheet_for(question.id, question.kind)
        self.floor = Floor(self.sheet, Timekeeper(Persona.named(interviewer), self.sheet.changes, question.id),
                           headphones=headphones, kind=question.kind)
        self.saved: SessionFolder | None = None  # the folder, once the session is saved in it
        self.answers: list[Answer] = []
        self._t0 = 0.0
        self._overflows_before = 0

    def run(self) -> SessionRecord:
        """Run the session; whatever stops it, the folder keeps what was recorded."""
        q = self.question
        self._started = self.clock.wall()
        with self.store.open(q.id, self._first_record, when=self._started) as (self.folder, self.record):
            self.saved = self.folder
            self._t0 = self.clock.now()
            self._overflows_before = self._overflows()
            with self._ending():
                self.ask(q.prompt, title=q.title, kind=TurnKind.PROMPT)
                answer = self._listen()
                for _ in range(self.followups):
                    followup = self.reply_to(answer)
                    if followup is None:
                        break
                    self.ask(followup.question, target=followup.target, answered_at=answer.ended_at,
                             kind=TurnKind.FOLLOWUP)
                    answer = self._listen()
                self.complete(answer)
        return self.record

    def _first_record(self, session_id: str) -> SessionRecord:
        q = self.question
        return SessionRecord(id=session_id, question={"id": q.id, "kind": q.kind, "text": q.prompt},
                             started_at=_iso(self._started), model=None if self.typist else self.model_name,
                             engine=None if self.typist else self.engine,
                             practice=self.practice)

    @contextmanager
    def _ending(self) -> Iterator[None]:
        """However the conversation ends, the record says how and when, and the transcript keeps what was
        heard: on Ctrl-C or a fault, the answer under way keeps whatever of it was already transcribed."""
        record = self.record
        try:
            yield
            record.status = Status.COMPLETE
        except BaseException:
            record.status = Status.INTERRUPTED
            if self.transcriber is not None:
                if self.answers and not self.answers[-1].transcribed:
                    self._keep_partial(self.answers[-1])
                self.transcriber.close()
            raise
        finally:
            record.ended_at = _iso(self.clock.wall())
            record.input_overflows = self._overflows() - self._overflows_before
            self.folder.save(record)
            self._save_transcript()

    def reply_to(self, answer: Answer) -> FollowUp | None:
        """The next question, chosen on every word of the answer, its last words included.

        The end of the answer is waited for only as long as a sharp interviewer takes to reply; if it is still
        being transcribed by then, the interviewer acknowledges at once ("Okay.") and asks when it is in.
        """
        if self.transcriber is not None and not answer.transcribed:
            if not self.transcriber.settle(self.listen.reply_within):
                self.acknowledge(answer)
        self.complete(answer)
        return self.next_followup()

    def acknowledge(self, answer: Answer) -> Turn:
        """A short acknowledgement, rendered while the candidate spoke; a turn of its own that asks nothing."""
        return self.ask(self._acknowledgement(), answered_at=answer.ended_at, kind=TurnKind.ACKNOWLEDGEMENT)

    def _acknowledgement(self) -> str:
        said = [t.text for t in self.record.turns if t.kind == TurnKind.ACKNOWLEDGEMENT]
        return acknowledgement(self.record.id, said)

    def _listen(self) -> Answer:
        """One answer; a device that failed during it ends the session, once what it caught is transcribed."""
        answer = self.answer()
        if answer.fault is not None:
            self.complete(answer)
            raise answer.fault
        return answer

    def _overflows(self) -> int:
        return self.microphone.overflows if self.microphone is not None else 0

    def next_followup(self) -> FollowUp | None:
        """The most important question not yet asked, judged on everything the candidate has said so far."""
        said = " ".join(t.text for t in self.record.turns if t.role == CANDIDATE)
        asked = [t.text for t in self.record.turns if t.kind in (TurnKind.PROMPT, TurnKind.FOLLOWUP)]
        options = plan(analyze_text(said, self.question.kind), self.question, asked, seed=self.record.id)
        answers = [t for t in self.record.turns if t.role == CANDIDATE]
        if len(answers) == 1 and answers[0].audio is not None and answers[0].seconds > TARGETS.max_seconds:
            options = plan_over_time(self.question, asked, self.record.id) + options
        if self.shape is not None:
            options = self.shape(options, asked)
        pressed = {t.target for t in self.record.turns if t.target not in (None, "constraint_change")}
        if any(t.kind == TurnKind.CHANGE for t in self.record.turns):
            pressed.add("constraint_change")  # a requirement was changed mid-answer already
        fresh = [o for o in options if o.target not in pressed]  # one question per gap; press elsewhere next
        return fresh[0] if fresh else None

    def ask(self, text: str, title: str = "", target: str | None = None, answered_at: float | None = None,
            kind: TurnKind = TurnKind.PROMPT, reason: str | None = None, at: float | None = None) -> Turn:
        """The interviewer speaks; the rendered voice is kept for replay, and how long the reply took.

        at: where on the session clock a mid-answer turn starts (the answer's own clock, which a recorded
        answer played faster than real time keeps too); otherwise when the voice is heard.
        """
        self.screen.question(title, text)
        started: list[float] = []
        before = self.clock.now()
        clip = self.voice.say(text, on_start=lambda: started.append(self.clock.now()))
        heard = started[0] if started else self.clock.now()
        start = at + (heard - before) if at is not None else max(heard - self._t0, self._last_end())
        turn = self.keep_turn(text, clip, start, kind, reason, target)
        if answered_at is not None:
            turn.reply_latency = round(max(0.0, heard - answered_at), 3)
            self.folder.save(self.record)
        return turn

    def keep_turn(self, text: str, clip: AudioClip | None, start: float, kind: TurnKind, reason: str | None = None,
                  target: str | None = None) -> Turn:
        """An interviewer turn into the session, its voice kept beside it for replay."""
        number = sum(t.role == INTERVIEWER for t in self.record.turns) + 1
        audio = None
        if clip is not None:
            audio = f"prompt-{number:02d}.wav"
            write_wav(self.folder.file(audio), clip.samples, clip.rate)
        end = start + clip.seconds if clip is not None else max(start, self._elapsed())
        turn = Turn(INTERVIEWER, text, audio, round(start, 3), round(end, 3), target, kind=kind, reason=reason)
        self.record.turns.append(turn)
        self.folder.save(self.record)
        return turn

    def answer(self) -> Answer:
        """Record one answer; its transcript may still be finishing when this returns (see complete)."""
        if self.transcriber is not None:
            self.transcriber.check()
        number = sum(t.role == CANDIDATE for t in self.record.turns) + 1
        answer = self._typed_answer(number) if self.typist is not None else self._spoken_answer(number)
        self.answers.append(answer)
        self.folder.save(self.record)
        return answer

    def complete(self, answer: Answer) -> None:
        """The whole transcript of an answer, and its analysis, into the session."""
        if answer.analysis is not None:
            return
        if self.transcriber is not None and not answer.transcribed:
            if not self.transcriber.settle(0):
                self.screen.notice("Transcribing the rest of the answer...")
            done = self.transcriber.finish()
            answer.segments = done.segments
            answer.turn.text = text_of(answer.segments)
            answer.dropped, answer.silent_pieces = done.dropped, done.skipped_pieces
            answer.transcribed = True
        asked = self.record.asked_before(answer.turn)  # a reply is judged against its question
        analysis = (analyze_segments(answer.segments, self.question.kind, asked) if answer.segments
                    else analyze_text(answer.turn.text, self.question.kind, asked))
        answer.analysis = answer.turn.analysis = analysis
        self.folder.save(self.record)

    def _keep_partial(self, answer: Answer) -> None:
        """Stopped before the last piece was in: keep what was transcribed rather than nothing."""
        answer.segments = self.transcriber.partial()
        answer.turn.text = text_of(answer.segments)

    def _typed_answer(self, number: int) -> Answer:
        start = self._timeline()
        turn = Turn(CANDIDATE, "", None, round(start, 3), round(start, 3))
        self.record.turns.append(turn)
        self.screen.notice(f"Type answer {number}; an empty line finishes it.")
        turn.text = " ".join(self.typist(self._typed_line).split())
        turn.end = round(max(start, self._elapsed(), self._last_end()), 3)
        return Answer(turn, [], "typed", ended_at=self.clock.now(), transcribed=True)

    def _typed_line(self, line: str) -> None:
        """A typed line that asks the interviewer something gets its answer printed; typing goes on."""
        questions = trailing_questions(line, self.sheet)
        if questions:
            answered = reply(questions, self.sheet)
            self.ask(answered.text, kind=TurnKind.CLARIFICATION, reason=f"asked: \"{' '.join(questions)}\"",
                     at=self._timeline())

    def _spoken_answer(self, number: int) -> Answer:
        from simulator.audio import WavWriter

        name = f"answer-{number:02d}.wav"
        start = self._timeline()
        turn = Turn(CANDIDATE, "", name, round(start, 3), round(start, 3))
        self.record.turns.append(turn)
        self.folder.save(self.record)  # a crash from here on leaves a turn that names its audio
        endpointer = Endpointer(self.listen, self.hearing)
        self.floor.begin(walkthrough=number == 1)
        talk = MidAnswer(self, turn, endpointer)
        self.enter.clear()
        reason = SOURCE_ENDED
        writer = WavWriter(self.folder.file(name))
        chunks = self.microphone.chunks()
        ahead = self._asked_followups() < self.followups  # a follow-up will come: get it ready while they talk
        heard = 0
        overflows = self._overflows()
        fault = None
        try:
            for index, chunk in enumerate(chunks):
                chunk = self.hearing.hear(chunk)
                if index == 0:
                    began = self.clock.now() - chunk.end
                    self.screen.listening(number)
                    if ahead:
                        self.voice.prepare(self._acknowledgement())
                writer.write(chunk.samples)  # the recording is whole: the interviewer's voice too
                talk.hear(chunk)
                heard_chunk = self.floor.hear(chunk)
                self.transcriber.feed(heard_chunk)
                self.screen.progress(chunk.end, chunk.level_dbfs)
                ended = endpointer.update(heard_chunk) or (ENTER if self.enter.is_set() else None)
                if ended:
                    reason = ended
                    break
                said = None if talk.speaking else self.floor.at_pause(self.transcriber.partial(),
                                                                         self.clock.now() - began,
                                                                         self.transcriber.heard)
                if said is not None:
                    talk.say(said, chunk.end)
                if ahead:
                    heard = self._prepare_followup(turn, heard)
        except DeviceError as exc:  # the audio so far is still worth transcribing and keeping
            fault, reason = exc, DEVICE_LOST
            talk.close(abort=True)
        except BaseException:
            talk.close(abort=True)
            raise
        finally:
            talk.close()
            chunks.close()
            writer.close()
            turn.end = round(start + writer.seconds, 3)
            self.folder.save(self.record)
        ended_at = self.clock.now()
        self.transcriber.flush()
        self.screen.answer_done(writer.seconds, reason)
        if self._overflows() > overflows:
            self.screen.warn(f"The computer fell behind the microphone {self._overflows() - overflows} times "
                             "in this answer, so a little audio is missing; close busy programs and try again.")
        return Answer(turn, [], reason, ended_at=ended_at, fault=fault)

    def _prepare_followup(self, turn: Turn, heard: int) -> int:
        """Whenever more of the answer is transcribed, choose the follow-up again and have the voice ready."""
        segments = self.transcriber.partial() if self.transcriber is not None else []
        if len(segments) == heard:
            return heard
        turn.text = text_of(segments)
        followup = self.next_followup()
        if followup is not None:
            self.voice.prepare(followup.question)
            self.voice.prepare(self._acknowledgement())  # kept ready beside it
        return len(segments)

    def _asked_followups(self) -> int:
        return sum(t.role == INTERVIEWER and t.target is not None for t in self.record.turns)

    def _last_end(self) -> float:
        return max((t.end for t in self.record.turns), default=0.0)

    def _elapsed(self) -> float:
        return self.clock.now() - self._t0

    def _timeline(self) -> float:
        """Where the next turn starts: now, but never before the last turn's audio ended."""
        return max(self._elapsed(), self._last_end())

    def _save_transcript(self) -> None:
        answers: list[TranscriptAnswer | None] = [
            TranscriptAnswer(answer.turn.audio, answer.turn.start, answer.turn.text, answer.segments, answer.reason,
                             answer.dropped, answer.silent_pieces) for answer in self.answers]
        if answers:
            self.folder.save_transcript(Transcript(answers, self.record.model if self.record else None,
                                                   self.keep_fillers))

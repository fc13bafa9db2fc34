"""The interview loop: ask, listen, transcribe, keep the session.

Every outside part arrives through the constructor, so the same loop runs
with real devices and Whisper from the CLI and with fakes in tests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from simulator.audio import WavWriter
from simulator.config import ListenSettings
from simulator.diagrams.diagram import Diagram
from simulator.diagrams.watch import DIAGRAM_FOLDER
from simulator.errors import DeviceError
from simulator.hearing.endpoint import CLOSING_CUE, DEVICE_LOST, SOURCE_ENDED
from simulator.hearing.vad import VoiceActivity
from simulator.interviewer.asking import trailing_questions
from simulator.interviewer.clarifications import reply
from simulator.interviewer.factsheets import sheet_for
from simulator.interviewer.floor import Floor
from simulator.interviewer.followup_choice import choose_followup
from simulator.interviewer.options import Conduct, Devices, SessionInfo
from simulator.interviewer.recorder import Ahead, AnswerRecorder, Live
from simulator.interviewer.session_log import Answer, SessionLog
from simulator.interviewer.speaker import Speaker
from simulator.interviewer.timekeeper import Persona, Timekeeper
from simulator.interviewer.turn_end import turn_options
from simulator.judging.analysis import analyze_segments, analyze_text
from simulator.judging.followups import FollowUp, acknowledgement
from simulator.questions import Question
from simulator.sessions.record import SessionRecord, Status, Turn, TurnKind
from simulator.sessions.store import SessionFolder, Store
from simulator.vocab import Traced

TRACE_FILE = "trace.jsonl"  # --trace: each pipeline event with its time, in the session folder


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


class Interview:
    """One session: the question, the candidate's answer, and everything written to its folder."""

    log: SessionLog  # exists from the start of run(), before anything is asked

    def __init__(self, store: Store, question: Question, devices: Devices, listen: ListenSettings = ListenSettings(),
                 info: SessionInfo = SessionInfo(), conduct: Conduct = Conduct()) -> None:
        self.store = store
        self.question = question
        self.voice = devices.voice
        self.transcriber = devices.transcriber
        self.clock = devices.clock
        self.screen = devices.screen
        self.microphone = devices.microphone
        self.typist = devices.typist
        self.enter = devices.enter or threading.Event()
        self.diagram = devices.diagram
        self.listen = listen
        self.info = info
        self.followups = conduct.questions
        self.shape = conduct.shape
        self.hearing = VoiceActivity(listen.speech_dbfs)  # one voice-activity pass per chunk, shared
        self.sheet = sheet_for(question.id, question.kind)
        timekeeper = Timekeeper(Persona.named(conduct.persona), self.sheet.changes, question.id,
                                settings=conduct.settings)
        self.floor = Floor(self.sheet, timekeeper, headphones=conduct.headphones, kind=question.kind,
                           settings=conduct.settings, drawing=self.drawing)
        self.trace = devices.trace
        self.speaker = Speaker(self.voice, self.screen, self.clock, self.trace)
        self.turns = turn_options(conduct.persona)
        self.saved: SessionFolder | None = None  # the folder, once the session is saved in it
        self._overflows_before = 0
        self._unfinished: Answer | None = None  # asked on before its transcript was in (reply_to)

    @property
    def folder(self) -> SessionFolder:
        return self.log.folder

    @property
    def record(self) -> SessionRecord:
        return self.log.record

    @property
    def answers(self) -> list[Answer]:
        return self.log.answers

    def run(self) -> SessionRecord:
        """Run the session; whatever stops it, the folder keeps what was recorded."""
        q = self.question
        self._started = self.clock.wall()
        with self.store.open(q.id, self._first_record, when=self._started) as (folder, record):
            self.saved = folder
            self.log = SessionLog(folder, record, self.clock)
            self.trace.begin(folder.file(TRACE_FILE), self.log.t0)
            self._overflows_before = self._overflows()
            if self.diagram is not None:  # drawings are timed on the session clock and kept with the session
                self.diagram.begin(self.log.elapsed, folder.file(DIAGRAM_FOLDER)).start()
            with self._ending():
                self._asking(lambda: self.ask(q.prompt, title=q.title, kind=TurnKind.PROMPT))
                answer = self._listen()
                for _ in range(self.followups):
                    if answer.replied is None:  # else put already, while the microphone stayed open (window.py)
                        followup = self.reply_to(answer)
                        if followup is None:
                            break
                        self._asking(lambda: self.ask(followup.question, target=followup.target,
                                                      answered_at=answer.ended_at, kind=TurnKind.FOLLOWUP,
                                                      reason=followup.reason))
                    # asked on its last words as heard, its transcript may still be finishing: it is completed once
                    # the microphone is open for the reply, so nothing the candidate says meanwhile is lost
                    self._unfinished = answer
                    answer = self._listen()
                self.complete(answer)
        return self.record

    def _first_record(self, session_id: str) -> SessionRecord:
        q = self.question
        return SessionRecord(id=session_id, question={"id": q.id, "kind": q.kind, "text": q.prompt},
                             started_at=_iso(self._started), model=None if self.typist else self.info.model_name,
                             engine=None if self.typist else self.info.engine,
                             practice=self.info.practice)

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
                unfinished = self._unfinished or (self.answers[-1] if self.answers else None)
                if unfinished is not None and not unfinished.transcribed:
                    self._keep_partial(unfinished)
                self.transcriber.close()
            raise
        finally:
            if self.diagram is not None:
                self.diagram.stop()
            record.ended_at = _iso(self.clock.wall())
            record.input_overflows = self._overflows() - self._overflows_before
            self.log.save()
            self.log.save_transcript(self.info.keep_fillers)
            self.trace.close()

    def reply_to(self, answer: Answer) -> FollowUp | None:
        """The next question, chosen on every word of the answer, its last words included.

        The last words are taken as the quick hearing heard them when the transcript is not in yet, so the
        question need not wait for the last piece's decoding; the transcript follows for the report (the
        caller completes the answer). When even the quick hearing lags past the time a sharp interviewer
        takes to reply, the interviewer acknowledges at once ("Okay.") and asks when the transcript is in.
        """
        draft = None
        if self.transcriber is not None and not answer.transcribed:
            draft = self.transcriber.draft(self.listen.reply_within)
            if draft is None and not answer.acknowledged:
                self.acknowledge(answer)
        heard = draft is not None and not self.transcriber.settle(0)
        if heard:
            self.log.draft(answer.turn, draft)
        else:
            self.complete(answer)
        followup = self.next_followup()
        self.trace.event(Traced.FOLLOWUP, target=followup.target if followup is not None else None,
                         on="heard" if heard else "transcript")
        return followup

    def acknowledge(self, answer: Answer) -> Turn:
        """A short acknowledgement, rendered while the candidate spoke; a turn of its own that asks nothing."""
        return self.ask(self._acknowledgement(), answered_at=answer.ended_at, kind=TurnKind.ACKNOWLEDGEMENT)

    def _acknowledgement(self) -> str:
        return acknowledgement(self.record.id, self.log.acknowledgements())

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
        analysis = analyze_text(self.log.said(), self.question.kind)
        return choose_followup(analysis, self.question, self.record.turns, seed=self.record.id, shape=self.shape,
                               drawing=self.drawing())

    def _followup_choice(self) -> Callable[[], FollowUp | None]:
        """next_followup on what was said so far, taken now, to run on another thread while the answer goes on."""
        said, turns, question = self.log.said(), list(self.record.turns), self.question
        seed, shape, drawing = self.record.id, self.shape, self.drawing()
        return lambda: choose_followup(analyze_text(said, question.kind), question, turns, seed=seed, shape=shape,
                                       drawing=drawing)

    def drawing(self) -> Diagram | None:
        """The candidate's diagram as last saved; None when they draw none."""
        latest = self.diagram.latest if self.diagram is not None else None
        return latest.diagram if latest is not None else None

    def _asking(self, ask: Callable[[], Turn]) -> None:
        """A question an answer follows: the microphone is opened before it and the answer starts as it ends,
        so nothing said the moment it is shown waits for the device to open (a busy machine lost the first words
        of answers begun as the question appeared)."""
        if self.microphone is not None:
            self.microphone.open_ahead()
        ask()
        if self.microphone is not None:
            self.microphone.answer_from_now()

    def ask(self, text: str, title: str = "", target: str | None = None, answered_at: float | None = None,
            kind: TurnKind = TurnKind.PROMPT, reason: str | None = None, at: float | None = None) -> Turn:
        """The interviewer speaks; the rendered voice is kept for replay, and how long the reply took.

        at: where on the session clock a mid-answer turn starts (the answer's own clock, which a recorded
        answer played faster than real time keeps too); otherwise when the voice is heard.
        """
        spoken = self.speaker.say(text, title)
        start = (at + (spoken.heard - spoken.before) if at is not None
                 else max(spoken.heard - self.log.t0, self.log.last_end()))
        turn = self.log.keep_turn(text, spoken.clip, start, kind, reason, target)
        if answered_at is not None:
            self.log.reply_latency(turn, spoken.heard - answered_at)
        return turn

    def answer(self) -> Answer:
        """Record one answer; its transcript may still be finishing when this returns (see complete)."""
        if self.transcriber is not None:
            self.transcriber.check()
        number = self.log.answer_number()
        answer = self._typed_answer(number) if self.typist is not None else self._spoken_answer(number)
        self.log.answers.append(answer)
        self.log.save()
        return answer

    def _complete_unfinished(self) -> None:
        """The answer before this one, asked on before its transcript was in, completed now, quietly: the
        candidate is already on the next answer."""
        answer, self._unfinished = self._unfinished, None
        if answer is not None:
            self.complete(answer, quiet=True)

    def complete(self, answer: Answer, quiet: bool = False) -> None:
        """The whole transcript of an answer, and its analysis, into the session."""
        if answer.analysis is not None:
            return
        if self.transcriber is not None and not answer.transcribed:
            if not self.transcriber.settle(0) and not quiet:
                self.screen.notice("Transcribing the rest of the answer...")
            done = self.transcriber.finish()
            self.trace.event(Traced.TRANSCRIBED, waited=self.clock.now() - answer.ended_at)
            self.log.transcribed(answer, done.segments, done.dropped, done.skipped_pieces)
        asked = self.record.asked_before(answer.turn)  # a reply is judged against its question
        analysis = (analyze_segments(answer.segments, self.question.kind, asked) if answer.segments
                    else analyze_text(answer.turn.text, self.question.kind, asked))
        self.log.analysed(answer, analysis)

    def _keep_partial(self, answer: Answer) -> None:
        """Stopped before the last piece was in: keep what was transcribed rather than nothing."""
        self.log.kept_partial(answer, self.transcriber.partial())

    def _typed_answer(self, number: int) -> Answer:
        turn = self.log.open_answer(None)
        self.screen.notice(f"Type answer {number}; an empty line finishes it.")
        turn.text = " ".join(self.typist(self._typed_line).split())
        turn.end = round(max(turn.start, self.log.timeline()), 3)
        return Answer(turn, [], "typed", ended_at=self.clock.now(), transcribed=True)

    def _typed_line(self, line: str) -> None:
        """A typed line that asks the interviewer something gets its answer printed; typing goes on."""
        questions = trailing_questions(line, self.sheet)
        if questions:
            answered = reply(questions, self.sheet)
            self.ask(answered.text, kind=TurnKind.CLARIFICATION, reason=f"asked: \"{' '.join(questions)}\"",
                     at=self.log.timeline())

    def _spoken_answer(self, number: int) -> Answer:
        name = f"answer-{number:02d}.wav"
        turn = self.log.open_answer(name)
        ahead = None
        if self.log.asked_followups() < self.followups:  # a follow-up will come: get it ready while they talk
            ahead = Ahead(self._followup_choice, self._acknowledgement)
        writer = WavWriter(self.folder.file(name))
        recorder = AnswerRecorder(self._live(), self.log, turn, writer, number, ahead)
        self.enter.clear()
        reason: str = SOURCE_ENDED
        chunks = self.microphone.chunks()
        overflows = self._overflows()
        fault = None
        try:
            for chunk in chunks:
                self._complete_unfinished()  # the microphone is open: what is said meanwhile waits in its queue
                ended = recorder.step(chunk)
                if ended:
                    reason = ended
                    break
        except DeviceError as exc:  # the audio so far is still worth transcribing and keeping
            fault, reason = exc, DEVICE_LOST
            recorder.close(abort=True)
        except BaseException:
            recorder.close(abort=True)
            raise
        finally:
            if recorder.announced and reason == SOURCE_ENDED:  # it ran out in the window after a closing cue
                reason = CLOSING_CUE
            recorder.close()
            chunks.close()
            writer.close()
            self.log.end_answer(turn, turn.start + writer.seconds)
        self._complete_unfinished()  # a microphone that gave nothing
        ended_at = recorder.ended_at if recorder.ended_at is not None else self.clock.now()
        if not recorder.announced:  # an end on a closing sentence was said when its pause ran out
            self.trace.event(Traced.ANSWER_END, reason=reason, at=writer.seconds)
            self.transcriber.flush()
            self.screen.answer_done(writer.seconds, reason)
        if self._overflows() > overflows:
            self.screen.warn(f"The computer fell behind the microphone {self._overflows() - overflows} times "
                             "in this answer, so a little audio is missing; close busy programs and try again.")
        return Answer(turn, [], reason, ended_at=ended_at, fault=fault, resumed=list(recorder.watch.resumes),
                      replied=recorder.replied, acknowledged=recorder.watch.acknowledged)

    def _live(self) -> Live:
        assert self.transcriber is not None  # a spoken answer has one (checked in the constructor)
        return Live(self.speaker, self.transcriber, self.hearing, self.floor, self.listen, self.enter,
                    trace=self.trace, turns=self.turns)

"""The answer so far, analysed on a thread of its own, so the audio thread never waits on a whole analysis.

Work is handed over when more of the answer is transcribed (which happens at pauses, where pieces are cut),
once per new stretch of transcript; whoever needs a result asks for the one of the transcript it has, which
is usually done by the time the pause is long enough to speak into.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from simulator.judging.analysis import Analysis, analyze_segments
from simulator.transcript import Segment

T = TypeVar("T")
WAIT_SECONDS = 30.0  # a result never comes later than this: an analysis is milliseconds, a long one a second


class Analyst:
    """One answer's background analysis: one worker, one analysis per length of the transcript so far."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="answer-analysis")
        self._analysed: tuple[int, Future[Analysis | None]] | None = None

    def analyse(self, segments: Sequence[Segment]) -> Future[Analysis | None]:
        """The analysis of these segments (the transcript so far, which only grows), started if it is new."""
        if self._analysed is None or self._analysed[0] != len(segments):
            snapshot = list(segments)
            self._analysed = (len(snapshot), self._pool.submit(self._analysis, snapshot))
        return self._analysed[1]

    def analysis(self, segments: Sequence[Segment]) -> Analysis | None:
        """The analysis of these segments, waiting for it only if it is not done yet."""
        return self.analyse(segments).result(WAIT_SECONDS)

    def run(self, job: Callable[[], T]) -> Future[T]:
        """Other work on the same thread, after what was handed over before it."""
        return self._pool.submit(job)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _analysis(self, segments: list[Segment]) -> Analysis | None:
        return analyze_segments(segments, self.kind) if segments else None

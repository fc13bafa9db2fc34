"""The terminal: the question, a live timer against the 8–12 minute target, short notices."""

from __future__ import annotations

import sys
import threading

from rich.console import Console, Group
from rich.live import Live
from rich.panel import Panel
from rich.text import Text

from simulator.config import TARGETS, TimingTargets, format_duration

METER_WIDTH = 24
UPDATE_SECONDS = 0.25


class RichScreen:
    """A live panel at a terminal; plain lines when the output is a pipe or a file."""

    def __init__(self, console: Console | None = None, err: Console | None = None,
                 targets: TimingTargets = TARGETS, enter_hint: bool = True) -> None:
        self.console = console or Console(highlight=False)
        self.err = err or Console(stderr=True, highlight=False)
        self.targets = targets
        self.enter_hint = enter_hint
        self._live: Live | None = None
        self._last_update = -1.0
        self._next_minute = 60.0

    def question(self, title: str, text: str) -> None:
        self.console.print()
        self.console.print(Panel(text, title=f"[bold]Interviewer[/] · {title}" if title else "[bold]Interviewer[/]",
                                 title_align="left", border_style="cyan"))

    def listening(self, turn: int) -> None:
        how = "press Enter when you are done" if self.enter_hint else "stop talking to finish"
        self.console.print(f"Listening for answer {turn} ({how}).", soft_wrap=True)
        self._next_minute = 60.0
        if self.console.is_terminal:
            self._live = Live(self._panel(0.0, -120.0), console=self.console, refresh_per_second=4, transient=True)
            self._live.start()

    def progress(self, seconds: float, level_dbfs: float) -> None:
        if self._live is not None:
            if seconds - self._last_update >= UPDATE_SECONDS or seconds < self._last_update:
                self._last_update = seconds
                self._live.update(self._panel(seconds, level_dbfs))
        elif seconds >= self._next_minute:
            index, phase = self.targets.phase_at(seconds)
            self.console.print(f"  {format_duration(seconds)} elapsed · budget says: {phase.name}")
            self._next_minute += 60.0

    def answer_done(self, seconds: float, reason: str) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
        self.console.print(f"Answer ended ({reason}) after {format_duration(seconds)}.")

    def notice(self, message: str) -> None:
        self.console.print(message, soft_wrap=True)

    def warn(self, message: str) -> None:
        self.err.print(f"[yellow]warning:[/] {message}", soft_wrap=True)

    def _panel(self, seconds: float, level_dbfs: float) -> Panel:
        t = self.targets
        low, high = f"{t.min_seconds / 60:g}", f"{t.max_seconds / 60:g}"
        verdict = (f"[green]in the {low}–{high} min window[/]" if t.min_seconds <= seconds <= t.max_seconds else
                   f"[red]past {high} min: wrap up with a summary[/]" if seconds > t.max_seconds else
                   f"[dim]{format_duration(t.min_seconds - seconds)} to the {low} min mark[/]")
        clock = Text.from_markup(f"[bold]{format_duration(seconds)}[/]  target {t.window}  {verdict}")
        return Panel(Group(clock, self._phases(seconds), self._meter(level_dbfs)), title="Answer",
                     title_align="left", border_style="green")

    def _phases(self, seconds: float) -> Text:
        current, _ = self.targets.phase_at(seconds)
        line = Text()
        edge = 0.0
        for index, phase in enumerate(self.targets.phases):
            start, edge = edge, edge + phase.minutes * 60
            style = "bold reverse" if index == current else ("dim" if seconds < start else "")
            line.append(f" {phase.name} {int(start // 60)}–{int(edge // 60)}m ", style=style)
            line.append(" ")
        return line

    def _meter(self, level_dbfs: float) -> Text:
        filled = int(max(0.0, min(1.0, (level_dbfs + 60.0) / 60.0)) * METER_WIDTH)
        return Text("mic " + "█" * filled + "░" * (METER_WIDTH - filled), style="green" if filled else "dim")


class EnterWatcher:
    """Sets an event each time Enter is pressed at the terminal, without blocking the loop."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> threading.Event:
        if sys.stdin is not None and sys.stdin.isatty() and self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="enter-watcher", daemon=True)
            self._thread.start()
        return self.event

    def _watch(self) -> None:
        for _ in sys.stdin:
            self.event.set()

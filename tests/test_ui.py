"""What the candidate sees: the live timer at a terminal, plain lines in a pipe."""

from __future__ import annotations

import io

from rich.console import Console

from simulator.cli.ui import RichScreen


def screen(terminal: bool) -> tuple[RichScreen, io.StringIO]:
    out = io.StringIO()
    console = Console(file=out, force_terminal=terminal, width=100, color_system=None)
    return RichScreen(console=console, err=console), out


def test_the_live_panel_shows_the_timer_target_and_budget_phase() -> None:
    s, out = screen(terminal=True)
    panel = s._panel(3 * 60 + 5, -20.0)
    Console(file=out, width=120, color_system=None).print(panel)
    text = out.getvalue()
    assert "3:05" in text and "target 8:00–12:00" in text and "4:55 to the 8 min mark" in text
    assert "High-level architecture 2–5m" in text


def test_past_twelve_minutes_the_panel_says_to_wrap_up() -> None:
    s, out = screen(terminal=True)
    Console(file=out, width=120, color_system=None).print(s._panel(12 * 60 + 30, -20.0))
    assert "past 12 min: wrap up with a summary" in out.getvalue()


def test_in_a_pipe_progress_is_a_line_a_minute() -> None:
    s, out = screen(terminal=False)
    s.listening(1)
    for tenth in range(0, 1300):
        s.progress(tenth / 10, -30.0)
    s.answer_done(130.0, "silence")
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Listening for answer 1")
    assert [line.split(" elapsed")[0].strip() for line in lines if "elapsed" in line] == ["1:00", "2:00"]
    assert "Answer ended (silence) after 2:10." in lines[-1]


def test_at_a_terminal_the_live_view_starts_and_stops() -> None:
    s, out = screen(terminal=True)
    s.listening(1)
    for tenth in range(0, 50):
        s.progress(tenth / 10, -30.0)
    s.answer_done(5.0, "enter")
    assert "Answer ended (enter) after 0:05." in out.getvalue()

"""report.html: one self-contained page to see, hear and click through a session, working from file://.

The whole conversation is one audio track on the session clock (each prompt and answer placed at its turn's
start, silence where a file is missing), so a transcript line's time is the audio's time. It is embedded as
FLAC in a data: URI: the page stays one file that can be moved or kept on its own, FLAC keeps the voice
lossless at about half the size of WAV, and the pauses between turns cost almost nothing.

Nothing from a transcript, question or file name reaches the page unescaped, the one script is static and
allowed by its hash, and the Content-Security-Policy lets nothing else run or load.
"""

from __future__ import annotations

import base64
import io
from html import escape
from pathlib import Path

from simulator.config import PACE_BAND, format_duration
from simulator.judging.analysis import Analysis
from simulator.judging.rubric import target_title
from simulator.review.pages import page
from simulator.review.review import PACE_BIN_SECONDS, VERDICT_MARKS, Review, budget_plan, timeline_seconds
from simulator.review.svg import COLOURS, NONE_COLOUR, Bar, bars, line_chart
from simulator.sessions.store import write_page
from simulator.vocab import Kind

REPORT_FILE = "report.html"
SCRIPT = """
(function () {
  var audio = document.getElementById("conversation");
  var lines = Array.prototype.slice.call(document.querySelectorAll("#transcript li[data-start]"));
  var shown = null;
  function lineAt(t) {
    var found = null;
    for (var i = 0; i < lines.length; i++) {
      if (parseFloat(lines[i].getAttribute("data-start")) <= t + 0.05) { found = lines[i]; } else { break; }
    }
    return found;
  }
  function highlight(line) {
    if (line === shown) { return; }
    if (shown) { shown.classList.remove("current"); shown.removeAttribute("aria-current"); }
    shown = line;
    if (line) {
      line.classList.add("current");
      line.setAttribute("aria-current", "true");
      line.scrollIntoView({block: "nearest"});
    }
  }
  function seek(line) {
    var t = parseFloat(line.getAttribute("data-start"));
    highlight(line);
    if (!audio) { return; }
    audio.currentTime = t;
    var playing = audio.play();
    if (playing && playing.catch) { playing.catch(function () {}); }
  }
  lines.forEach(function (line) {
    line.addEventListener("click", function () { seek(line); });
    line.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); seek(line); }
    });
  });
  Array.prototype.slice.call(document.querySelectorAll("button[data-seek]")).forEach(function (button) {
    button.addEventListener("click", function () {
      var line = lineAt(parseFloat(button.getAttribute("data-seek")));
      if (line) { seek(line); }
    });
  });
  var slider = document.getElementById("diagram-at");
  if (slider) {
    var drawings = Array.prototype.slice.call(document.querySelectorAll("#diagram figure.snapshot"));
    var when = document.getElementById("diagram-when");
    slider.addEventListener("input", function () {
      var chosen = parseInt(slider.value, 10);
      drawings.forEach(function (d, i) { d.hidden = i !== chosen; });
      var at = parseFloat(drawings[chosen].getAttribute("data-at"));
      if (when) { when.textContent = Math.floor(at / 60) + ":" + ("0" + Math.floor(at % 60)).slice(-2); }
    });
  }
  if (audio) {
    ["timeupdate", "seeked"].forEach(function (name) {
      audio.addEventListener(name, function () { highlight(lineAt(audio.currentTime)); });
    });
  }
})();
"""


def write_report(review: Review, *sections: str) -> Path:
    """Write report.html into the session folder and return its path; sections (HTML, such as the practice
    part, which lives above this room) go after the session's own."""
    path = review.folder / REPORT_FILE
    write_page(path, render(review, *sections))
    return path


def render(review: Review, *sections: str) -> str:
    r = review.record
    question = r.question.text
    walk, summary = review.walkthrough, review.summary()
    parts = [f"<header><h1>{escape(question)}</h1><p class=\"meta\">Session {escape(r.id)} · "
             f"{escape(r.started_at[:16].replace('T', ' '))} · {escape(str(r.status))}"
             f"{' · model ' + escape(r.model) if r.model else ''}</p>"]
    if not summary.recorded:
        parts.append("<p>No answer was recorded in this session.</p>")
    elif summary.typed:
        parts.append("<p>Walkthrough: typed answer (no timing).</p>")
    else:
        ended = f" · {escape(walk.how_ended)}" if walk is not None and walk.ended_by else ""
        parts.append(f"<p>Walkthrough: <strong>{summary.length}</strong> against {summary.window} "
                     f"({escape(summary.verdict)}){ended} · whole session {summary.session_length}</p>")
    parts.append("</header>")
    parts += [_player(review), _transcript(review), _timeline(review), _pace(review)]
    if walk is not None and walk.analysis is not None:
        from simulator.review.design_page import design_section
        from simulator.review.design_view import session_facts, view_of

        parts += [_analysis(walk.analysis), design_section(view_of(walk.analysis, walk.text, session_facts(r)))]
    from simulator.review.diagram_page import diagram_section
    from simulator.review.diagram_view import diagram_view

    parts.append(diagram_section(diagram_view(review)))
    parts += [_dialogue(review), _followups(review), _turns(review), _self_review(review), *sections]
    if review.notes:
        parts.append("<section id=\"notes\"><h2>Notes</h2><ul>" +
                     "".join(f"<li class=\"warn\">{escape(n)}</li>" for n in review.notes) + "</ul></section>")
    return page(f"{question} · {r.id}", "\n".join(p for p in parts if p), SCRIPT)


def conversation_flac(review: Review) -> bytes | None:
    """Every prompt and answer WAV placed at its turn's start on one 16 kHz track, as FLAC; None if none."""
    import numpy as np
    import soundfile as sf

    from simulator.audio import SAMPLE_RATE, read_wav, resample

    clips = []
    for turn in review.turns:
        if turn.audio_path is None:
            continue
        try:
            clip = read_wav(turn.audio_path)
        except (OSError, RuntimeError, ValueError):
            review.notes.append(f"{turn.audio} is unreadable; that part of the conversation is silent.")
            continue
        clips.append((turn.start, resample(clip.samples, clip.rate)))
    if not clips:
        return None
    length = max(int(round(start * SAMPLE_RATE)) + len(samples) for start, samples in clips)
    track = np.zeros(length, dtype=np.float32)
    for start, samples in clips:
        at = int(round(start * SAMPLE_RATE))
        track[at:at + len(samples)] += samples  # the interviewer's voice mid-answer lies over the recording
    track = np.clip(track, -1.0, 1.0)
    out = io.BytesIO()
    sf.write(out, track, SAMPLE_RATE, format="FLAC", subtype="PCM_16")
    return out.getvalue()


def _player(review: Review) -> str:
    audio = conversation_flac(review)
    if audio is None:
        why = "typed session" if review.typed else "no audio files were found"
        return f'<section id="player"><p class="dim">No audio to play ({why}).</p></section>'
    uri = "data:audio/flac;base64," + base64.b64encode(audio).decode("ascii")
    return (f'<section id="player"><audio id="conversation" controls preload="auto" src="{uri}"></audio>'
            '<p class="dim">Click a line of the transcript to hear it.</p></section>')


def _transcript(review: Review) -> str:
    items = []
    for line in review.lines:
        cls = f"{line.speaker}{' missing' if line.missing else ''}"
        items.append(f'<li class="{cls}" tabindex="0" data-start="{line.start:.2f}" data-end="{line.end:.2f}">'
                     f'<time>{format_duration(line.start)}</time><span class="who">{line.speaker.label}</span>'
                     f'<span class="text">{escape(line.text)}</span></li>')
    if not items:
        return '<section id="transcript"><h2>Transcript</h2><p class="dim">Nothing was said.</p></section>'
    return f'<section id="transcript"><h2>Transcript</h2><ol>{"".join(items)}</ol></section>'


def _timeline(review: Review) -> str:
    from simulator.review.report import colour_index

    if not review.timeline:
        return ""
    def colour(step: str | None) -> str:
        index = colour_index(step, review.kind)
        return COLOURS[index] if index is not None else NONE_COLOUR

    said = [Bar(s.start, s.end, colour(s.step), f"{s.step or 'no step'}: {format_duration(s.start)}–"
                                                f"{format_duration(s.end)}") for s in review.timeline]
    rows: list[tuple[str, list[Bar]]] = [("said", said)]
    legend: list[tuple[str, str]]
    if review.kind == Kind.DESIGN:
        plan = budget_plan()
        rows.append(("budget", [Bar(p.start, p.end, COLOURS[i], f"{p.name}: {p.minutes:g} min")
                                for i, p in enumerate(plan)]))
        legend = [(COLOURS[i], f"{p.name} ({', '.join(p.steps)})") for i, p in enumerate(plan)]
    else:
        from simulator.judging.rubric import STAR_STEPS

        legend = [(COLOURS[i], s) for i, s in enumerate(STAR_STEPS)]
    total = timeline_seconds(review.timeline, review.kind)
    legend.append((NONE_COLOUR, "no step"))
    chart = bars(rows, total, "Which step was talked about when, against the drill budget")
    keys = "".join(f'<span><i class="swatch" style="background:{c}"></i>{escape(t)}</span>' for c, t in legend)
    table = ""
    if review.phases:
        table = "<table><tr><th>phase</th><th>said</th><th>budget</th></tr>" + "".join(
            f"<tr><td>{escape(p.name)}</td><td>{format_duration(p.seconds)}</td>"
            f"<td>{format_duration(p.budget_seconds)}</td></tr>" for p in review.phases) + "</table>"
    return (f'<section id="timeline"><h2>Where the walkthrough\'s time went</h2><div class="chart">{chart}</div>'
            f'<p class="legend">{keys}</p>{table}</section>')


def _pace(review: Review) -> str:
    if not review.pace:
        return ""
    chart = line_chart(review.pace, "Words per minute over the session", "wpm", band=PACE_BAND,
                       gap=PACE_BIN_SECONDS * 2)
    return (f'<section id="pace"><h2>Pace over time</h2><div class="chart">{chart}</div>'
            f'<p class="dim">The green band is {PACE_BAND[0]:g}–{PACE_BAND[1]:g} words per minute, conversational '
            "technical speech; each dot is 20 s of answer on the session clock.</p></section>")


def _analysis(analysis: Analysis) -> str:
    from simulator.judging.rubric import step_titles

    titles = step_titles(analysis.kind)
    rows = "".join(
        f"<tr><td class=\"{v.verdict}\">{VERDICT_MARKS[v.verdict]}</td>"
        f"<td>{escape(titles.get(k, k))}</td><td>{_time(v.first_at)}</td><td>{_time(v.seconds)}</td>"
        f"<td>{escape(v.shown)}</td></tr>" for k, v in analysis.steps.items())
    mistakes = "".join(f"<li>{escape(m.detail)}</li>"
                       for m in analysis.mistakes) or "<li>None found.</li>"
    d = analysis.delivery
    fillers = ", ".join(f"{escape(k)} {v}" for k, v in d.fillers.items()) or "none"
    hedges = ", ".join(f"{escape(k)} {v}" for k, v in d.hedges.items()) or "none"
    pauses = ", ".join(f"{p.seconds:.1f} s at {format_duration(p.at)}" for p in d.long_pauses) or "none"
    pace = f"{d.wpm:.0f}" if d.wpm is not None else "unknown (no times)"
    return (f'<section id="checklist"><h2>Steps</h2><table><tr><th></th><th>step</th><th>from</th><th>time</th>'
            f"<th>evidence</th></tr>{rows}</table></section>"
            f'<section id="mistakes"><h2>Mistakes</h2><ul>{mistakes}</ul></section>'
            f'<section id="delivery"><h2>Delivery</h2><table>'
            f"<tr><th>words</th><td>{d.words}</td></tr><tr><th>words per minute while speaking</th><td>{pace}</td></tr>"
            f"<tr><th>fillers</th><td>{d.filler_rate:.1%} ({fillers})</td></tr>"
            f"<tr><th>hedges</th><td>{hedges}</td></tr><tr><th>long pauses</th><td>{pauses}</td></tr>"
            "</table></section>")


def _dialogue(review: Review) -> str:
    """What the interviewer said during the walkthrough: each a marker on the session clock, with why."""
    from simulator.review.dialogue import adaptation, markers
    from simulator.sessions.record import TurnKind

    walk = review.walkthrough

    def why(m: object) -> str:
        reason = escape(m.reason or "")  # type: ignore[attr-defined]
        if m.kind == TurnKind.CHANGE and walk is not None:  # type: ignore[attr-defined]
            reason += f"<br>{escape(adaptation(m, walk.segments, walk.offset))}"  # type: ignore[arg-type]
        return reason

    rows = [f'<tr class="marker {escape(str(m.kind))}"><td>{format_duration(m.at)}</td><td>{escape(str(m.kind))}</td>'
            f"<td>{escape(m.text)}</td><td>{why(m)}</td></tr>" for m in markers(review.record)]
    if not rows:
        return ""
    return ('<section id="dialogue"><h2>Dialogue during the walkthrough</h2><table><tr><th>at</th><th>kind</th>'
            f"<th>the interviewer said</th><th>why</th></tr>{''.join(rows)}</table></section>")


def _followups(review: Review) -> str:
    from simulator.review.report import followup_answer

    rows = []
    for turn, reply in review.followups():
        aim = escape(target_title(review.kind, turn.target) if turn.target else "")
        if turn.reason:
            aim += f'<br><span class="dim why">why: {escape(turn.reason)}</span>'
        rows.append(f"<tr><td>{format_duration(turn.start)}</td><td>{escape(turn.text)}</td>"
                    f"<td>{aim}</td><td>{escape(followup_answer(reply))}</td></tr>")
    if not rows:
        return ""
    return ('<section id="followups"><h2>Follow-ups</h2><table><tr><th>at</th><th>question</th><th>aimed at</th>'
            f"<th>your answer</th></tr>{''.join(rows)}</table></section>")


def _turns(review: Review) -> str:
    rows = []
    for t in review.turns:
        d = t.analysis.delivery if t.analysis is not None else None
        wpm = f"{d.wpm:.0f}" if d is not None and d.wpm else "-"
        think = f"{t.first_words_after:.1f} s" if t.first_words_after is not None else "-"
        rows.append(f"<tr><td>{t.number}</td><td>{escape(str(t.role))}</td><td>{format_duration(t.start)}</td>"
                    f"<td>{format_duration(t.seconds)}</td><td>{d.words if d is not None else '-'}</td><td>{wpm}</td>"
                    f"<td>{think}</td><td>{escape(t.how_ended or '-')}</td><td>{escape(t.audio or '-')}</td></tr>")
    return ('<section id="turns"><h2>Turn by turn</h2><table><tr><th>#</th><th>who</th><th>at</th><th>length</th>'
            "<th>words</th><th>wpm</th><th>first word after</th><th>how it ended</th><th>audio</th></tr>"
            f"{''.join(rows)}</table></section>")


def _self_review(review: Review) -> str:
    items = "".join(f'<li><span class="{escape(c.verdict or "")}">{VERDICT_MARKS[c.verdict]}</span> '
                    f"<strong>{escape(c.question)}</strong> {escape(c.answer)}</li>" for c in review.self_review)
    return f'<section id="self-review"><h2>Self-review</h2><ul>{items}</ul></section>'


def _time(seconds: float | None) -> str:
    return format_duration(seconds) if seconds is not None else "-"

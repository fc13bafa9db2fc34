"""A résumé → experience questions about its own projects, and follow-ups that press on its claims.

Read and parsed on this machine only (plain text, Markdown, or PDF through pypdf). The parse is
deliberately plain: lines about your own work ("Built the payments ledger at Acme") become projects, the
job line above them says where, and lines with figures ("cut p99 latency by 40%") become claims. The
phrasings are data (prompts/resume.toml).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator import prompt_data
from simulator.errors import UserError, first_line
from simulator.questions import Question
from simulator.vocab import Kind

TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
MAX_BYTES = 20 * 1024 * 1024
MAX_PROJECT_WORDS = 6
MAX_CLAIM_WORDS = 16
BULLET = re.compile(r"^\s*(?:[-*+•‣◦·▪●■–]|\d{1,2}[.)])\s+")
MARKUP = re.compile(r"[*_`]+|^#+\s*")
YEAR = re.compile(r"\b(19|20)\d{2}\b")
DATES = re.compile(r"\(?\b((jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+)?(19|20)\d{2}\b"
                   r"(\s*[-–—to]+\s*(((jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+)?"
                   r"(19|20)\d{2}|present|now|today|current))?\)?", re.I)
ROLE_WORDS = re.compile(r"\b(engineer|developer|programmer|architect|lead|manager|scientist|analyst|intern|sre|"
                        r"cto|vp|head|director|consultant|founder|co-founder|staff|principal|researcher|admin|"
                        r"administrator|designer|specialist|owner)\b", re.I)
PARTS = re.compile(r"\s+[—–|-]\s+|\s*\|\s*|,\s+|\s+at\s+|\s+@\s+")
SECTION = re.compile(r"^(work |professional )?(experience|employment|projects?|work history|career)\s*:?$", re.I)
OTHER_SECTION = re.compile(r"^(education|skills|summary|profile|contact|interests|languages|certifications?|"
                           r"awards|publications|references|about( me)?)\s*:?$", re.I)
STOP_AT = re.compile(r"\s*(?:[,;:.(]|\s[—–-]\s|\b(?:that|which|who|handling|serving|processing|using|with|for|to|"
                     r"from|in|on|by|across|into|at|so|reducing|cutting|enabling|while|via|as|and then|used|adopted|deployed|"
                     r"relied|run|running|powering|behind|between|over|under|now)\b)", re.I)
ARTICLE = re.compile(r"^(a|an|the|our|my|their|its|his|her)\s+", re.I)
NUMBER = re.compile(r"\d")
UNIT = re.compile(r"^(%|percent|ms|milliseconds?|seconds?|minutes?|hours?|days?|x|times|users?|customers?|"
                  r"requests?|qps|rps|events?|transactions?|messages?|services?|teams?|engineers?|tb|gb|pb|"
                  r"million|billion|thousand|k)$", re.I)
CHANGE = re.compile(r"\b(cut|reduc|lower|fell|drop|improv|increas|grew|grow|rais|sav|halv|doubl|tripl|scal|"
                    r"from\b.*\bto\b)", re.I)
UNIT_SUFFIX = re.compile(r"\d(%|x|k|m|ms|s|b)\b|\$\d|\d\s*(%|percent)", re.I)


@dataclass(frozen=True)
class Claim:
    """A figure the résumé claims, in its own words ("cut p99 latency by 40%")."""

    text: str
    where: str | None


@dataclass(frozen=True)
class Project:
    name: str  # "payments ledger"
    verb: str  # how the question says it: "built", "led"
    where: str | None  # the employer of the job it sits under, when one was found
    claims: tuple[Claim, ...] = ()


@dataclass(frozen=True)
class Resume:
    source: Path
    text: str
    projects: tuple[Project, ...]
    claims: tuple[Claim, ...]
    terms: tuple[str, ...]


def _data() -> dict[str, Any]:
    return prompt_data.load("resume.toml")


def read_resume(path: Path) -> Resume:
    """The résumé at path, parsed; any problem is one sentence with the fix."""
    resume = parse_resume(extract_text(path), path)
    if not resume.projects:
        raise UserError(f"The résumé {path} names no project we could ask about; add lines about your own work "
                        "such as \"Built the payments ledger at Acme\", or drop --resume.")
    return resume


def extract_text(path: Path) -> str:
    """The résumé's text: a text or Markdown file as it is, a PDF's text layer through pypdf."""
    suffix = path.suffix.lower()
    try:
        if not path.exists():
            raise UserError(f"The résumé {path} does not exist; check the path.")
        if path.is_dir():
            raise UserError(f"The résumé {path} is a folder; name the résumé file in it.")
        if suffix not in (*TEXT_SUFFIXES, ".pdf"):
            raise UserError(f"The résumé {path} is not a .txt, .md or .pdf file; save it as one of those.")
        size = path.stat().st_size
        if size == 0:
            raise UserError(f"The résumé {path} is empty; save it again with its text.")
        if size > MAX_BYTES:
            raise UserError(f"The résumé {path} is {size // (1024 * 1024)} MB, past the 20 MB limit; "
                            "export it again without images.")
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"The résumé {path} cannot be read ({exc.strerror or type(exc).__name__}); "
                        "check its permissions.") from None
    text = _pdf_text(data, path) if suffix == ".pdf" else _plain_text(data, path)
    if not text.strip():
        why = " (a scanned image?); export it from your editor as a PDF with text, or as .txt" \
            if suffix == ".pdf" else "; save it again with its text"
        raise UserError(f"The résumé {path} holds no text{why}.")
    return text


def _plain_text(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"The résumé {path} is not UTF-8 text; save it as UTF-8, or as a PDF.") from None


def _pdf_text(data: bytes, path: Path) -> str:
    import io
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged PDF is one sentence below, not log noise
    if not data.startswith(b"%PDF"):
        raise UserError(f"The résumé {path} is not a PDF (it does not start with %PDF); export it again as PDF.")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UserError(f"The résumé {path} is password-protected; save a copy without a password.")
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except UserError:
        raise
    except Exception as exc:  # pypdf raises many kinds on a damaged file; all mean the same to the user
        raise UserError(f"The résumé {path} is a damaged PDF ({first_line(exc)[:80]}); export it again, "
                        "or save it as .txt.") from None


def parse_resume(text: str, source: Path = Path("résumé")) -> Resume:
    """Projects under their employers, and every claimed figure, from the résumé's lines."""
    where: str | None = None
    in_other = listing = False
    projects: dict[str, Project] = {}
    claims: list[Claim] = []
    for line, bullet in _lines(text):
        if not bullet:
            if SECTION.match(line):
                in_other, where = False, None
                listing = "project" in line.lower()
                continue
            if OTHER_SECTION.match(line):
                in_other = True
                continue
            employer = _employer(line)
            if employer is not None:
                where = employer
                continue
        if in_other:
            continue
        own = tuple(Claim(c, where) for c in _claims(line))
        claims += own
        project = _project(line, where) or (_titled_project(line) if listing or not bullet else None)
        if project is not None and project.name.lower() not in projects:
            projects[project.name.lower()] = Project(project.name, project.verb, project.where, own)
    tech = [w for w in _data()["tech"]["words"] if re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", text)]
    return Resume(source, text, tuple(projects.values()), tuple(claims), tuple(tech))


def _lines(text: str) -> list[tuple[str, bool]]:
    """Each logical line without markup, and whether it is a bullet; a wrapped bullet is joined back."""
    out: list[tuple[str, bool]] = []
    for raw in text.splitlines():
        bullet = bool(BULLET.match(raw))
        line = " ".join(MARKUP.sub("", BULLET.sub("", raw)).split())
        if not line:
            continue
        if not bullet and out and out[-1][1] and line[0].islower():
            out[-1] = (f"{out[-1][0]} {line}", True)  # a PDF wraps long bullets onto lines of their own
            continue
        out.append((line, bullet))
    return out


def _employer(line: str) -> str | None:
    """The company in a job line ("Senior Engineer, Acme Corp, 2019–2023"); None for any other line."""
    if len(line) > 120 or line.endswith("."):
        return None
    undated = DATES.sub(" ", line)
    parts = [p.strip(" ()") for p in PARTS.split(undated) if p and p.strip(" ()-–—")]
    if len(parts) < 2 or not any(ROLE_WORDS.search(p) for p in parts):
        return None
    if not (YEAR.search(line) or " at " in line or "|" in line or "—" in line or "–" in line):
        return None
    others = [p for p in parts if not ROLE_WORDS.search(p) and not _is_place(p)]
    return others[0] if others else None


def _is_place(part: str) -> bool:
    return bool(re.fullmatch(r"(remote|hybrid|[A-Z][a-z]+(?: [A-Z][a-z]+)?,? ?[A-Z]{2})", part))


def _project(line: str, where: str | None) -> Project | None:
    """A line about one's own work: "Built a payments ledger handling 2M transactions a day" → payments ledger."""
    verbs = _data()["verbs"]
    words = line.split()
    if words and words[0].lower() == "i":
        words = words[1:]
    if not words or words[0].lower().strip(",") not in verbs:
        return None
    verb = verbs[words[0].lower().strip(",")]
    rest = " ".join(words[1:])
    joined = re.match(r"^(and|&)\s+(\w+)\s+(.*)$", rest, re.I)  # "Designed and built the ..."
    if joined and joined.group(2).lower() in verbs:
        rest = joined.group(3)
    name = _phrase(rest)
    return Project(name, verb, where) if name else None


def _titled_project(line: str) -> Project | None:
    """A project under its own name in a projects list: "Payments Ledger — double-entry ledger in Go"."""
    match = re.match(r"^([A-Z][\w'+.-]*(?: [\w'+.-]+){0,4})\s+[—–:-]\s+\S", line)
    if not match or ROLE_WORDS.search(match.group(1)) or YEAR.search(match.group(1)):
        return None
    return Project(f"{match.group(1)} project", "built", None)


def _phrase(rest: str) -> str | None:
    cut = STOP_AT.search(rest)
    phrase = ARTICLE.sub("", rest[:cut.start()] if cut else rest).strip()
    words = phrase.split()
    if not words or not re.search(r"[a-zA-Z]", phrase) or len(words) > MAX_PROJECT_WORDS:
        return None
    return " ".join(w if _keeps_case(w) else w.lower() for w in words)


def _keeps_case(word: str) -> bool:
    """Names and acronyms keep their capitals (API, Kafka); ordinary words are lowered (Payments → payments)."""
    return sum(c.isupper() for c in word) > 1 or word in _data()["tech"]["words"]


def _claims(line: str) -> list[str]:
    """The clauses of a line that claim a figure, cut after the figure ("reduced p99 latency by 40%")."""
    out = []
    for clause in re.split(r"[;,]\s+|\s[—–]\s", line):
        words = clause.split()[:MAX_CLAIM_WORDS]
        figures = [i for i, w in enumerate(words) if NUMBER.search(w) and not YEAR.fullmatch(w.strip(".,()"))]
        if not figures or not (UNIT_SUFFIX.search(clause) or CHANGE.search(clause) or
                               any(i + 1 < len(words) and UNIT.match(words[i + 1].strip(".,")) for i in figures)):
            continue
        end = figures[-1] + 1
        while end < len(words) and (UNIT.match(words[end].strip(".,")) or words[end].lower() in ("per", "a")):
            end += 2 if words[end].lower() in ("per", "a") else 1
        words = words[:min(end, len(words))]
        if words and words[0].lower() == "i":
            words = words[1:]
        if len(words) < 2:
            continue
        text = " ".join(words).rstrip(".,;:")
        out.append(text[0].lower() + text[1:] if not _keeps_case(words[0]) else text)
    return out


def claim_followup(claim: Claim) -> str:
    for rule in _data()["claims"]:
        if re.search(rule["when"], claim.text.lower()):
            return random.Random(claim.text).choice(rule["questions"]).replace("{claim}", claim.text)
    return f"You wrote \"{claim.text}\". How did you measure it?"  # pragma: no cover - the last rule matches all


def resume_questions(resume: Resume, followups: int = 3) -> list[Question]:
    """One experience question per project; its follow-ups press on the project's claims first, then on the
    other claims made at the same employer."""
    data = _data()
    out = []
    for number, project in enumerate(resume.projects, start=1):
        near = [c for c in resume.claims if c.where == project.where and c not in project.claims]
        chosen = list(dict.fromkeys([*project.claims, *near]))[:followups]
        where = f" at {project.where}" if project.where else ""
        prompt = data["question"].format(project=f"{project.name}", verb=project.verb, where=where)
        terms = tuple(dict.fromkeys([project.name, *resume.terms]))
        out.append(Question(f"resume-{number}", Kind.EXPERIENCE, data["title"].format(project=project.name), prompt,
                            tuple(claim_followup(c) for c in chosen), "résumé", terms))
    return out

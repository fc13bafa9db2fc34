"""The question bank: built-in TOML files in prompts/, plus the user's own in <home>/questions/."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator import prompt_data
from simulator.errors import UserError, first_line
from simulator.vocab import Kind

KINDS = Kind.values()
REQUIRED = ("id", "kind", "title", "prompt")


@dataclass(frozen=True)
class Question:
    id: str
    kind: Kind
    title: str
    prompt: str
    followups: tuple[str, ...] = ()
    source: str = "built-in"
    terms: tuple[str, ...] = ()  # words a candidate is likely to say, so Whisper spells them right
    role: str | None = None  # the role whose bank it belongs to (see prompts/roles.toml); None: every role

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))

    @property
    def vocabulary(self) -> str:
        """A short prompt for Whisper in the question's own words: "Rate limiter: token bucket, Redis, ..."."""
        return f"{self.title}: {', '.join(self.terms)}." if self.terms else f"{self.title}."

    @property
    def hearing_vocabulary(self) -> str:
        """What Whisper is told: common technology names (prompts/hearing.toml), then the question's own words,
        which it weighs most as the nearest; within the prompt's token budget."""
        return hearing_vocabulary(self.vocabulary, self.terms)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "title": self.title, "text": self.prompt,
                "followups": list(self.followups), "terms": list(self.terms), "source": self.source,
                "role": self.role}


def hearing_vocabulary(own: str, terms: tuple[str, ...] = ()) -> str:
    """Common technology names before a question's own vocabulary, the names it already has left out and names
    past the token budget dropped from the end, so the prompt never grows past what Whisper reads well."""
    data = prompt_data.load("hearing.toml")
    listed = {t.lower() for t in terms}
    budget = int(data["prompt_tokens"] * data["chars_per_token"]) - len(own) - 2
    names: list[str] = []
    for name in data["technology"]:
        if name.lower() in listed or name.lower() in own.lower():
            continue
        if len(", ".join(names + [name])) + 1 > budget:
            break
        names.append(name)
    return f"{', '.join(names)}. {own}" if names else own


def parse_bank(text: str, name: str, source: str = "built-in") -> list[Question]:
    """Parse one bank file; any problem is one sentence naming the file."""
    try:
        data = prompt_data.parse(text)
    except (prompt_data.TOMLDecodeError, RecursionError) as exc:
        raise UserError(f"Question file {name} is not valid TOML ({first_line(exc)}); fix or remove it.") from None
    entries = data.get("question")
    if not isinstance(entries, list) or not entries:
        raise UserError(f"Question file {name} has no [[question]] entries; add one or remove the file.")
    return [_parse_entry(entry, index, name, source) for index, entry in enumerate(entries, start=1)]


def _parse_entry(entry: Any, index: int, name: str, source: str) -> Question:
    where = f"question {index} in {name}"
    if not isinstance(entry, dict):
        raise UserError(f"The {where} is not a table; write it as [[question]] with id, kind, title and prompt.")
    for key in REQUIRED:
        value = entry.get(key)
        if value is not None and not isinstance(value, str):
            raise UserError(f"The {where} has a {key} that is not a string; write it in quotes.")
        if value is None or not value.strip():
            raise UserError(f"The {where} has no {key}; give it a non-empty string {key}.")
    if entry["kind"] not in KINDS:
        raise UserError(f"The {where} has kind {entry['kind']!r}; use one of {', '.join(KINDS)}.")
    followups = entry.get("followups", [])
    if not isinstance(followups, list) or not all(isinstance(f, str) and f.strip() for f in followups):
        raise UserError(f"The {where} has followups that are not a list of strings; fix its followups.")
    terms = entry.get("terms", [])
    if not isinstance(terms, list) or not all(isinstance(t, str) and t.strip() for t in terms):
        raise UserError(f"The {where} has terms that are not a list of strings; fix its terms.")
    role = entry.get("role")
    if role is not None and (not isinstance(role, str) or not role.strip()):
        raise UserError(f"The {where} has a role that is not a non-empty string; write it in quotes.")
    qid = entry["id"].strip()
    if any(c.isspace() for c in qid):
        raise UserError(f"The {where} has id {qid!r} with spaces; use letters, digits and dashes.")
    return Question(qid, entry["kind"], entry["title"].strip(), " ".join(entry["prompt"].split()),
                    tuple(f.strip() for f in followups), source, tuple(t.strip() for t in terms),
                    role.strip() if role else None)


def builtin_files() -> list[tuple[str, str]]:
    """(name, text) of each built-in bank file, shipped inside the package."""
    root = prompt_data.path("questions")
    return sorted((f"prompts/questions/{item.name}", item.read_text(encoding="utf-8"))
                  for item in root.iterdir() if item.name.endswith(".toml"))


def user_files(home: Path) -> list[tuple[str, str]]:
    folder = home / "questions"
    if not folder.is_dir():
        return []
    files = []
    for path in sorted(folder.glob("*.toml")):
        try:
            files.append((str(path), path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"Question file {path} cannot be read ({exc}); fix or remove it.") from None
    return files


def load_bank(home: Path | None = None) -> list[Question]:
    """Every question, built-in first; ids must be unique across all files."""
    sources: list[tuple[str, str, str]] = [(n, t, "built-in") for n, t in builtin_files()]
    if home is not None:
        sources += [(n, t, "user") for n, t in user_files(home)]
    return _unique((q, name) for name, text, source in sources for q in parse_bank(text, name, source))


def _unique(questions: Iterable[tuple[Question, str]]) -> list[Question]:
    seen: dict[str, tuple[Question, str]] = {}
    for question, name in questions:
        if question.id in seen:
            raise UserError(f"Question id {question.id!r} appears twice, in {seen[question.id][1]} and {name}; "
                            "rename one of them.")
        seen[question.id] = (question, name)
    return [question for question, _ in seen.values()]


def pick(bank: list[Question], question_id: str | None = None, kind: str | None = None,
         rng: random.Random | None = None) -> Question:
    """The asked-for question, or a random one of the asked-for kind."""
    if question_id is not None:
        for question in bank:
            if question.id == question_id:
                return question
        ids = ", ".join(q.id for q in bank)
        raise UserError(f"There is no question {question_id!r}; pick one of: {ids} (see `mock-interview questions`).")
    pool = [q for q in bank if kind is None or q.kind == kind]
    if not pool:
        raise UserError(f"The bank has no {kind} questions; add one in your questions folder.")
    return (rng or random.Random()).choice(pool)

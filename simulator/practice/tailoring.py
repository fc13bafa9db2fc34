"""Practice for one role, company and level: which questions fit, and how the follow-ups are bent.

Roles, companies and levels are data (prompts/roles.toml, companies.toml, levels.toml); the rules here
are pure functions of the follow-up plan, so they are tested without audio.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from simulator import prompt_data
from simulator.errors import UserError
from simulator.judging.followups import FollowUp
from simulator.questions import Question
from simulator.sessions.context import Practice
from simulator.vocab import Kind, Target

DEPTH = ("specific", "thin", "constraint")  # the plan's depth questions; role and company ones go before them


@dataclass(frozen=True)
class Extra:
    """A role's or company's own follow-up."""

    target: str
    kind: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Role:
    id: str
    title: str
    judged_on: str
    followups: tuple[Extra, ...]


@dataclass(frozen=True)
class Company:
    id: str
    name: str
    focus: str
    first: tuple[str, ...]  # targets pressed first, most important first
    lead_in: tuple[str, ...]
    questions: tuple[str, ...]  # the built-in question ids that fit
    followups: tuple[Extra, ...]


def _extras(entries: Any) -> tuple[Extra, ...]:
    return tuple(Extra(str(e["target"]), str(e.get("kind", "any")), tuple(e["questions"])) for e in entries or [])


@lru_cache(maxsize=None)
def roles() -> dict[str, Role]:
    return {rid: Role(rid, r["title"], r["judged_on"], _extras(r.get("followups")))
            for rid, r in prompt_data.load("roles.toml")["role"].items()}


@lru_cache(maxsize=None)
def companies() -> dict[str, Company]:
    return {cid: Company(cid, c["name"], c["focus"], tuple(c["first"]), tuple(c["lead_in"]), tuple(c["questions"]),
                         _extras(c.get("followups")))
            for cid, c in prompt_data.load("companies.toml")["company"].items()}


@lru_cache(maxsize=None)
def level_followups(level: str) -> tuple[Extra, ...]:
    """What the interviewer presses on at this level (prompts/levels.toml)."""
    return _extras(prompt_data.load("levels.toml")["level"].get(level, {}).get("followups"))


def find_company(name: str) -> Company:
    """A company by id or name, any case; an unknown one is refused with the list."""
    wanted = name.strip().lower()
    for company in companies().values():
        if wanted in (company.id, company.name.lower()):
            return company
    raise UserError(f"There is no company {name!r} in the practice data; pick one of "
                    f"{', '.join(c.id for c in companies().values())}.")


def fitting(bank: Sequence[Question], role: str | None = None, company: str | None = None,
            kind: str | None = None) -> list[Question]:
    """The questions that fit: a role's own bank (its design questions, and every experience question), then
    those the company is known to ask; where both leave nothing, the role's alone."""
    pool = [q for q in bank if kind is None or q.kind == kind]
    if role is not None:
        pool = [q for q in pool if q.role == role or (q.kind == Kind.EXPERIENCE and q.role is None)]
    else:
        pool = [q for q in pool if q.role is None or company is not None]
    if company is not None:
        known = set(find_company(company).questions)
        narrowed = [q for q in pool if q.id in known]
        pool = narrowed or pool
    return pool


def shape(options: Sequence[FollowUp], practice: Practice, question: Question, asked: Sequence[str] = (),
          allowed: Sequence[str] | None = None, seed: str = "") -> list[FollowUp]:
    """The plan bent to the practice: the role's, company's and level's own questions before the depth questions,
    the company's focus first and said its way, a résumé's claims before anything else, and in a drill only
    what presses on the drill's part."""
    said = {" ".join(a.lower().split()) for a in asked}
    out = list(options)
    extras: list[FollowUp] = []
    sources: list[tuple[Extra, ...]] = []
    if practice.role in roles():
        sources.append(roles()[practice.role].followups)
    company = companies().get(practice.company or "")
    if company is not None:
        sources.append(company.followups)
    sources.append(level_followups(practice.level))
    rng = random.Random(f"{seed}|{question.id}|tailored")
    for entries in sources:
        for extra in entries:
            if extra.kind not in (question.kind, "any"):
                continue
            phrasings = [q.replace("{title}", question.title) for q in extra.questions]
            fresh = [p for p in phrasings if " ".join(p.lower().split()) not in said]
            if fresh and len(fresh) == len(phrasings):  # one phrasing of each, once
                extras.append(FollowUp(extra.target, rng.choice(fresh), "tailored"))
    depth = next((i for i, o in enumerate(out) if o.when in DEPTH), len(out))
    out[depth:depth] = extras
    if allowed is not None:
        out = [o for o in out if o.target in allowed]
    if company is not None:
        rank = {target: i for i, target in enumerate(company.first)}
        out.sort(key=lambda o: 0 if o.target == Target.OVER_TIME else 1 if o.target in rank else 2)
        out = [_said_their_way(o, company, rng) if o.target in rank else o for o in out]
    if practice.resume:  # the résumé's own claims are what a sharp interviewer presses on first
        out.sort(key=lambda o: 0 if o.target == Target.OVER_TIME else 1 if o.when == "specific" else 2)
    return out


def _said_their_way(option: FollowUp, company: Company, rng: random.Random) -> FollowUp:
    lead = rng.choice(company.lead_in)
    return FollowUp(option.target, f"{lead} {option.question}", option.when, option.why)  # still asked for its why

"""The checks on the candidate's design: every rule fires on what it is about and stays quiet once the
answer settles it, each finding quotes the candidate and says why in one sentence, and the same design always
gives the same findings in the same order."""

from __future__ import annotations

from simulator.judging.design.checks import check_design, load_rules, on_request_path
from simulator.judging.design.model import (Choice, Component, ComponentKind, Design, Figure, Flow, Quote,
                                            Safeguard)

Q = Quote("Clients go through a load balancer to API servers, which write to one Postgres instance.")


def _c(name: str, kind: ComponentKind, stateful: bool = False, count: int | None = None,
       quote: Quote = Q) -> Component:
    return Component(name, kind, quote, stateful=stateful, count=count)


def _rules(design: Design, text: str = "", facts=()) -> list[str]:
    return [f.rule for f in check_design(design, text, facts)]


# ------------------------------------------------------------------ lone stateful

def test_a_lone_database_on_the_request_path_is_found():
    design = Design(components=[_c("API servers", ComponentKind.SERVICE), _c("Postgres", ComponentKind.DATABASE)],
                    flows=[Flow("API servers", "Postgres", None, Q)])
    [finding] = check_design(design, Q.text)
    assert (finding.rule, finding.component, finding.quote) == ("lone_stateful", "Postgres", Q)
    assert "Postgres" in finding.detail and "failover" in finding.detail


def test_a_database_with_a_replica_said_is_settled():
    text = Q.text + " Postgres has a synchronous replica and fails over automatically."
    design = Design(components=[_c("Postgres", ComponentKind.DATABASE)])
    assert _rules(design, text) == []


def test_a_safeguard_in_the_model_settles_it_too():
    design = Design(components=[_c("Postgres", ComponentKind.DATABASE)],
                    safeguards=[Safeguard("Postgres", "failover", Q)])
    assert _rules(design, Q.text) == []


def test_a_replica_said_of_another_component_does_not_settle_the_database():
    text = Q.text + " Redis is replicated across two zones."
    design = Design(components=[_c("Postgres", ComponentKind.DATABASE)])
    assert _rules(design, text) == ["lone_stateful"]


def test_several_instances_or_a_stateless_service_are_not_lone_stateful():
    design = Design(components=[_c("Postgres", ComponentKind.DATABASE, count=3),
                                _c("API servers", ComponentKind.SERVICE)])
    assert _rules(design, Q.text) == []


def test_a_single_counter_marked_stateful_is_found():
    design = Design(components=[_c("key service", ComponentKind.SERVICE, stateful=True)])
    assert _rules(design, "A key service hands out counter ranges.") == ["lone_stateful"]


def test_a_database_off_the_request_path_is_not_pressed():
    design = Design(components=[_c("API servers", ComponentKind.SERVICE),
                                _c("Postgres", ComponentKind.DATABASE), _c("ClickHouse", ComponentKind.DATABASE),
                                _c("batch job", ComponentKind.WORKER)],
                    flows=[Flow("API servers", "Postgres", None, Q), Flow("batch job", "ClickHouse", None, Q)])
    assert not on_request_path(design.components[2], design)
    assert [f.component for f in check_design(design, Q.text)] == ["Postgres"]


# ------------------------------------------------------------------------ cache

def test_a_cache_with_no_word_on_invalidation_or_cold_start_is_found():
    design = Design(components=[_c("Redis", ComponentKind.CACHE)])
    [finding] = check_design(design, "Reads go to Redis first, then DynamoDB.")
    assert (finding.rule, finding.component) == ("cache_cold", "Redis")


def test_a_cache_with_a_ttl_or_warm_up_said_is_settled():
    design = Design(components=[_c("Redis", ComponentKind.CACHE)])
    assert _rules(design, "Reads go to Redis first with a one hour TTL.") == []
    assert _rules(design, "After a restart we warm the cache from the top links.") == []


# ------------------------------------------------------------------------ queue

def test_a_queue_with_no_word_on_retries_ordering_or_duplicates_is_found():
    design = Design(components=[_c("Kafka", ComponentKind.QUEUE)])
    assert _rules(design, "Workers pull jobs from Kafka.") == ["queue_delivery"]


def test_a_queue_whose_consumers_are_idempotent_is_settled():
    design = Design(components=[_c("Kafka", ComponentKind.QUEUE)])
    assert _rules(design, "Workers pull jobs from Kafka and processing is idempotent.") == []
    assert _rules(design, "Failed jobs are retried three times, then go to a dead letter queue.") == []


def test_the_word_orders_as_a_table_does_not_settle_a_queue():
    design = Design(components=[_c("SQS", ComponentKind.QUEUE)])
    assert _rules(design, "The orders table is written, then an event goes to SQS.") == ["queue_delivery"]


# ----------------------------------------------------------------------- choice

def test_a_choice_with_no_reason_is_found_and_one_with_a_reason_is_not():
    bare = Choice("DynamoDB", ("Postgres",), None, Quote("I'll use DynamoDB rather than Postgres."))
    argued = Choice("Postgres", ("Cassandra",), "the data is small and I want transactions",
                    Quote("Postgres over Cassandra because the data is small and I want transactions."))
    findings = check_design(Design(choices=[bare, argued]))
    assert [(f.rule, f.component) for f in findings] == [("choice_no_reason", "DynamoDB")]
    assert "over Postgres" in findings[0].detail and findings[0].quote == bare.quote


# --------------------------------------------------------------- the interviewer's figures

SHEET = Quote("Assume a hundred million new links a month and about ten billion redirects a month.")
FACTS = [Figure(1e8, "new links", "month", SHEET, "a hundred million new links a month"),
         Figure(1e10, "redirects", "month", SHEET, "ten billion redirects a month")]


def test_a_figure_thirty_times_the_sheets_is_a_day_taken_for_a_month():
    said = Quote("I'll assume 100 million new links a day.")
    [finding] = check_design(Design(figures=[Figure(1e8, "new links", "day", said, "100 million new links a day")]),
                             facts=FACTS)
    assert (finding.rule, finding.slip, finding.quote) == ("contradiction", "day_month", said)
    assert "a hundred million new links a month" in finding.detail


def test_a_figure_that_agrees_with_the_sheet_is_not_flagged():
    said = Quote("That's 100 million links a month, about 40 writes a second.")
    figures = [Figure(1e8, "links", "month", said, "100 million links a month"),
               Figure(40, "writes", "second", said, "40 writes a second")]
    assert check_design(Design(figures=figures), facts=FACTS) == []


def test_users_given_as_requests_contradict_the_sheet():
    sheet = Quote("Plan for fifty million daily active users.")
    facts = [Figure(5e7, "users", "day", sheet, "fifty million daily active users")]
    said = Quote("So fifty million requests a day.")
    [finding] = check_design(Design(figures=[Figure(5e7, "requests", "day", said, "fifty million requests a day")]),
                             facts=facts)
    assert (finding.rule, finding.slip) == ("contradiction", "users_requests")
    same = Quote("Fifty million daily users, and each makes about 20 requests a day.")
    assert check_design(Design(figures=[Figure(5e7, "users", "day", same, "Fifty million daily users"),
                                        Figure(20, "requests", "day", same, "20 requests a day")]),
                        facts=facts) == []


def test_without_facts_nothing_is_compared():
    said = Quote("I'll assume 100 million new links a day.")
    assert check_design(Design(figures=[Figure(1e8, "new links", "day", said, "100 million new links a day")])) == []


# ------------------------------------------------------------------------ order

def test_findings_come_sharpest_first_and_the_same_every_time():
    said = Quote("100 million links a day is about 100 writes a second.")
    design = Design(components=[_c("Redis", ComponentKind.CACHE), _c("Postgres", ComponentKind.DATABASE),
                                _c("Kafka", ComponentKind.QUEUE)],
                    choices=[Choice("Postgres", (), None, Q)],
                    figures=[Figure(1e8, "links", "day", said, "100 million links a day"),
                             Figure(100, "writes", "second", said, "100 writes a second")])
    first = check_design(design, Q.text)
    assert [f.rule for f in first] == ["arithmetic", "lone_stateful", "cache_cold", "queue_delivery",
                                       "choice_no_reason"]
    assert check_design(design, Q.text) == first


def test_every_rule_in_the_data_is_one_the_code_knows():
    for rule in load_rules().values():
        assert rule.about in ("figure", "component", "choice")
        assert rule.detail.strip().endswith(".")
        assert rule.scope in ("component", "answer")


# ------------------------------------------------------------- on whole answers, read by the design reader

def _corpus_findings(name: str, question: str) -> list:
    from pathlib import Path

    from simulator.interviewer.followup_choice import told_figures
    from simulator.judging.analysis import analyze_segments, analyze_text
    from simulator.questions import load_bank, pick
    from simulator.transcript import read_transcript_file

    segments, text = read_transcript_file(Path(__file__).parent / "corpus" / name)
    analysis = analyze_segments(segments, "design") if segments else analyze_text(text, "design")
    facts = told_figures(pick(load_bank(), question), [])
    return [f for f in check_design(analysis.design, analysis.text, facts)
            if f.rule in ("arithmetic", "average_as_peak", "replication_left_out", "retention_left_out",
                          "contradiction")]


def test_strong_answers_full_of_correct_estimates_draw_no_figure_finding():
    """Answers whose arithmetic is right, with restated figures, per-user limits, chunk sizes, peaks of ten
    times and the sheet's own peak, read from plain text by the design reader."""
    for name, question in (("d01-url-shortener-strong.txt", "url-shortener"),
                           ("d02-chat-app-strong-long.txt", "chat-app"),
                           ("d05-rate-limiter-no-tradeoffs.txt", "rate-limiter"),
                           ("d06-file-sync-no-summary.txt", "file-storage"),
                           ("d16-rate-limiter-strong.json", "rate-limiter"),
                           ("d20-chat-app-figures-no-scale.txt", "chat-app"),
                           ("d21-url-shortener-prep-notes.txt", "url-shortener")):
        assert _corpus_findings(name, question) == [], name


def test_an_answer_designed_for_a_fifth_of_the_sheets_load_is_told():
    [finding] = _corpus_findings("d03-notification-no-clarify.txt", "notification-system")
    assert finding.rule == "contradiction" and "a billion notifications a day" in finding.detail

"""General coverage rules learnt on the second design tuning set (tests/corpus/design-tuning-b/): each is a way
people really close, weigh or name a step that the cues once missed, or a step named without being done."""

from __future__ import annotations

from simulator.judging.analysis import analyze_text

OPENING = ("Who uses it, and do links expire? I'll assume a hundred million links a month, about forty writes a "
           "second. The API is POST /links returning a code, and GET /{code} redirects. ")


def _covered(text: str, step: str) -> bool:
    return analyze_text(text, "design").steps[step].covered


def test_a_closing_line_labelled_as_the_summary_is_the_summary() -> None:
    for closing in ("Summary: ranged counters for codes, DynamoDB with a cache, and async click counting.",
                    "So: ranged counters for codes, DynamoDB with a cache, and async click counting.",
                    "So in the end: ranged counters for codes, DynamoDB with a cache, and async counting.",
                    "Finally: ranged counters for codes, DynamoDB with a cache, and async click counting."):
        assert _covered(OPENING + closing, "summary"), closing


def test_a_closing_line_that_only_says_it_is_done_is_no_summary() -> None:
    assert not _covered(OPENING + "That's my design for the shortener.", "summary")


def test_a_named_tradeoff_that_sets_one_side_against_the_other_is_weighed() -> None:
    said = ("Tradeoff: precomputing the top completions makes lookups instant but the trie is several times bigger "
            "in memory.")
    assert _covered(OPENING + said, "tradeoffs")


def test_tradeoffs_named_without_their_cost_are_not_weighed() -> None:
    for said in ("There are tradeoffs between the two, each has its own advantages.",
                 "There are definitely tradeoffs in all of this, but we would think about them."):
        assert not _covered(OPENING + said, "tradeoffs"), said


def test_announcing_that_one_would_clarify_is_not_clarifying() -> None:
    said = ("I'd clarify the requirements first, obviously, and make some assumptions about the number of users. "
            "The system has a posting service, a feed service, a database and a cache.")
    assert not _covered(said, "clarify")


def test_questions_written_without_question_marks_are_still_asked() -> None:
    said = ("okay a web crawler so what are we crawling the whole web or a set of sites and what is it for a search "
            "index or an archive lets say the whole web for a search index")
    assert _covered(said, "clarify")


def test_an_api_named_but_never_defined_is_not_an_interface() -> None:
    said = "Then there's an API for the feed and for posting. And we'd need to think about the data model."
    assert not _covered(said, "interfaces")


def test_operations_written_as_calls_define_the_interface() -> None:
    assert _covered("Clients use get(key), set(key, value, ttl) and delete(key).", "interfaces")


def test_parts_listed_with_their_roles_are_the_baseline() -> None:
    said = ("Components: an agent on each host, a write gateway that validates and shards samples, ingesters that "
            "hold two hours in memory, and a query tier that merges recent and old data.")
    assert _covered(said, "architecture")


def test_a_part_left_vague_is_not_the_baseline() -> None:
    said = "There would be a server that the clients connect to, and the document is stored somewhere, a database."
    assert analyze_text(said, "design").steps["architecture"].score < 5


def test_a_table_keyed_by_an_id_or_a_record_written_with_its_fields_is_the_data() -> None:
    for said in ("Preferences live in a table keyed by user id: channels on or off, quiet hours and the time zone.",
                 "Data: jobs(id, schedule, next_run_at, payload) and runs(job_id, status, attempts)."):
        assert _covered(said, "data"), said


def test_a_failure_named_with_what_the_design_does_then_is_scale() -> None:
    said = ("If Redis dies we rebuild the sorted sets from Postgres, which takes a few minutes. If a server is slow "
            "the client just drops that response, since another keystroke is coming.")
    assert _covered(said, "scale")


def test_an_endpoint_heard_as_sash_is_an_endpoint() -> None:
    from simulator.judging.mishearings import as_meant

    assert as_meant("post-sash payment creates a payment").startswith("post /")


def _star(text: str, step: str) -> bool:
    return analyze_text(text, "experience").steps[step].covered


def test_the_scene_set_in_second_language_phrasing_is_the_situation() -> None:
    said = ("In my company before, an online shop in Brazil, all the product images was stored on one big file "
            "server. My manager give me the job to move it, I was responsible for all the migration.")
    assert _star(said, "situation")


def test_the_scene_set_from_my_last_team_is_the_situation() -> None:
    assert _star("The clearest one is from my last team, where we had a new grad who joined right as a rewrite "
                 "started.", "situation")


def test_a_role_held_in_the_story_is_the_task() -> None:
    assert _star("I was her assigned mentor for the first six months.", "task")


def test_an_outcome_by_the_end_of_the_half_is_a_result() -> None:
    assert _star("By the end of the half she owned the export service on her own.", "result")


def test_one_deed_told_with_what_it_does_is_an_action() -> None:
    said = ("We were a team of four. I built the change that listens to the booking events and invalidates the "
            "cache entry for that hotel straight away.")
    assert _star(said, "action")


def test_joining_a_team_is_still_no_action() -> None:
    assert not _star("We were a team of four. I joined the team that ran search. We rebuilt the index.", "action")


def test_a_cost_the_user_may_see_is_a_tradeoff_weighed() -> None:
    said = ("The tradeoff is showing cached posts first: instant open, but the user may briefly see old posts "
            "before the refresh lands.")
    assert _covered(OPENING + said, "tradeoffs")


def test_staleness_accepted_with_its_reason_is_a_tradeoff() -> None:
    said = "The cache of availability can be a few seconds stale because the final check happens in the database."
    assert _covered(OPENING + said, "tradeoffs")


def test_an_endpoint_said_aloud_without_slashes_defines_the_interface() -> None:
    said = ("the api is get availability with hotel dates and room type then post reservations with the dates the "
            "guest and an idempotency key and delete reservations id to cancel")
    assert _covered(said, "interfaces")


def test_producers_and_a_coordinator_with_their_parts_are_the_baseline() -> None:
    said = ("A distributed message queue, like a simpler Kafka. Producers call produce(topic, key, value) and get "
            "back an offset. A small coordination service keeps the metadata: which broker leads which partition.")
    assert _covered(said, "architecture")


def test_how_a_log_lies_on_disk_is_the_data() -> None:
    said = ("Producers call produce(topic, key, value) and get back an offset. Each topic is split into partitions, "
            "and a partition is an append-only log of segment files on a broker's disk.")
    assert _covered(said, "data")


def test_failing_over_to_a_second_cdn_and_stepping_quality_down_is_scale() -> None:
    said = ("The player steps the quality down before the buffer runs out; if a CDN edge fails, the manifest lists "
            "a second CDN and the player switches to it.")
    assert _covered(said, "scale")

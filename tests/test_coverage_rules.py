"""General coverage rules learnt on the second design tuning set (tests/corpus/design-tuning-b/): each is a way
people really close, weigh or name a step that the cues once missed, or a step named without being done."""

from __future__ import annotations

from simulator.judging.analysis import analyze_segments, analyze_text
from simulator.transcript import Segment

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


# What a recogniser makes of a spoken answer: the rules learnt on the tuning set as heard through real weights in
# both voices (tests/corpus/design-tuning-b/spoken/), where its written text kept the step and the heard one lost it.

def _heard(text: str, step: str) -> bool:
    """The step as judged on a transcript: one segment a pause long, its text as Whisper wrote it."""
    return analyze_segments([Segment(0.0, 30.0, text)], "design").steps[step].covered


def test_a_phrase_broken_by_whisper_s_pause_commas_is_still_read_whole() -> None:
    said = ("Uploads go to S3, an upload event goes on Kafka, and FFmpeg, workers, transcode each video. "
            "I'd go with Kubernetes, Kafka, Cassandra, FFmpeg, workers, and CloudFront.")
    assert _heard(said, "architecture")
    assert not _covered("Uploads go to S3, an upload event goes on Kafka. There are some workers.", "architecture")


def test_questions_heard_without_their_question_marks_are_still_asked() -> None:
    for said in ("Questions, custom aliases, do links expire, analytics needed. Assume yes, optional expiry.",
                 "Let me back up and ask what I skipped, transactional only, or marketing too. Do senders need open "
                 "and click tracking.",
                 "Now the questions I should have asked up front, what consistency do clients need, and what's the "
                 "read-write mix.",
                 "Is losing one acceptable, or must every notification arrive. And is this one to one and groups."):
        assert _heard(said, "clarify"), said


def test_a_path_read_out_is_an_endpoint() -> None:
    for said in ("API, Postslash links with the URL and an alias, returns the short code.",
                 "The client loads history with get the slash conversations slash ID slash messages, and sends "
                 "each message over the socket."):
        assert _heard(said, "interfaces"), said


def test_a_record_read_out_as_its_fields_is_the_data_and_its_shape() -> None:
    said = "Data, jobs, id, schedule, next run at indexed, payload, owner, and runs, job id, status, attempts."
    assert _heard(said, "data")
    assert _heard(said, "interfaces")


def test_a_tradeoff_as_whisper_spells_it_is_a_tradeoff() -> None:
    for said in ("The train off is waiting for both followers before acknowledging, higher write latency, but no "
                 "acknowledged message is ever lost.",
                 "Traduff, precomputing the top completions makes lookups instant, but the trie is several times "
                 "bigger in memory."):
        assert _heard(OPENING + said, "tradeoffs"), said


def test_three_heard_as_free_before_what_is_counted() -> None:
    from simulator.judging.mishearings import as_meant

    assert as_meant("a ring with free replicas and quorums") == "a ring with three replicas and quorums"
    assert as_meant("the free tier has limits") == "the free tier has limits"


def test_tradeoffs_said_to_exist_and_never_weighed_are_no_tradeoff() -> None:
    said = ("There are tradeoffs here of course, every choice in a system like this has tradeoffs. Workers transcode "
            "each video into several bitrates, so a phone on a weak connection can drop to a lower quality instead "
            "of stalling.")
    assert not _covered(OPENING + said, "tradeoffs")


def test_a_tradeoff_labelled_with_its_cost_after_a_comma_is_weighed() -> None:
    said = ("Tradeoff, four megabyte blocks are good for deduplication and resumed uploads, metadata is bigger and "
            "many small files are inefficient.")
    assert _heard(OPENING + said, "tradeoffs")


def test_a_step_named_in_a_few_words_is_done_by_the_sentence_after() -> None:
    said = ("The tradeoff is local first. The app is always instant and works on a plane, but sync and conflict "
            "handling are much more complex than a plain online app.")
    assert _heard(OPENING + said, "tradeoffs")
    assert _covered(OPENING + said, "tradeoffs")


def test_a_closing_label_heard_without_its_colon_is_the_summary() -> None:
    for closing in ("Summary Kafka plus Flink minute windows into ClickHouse for dashboards, raw clicks to object "
                    "storage.",
                    "So, direct uploads to object storage with a CDN, feeds precomputed in Redis by fan-out on write, "
                    "with celebrity posts merged on read."):
        assert _heard(OPENING + closing, "summary"), closing
    for closing in ("So, two people can't take the last room, the transaction is rolled back when payment fails.",
                    "So that's about it for the design, I think."):
        assert not _heard(OPENING + closing, "summary"), closing


def test_the_parts_under_a_heading_read_out_are_the_baseline() -> None:
    said = "Component, payment service, provider adapter, ledger service. Payments go from the outbox to Kafka."
    assert _heard(said, "architecture")
    assert not _heard("Component, payment service, provider adapter, ledger service.", "architecture")


def _heard_star(text: str, step: str) -> bool:
    return analyze_segments([Segment(0.0, 30.0, text)], "experience").steps[step].covered


def test_notes_read_aloud_are_the_speaker_s_deeds_without_the_i() -> None:
    said = ("S, our mobile releases took two weeks, because every build was signed by hand. "
            "Built a pipeline that signs and uploads the build automatically, set up device testing on every merge.")
    assert _heard_star(said, "action")
    assert not _heard_star("S, our mobile releases took two weeks. We built a pipeline that signs the build.",
                           "action")


def test_the_action_heading_read_out_over_misheard_deeds_is_the_action() -> None:
    said = ("Task, I owned the upload flow on the backend. Action, switch uploads to resumable chunks, resize images "
            "on the phone before upload.")
    assert _heard_star(said, "action")
    assert not _heard_star("Task, I owned the upload flow. Action, we switched uploads to resumable chunks.",
                           "action")


def test_where_a_measure_came_down_to_is_a_result_however_the_figure_was_heard() -> None:
    said = ("Our checkout was the slowest page on the site. I owned the checkout service. Checkout came down to just "
            "over a second.")
    assert _star(said, "result")


def test_sharded_heard_as_charted_is_sharded() -> None:
    from simulator.judging.mishearings import as_meant

    assert as_meant("metadata is in mysql, charted by user id") == "metadata is in mysql, sharded by user id"
    assert as_meant("we charted a course") == "we charted a course"


def test_a_question_put_in_a_second_language_without_its_mark_is_asked() -> None:
    said = ("For file storage and sync like Dropbox, I want first to ask, we need only sync between user devices, "
            "or also sharing between users.")
    assert _heard(said, "clarify")


def test_a_higher_cost_named_after_the_choice_is_weighed() -> None:
    said = ("The tradeoff is waiting for both followers before acknowledging, higher write latency, but no "
            "acknowledged message lost when a broker dies.")
    assert _heard(OPENING + said, "tradeoffs")


def test_calls_read_out_without_their_brackets_define_the_interface() -> None:
    assert _heard("Client use get key, set key, value, TTL, delete key.", "interfaces")
    assert not _heard("Clients get the key from the config service.", "interfaces")


def test_two_deeds_joined_by_and_without_a_comma_are_an_action() -> None:
    said = ("Situation, a logging bill of 90k a month at a 300 person startup. I sampled debug logs at 1% for "
            "everything but audit logs and moved archives to cold storage.")
    assert _heard_star(said, "action")


def test_a_cost_heard_as_a_sentence_of_its_own_still_weighs_the_choice() -> None:
    said = ("The tradeoff, separate queues per channel and priority mean more moving parts to run. "
            "But a slow SMS provider can't hold up push.")
    assert _heard(OPENING + said, "tradeoffs")
    assert not _heard(OPENING + "The tradeoff, separate queues per channel and priority. We run them on Kubernetes.",
                      "tradeoffs")


def test_a_call_read_out_that_gets_something_back_is_an_interface() -> None:
    said = ("Producers call produce topic, key, value and get back an offset. Consumers call fetch topic, partition, "
            "offset and commit. Each message carries a producer id and a sequence number.")
    assert _heard(said, "interfaces")


def test_a_rate_written_or_read_as_a_slash_is_an_estimate() -> None:
    for said in ("Sizes: 5M payments/day, about 60/s, peak 600/s on sale days.",
                 "Sizes, 5M payment slash day, about 60 slash s, peak 600 slash s on sale days."):
        assert _heard(said, "assumptions"), said
    assert not _heard("Payments come in all day from the checkout, sometimes in bursts.", "assumptions")

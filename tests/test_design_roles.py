"""The design model hears parts said in the candidate's own words by what they do ("a bounce handler", "flag
relays", "the control plane"), the common tools technologies.toml lists, and alternatives put aside in more ways
("I'd not use Realm", "moved off Thanos", "I thought about Databricks and Delta Lake, but")."""

from __future__ import annotations

from simulator.judging.design.extract import build_design
from simulator.judging.sentences import Sentence, sentences_from_text


def typed(text: str) -> list[str]:
    return [c.name for c in build_design(sentences_from_text(text)).components]


def heard(*texts: str) -> list[str]:
    design = build_design([Sentence(t, 10.0 * i, 10.0 * i + 8, heard=True) for i, t in enumerate(texts)])
    return [c.name for c in design.components]


def test_a_part_named_by_its_role_is_a_part_in_the_candidates_words() -> None:
    assert typed("SNS tells us about bounces, and a bounce handler consumes those and writes to Postgres.") == \
        ["SNS", "bounce handler", "Postgres"]
    assert typed("At the edge, flag relays in each region subscribe to NATS.") == ["flag relays", "NATS"]
    assert typed("There's a control plane and a data plane.") == ["control plane", "data plane"]
    assert typed("A fleet of meter aggregators rolls the records up.") == ["meter aggregators"]
    assert typed("Then a re-ranker applies the business rules.") == ["re-ranker"]


def test_a_role_said_again_is_the_same_part() -> None:
    assert typed("Flag relays keep every flag in memory. The relays serve the SDKs. If a flag relay dies, the SDK "
                 "keeps its snapshot.") == ["flag relays"]
    assert typed("Workers send the mail. The bounce handler reads bounces. The handler marks the address.") == \
        ["workers", "bounce handler"]


def test_a_bare_role_after_the_refers_and_names_no_part() -> None:
    assert typed("Pages go into HDFS, which is what the indexer scans.") == ["HDFS"]
    assert typed("Failing closed would turn a limiter outage into a full outage.") == []


def test_a_generic_name_yields_to_the_role_with_what_it_handles() -> None:
    assert typed("A push dispatcher sends through APNs.") == ["push dispatcher", "APNs"]
    assert typed("A dispatcher hands jobs out.") == ["scheduler"]


def test_a_role_said_to_be_a_catalogue_part_or_run_by_an_engine_is_that_part() -> None:
    assert typed("A click hits our click tracker, which is just a tiny web server that logs it.") == ["API servers"]
    assert typed("A drift aggregator in Flink computes the distributions.") == ["Flink"]


def test_the_api_tier_said_by_what_it_serves() -> None:
    assert typed("The apps call the mail API, which validates the template.") == ["clients", "API servers"]
    assert typed("A rate fetcher polls the supplier API every minute.") == ["workers"]


def test_people_and_words_mid_phrase_are_no_role() -> None:
    assert typed("The product manager asked for it.") == []
    assert heard("Trade-offs, 301 vs. 302, 301 less routers cache redirect, so our load drops.") == []


def test_common_tools_beyond_the_full_catalogue_are_heard() -> None:
    assert typed("Analysts query Iceberg tables with Trino, and secrets come from HashiCorp Vault.") == \
        ["Iceberg", "Trino", "Vault"]
    assert typed("The metrics go to VictoriaMetrics, traces to Jaeger, and the model registry is MLflow.") == \
        ["VictoriaMetrics", "Jaeger", "MLflow"]


def test_a_short_listed_name_is_not_read_into_a_made_up_word() -> None:
    assert "Sentry" not in heard("So, the close, post-synch-a-sendra, a Kafka-driven fan-out.")


def test_alternatives_put_aside_in_more_ways_are_not_parts() -> None:
    assert typed("Tiles go in SQLite. I'd not use Realm, SQLite is fine.") == ["SQLite"]
    assert typed("We tried Thanos first, then moved off Thanos because of compaction.") == []
    assert typed("I thought about Databricks and Delta Lake, but we're avoiding the lock-in. Spark does it.") == \
        ["Spark"]
    assert typed("We're not running Jenkins, it's too much plugin pain.") == []
    assert typed("Messages are saved in Cassandra, it is like HBase but faster for us.") == ["Cassandra"]


def test_a_sentence_that_takes_the_last_one_back_drops_the_part_it_replaces() -> None:
    assert typed("I'd keep the frontier in Redis, sorted sets. Actually, no, it gets too big, let's keep it in "
                 "RocksDB on each node.") == ["RocksDB"]
    assert typed("Sessions go in Redis. No wait, the profiles go in Postgres, the sessions stay in Redis.") == \
        ["Redis", "Postgres"]
    assert typed("Sessions go in Redis. Then the profiles go in Postgres.") == ["Redis", "Postgres"]


def test_tools_are_heard_as_whisper_mishears_them() -> None:
    assert heard("Long-term storage is Victoria matrix, and traces go to Yeager.") == ["VictoriaMetrics", "Jaeger"]
    assert heard("It does nearest neighbor look up in a face index.") == ["FAISS"]
    assert heard("We take a picture of your face index it.") == []


def test_a_take_back_said_alone_applies_to_the_next_part_named() -> None:
    assert typed("I'd keep the frontier in Redis. Actually, no, it gets too big. Let's keep it in RocksDB.") == \
        ["RocksDB"]
    assert heard("The content indexer builds the index in solar.") == ["content indexer", "Elasticsearch"]
    assert heard("The roof has solar panels.") == []


def test_more_names_as_whisper_writes_them() -> None:
    assert heard("Messages are saved in siloDB, partition by conversation.") == ["Cassandra"]
    assert heard("Payment is brain-treat, and the email goes out through MailGum.") == ["Stripe", "Twilio"]
    assert heard("Media files go to myIO because we run on premises.") == ["MinIO"]


def test_a_name_taken_back_as_soon_as_it_is_said_is_not_a_part() -> None:
    assert typed("Logs go to Logstash, no, we use Fluentd, and then to Kafka.") == ["Fluentd", "Kafka"]
    assert typed("The batch side runs on Spark, no wait, let me use Flink.") == ["Flink"]
    assert typed("Redis, no TTL, holds the sessions.") == ["Redis"]
    assert typed("Postgres, no joins, and Redis for sessions.") == ["Postgres", "Redis"]

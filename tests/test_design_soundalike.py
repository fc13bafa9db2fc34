"""Technology names Whisper writes as words that only sound like them ("cuber needs" for Kubernetes), read as the
name in transcripts, and ordinary words that sound like a name ("reduce", "graph on") left as they are."""

from __future__ import annotations

from simulator.judging.design.extract import build_design
from simulator.judging.design.soundalike import key, onset, sounds
from simulator.judging.sentences import Sentence, sentences_from_text


def heard(*texts: str) -> list[str]:
    design = build_design([Sentence(t, 10.0 * i, 10.0 * i + 8, heard=True) for i, t in enumerate(texts)])
    return [c.name for c in design.components]


def typed(text: str) -> list[str]:
    return [c.name for c in build_design(sentences_from_text(text)).components]


def test_a_name_split_or_respelled_by_whisper_is_heard_as_the_name() -> None:
    assert heard("Everything runs on cuber needs.") == ["Kubernetes"]
    assert heard("The services are deployed on Cubanites.") == ["Kubernetes"]
    assert heard("The rows go in post gress.") == ["Postgres"]
    assert heard("Reject it locally without asking riddies.") == ["Redis"]


def test_typed_text_is_read_as_written() -> None:
    assert typed("Everything runs on cuber needs. Reject it locally without asking riddies.") == []


def test_ordinary_words_that_sound_like_a_name_stay_themselves() -> None:
    assert heard("We reduce the load, and draw a graph on the dashboard.") == []
    assert heard("A robot reads the offers, meaning a slash in the colon.") == []


def test_a_clipped_word_or_an_ordinary_ending_is_no_name() -> None:
    # "tateless" is stateless clipped after a pause; "tomically" ends as an adverb does
    assert heard("The servers are tateless and swap the file tomically.") == []


def test_a_sound_off_needs_a_long_name_and_the_same_onset() -> None:
    assert key("redis") == key("riddies"), "voicing and doubled letters aside, the two sound alike"
    assert heard("The rows are renese.") == [], "one sound off a five-letter name is too near ordinary speech"
    assert onset("bonoed") != onset("pinot")
    assert heard("Precomputing the top five bonoed makes it trivial.") == []


def test_a_name_said_right_is_never_respelled_around() -> None:
    assert heard("Kafka feeds the cuber needs cluster.") == ["Kafka", "Kubernetes"]


def test_the_catalogue_keys_are_worked_out_once() -> None:
    assert sounds() is sounds()
    assert "reduce" in sounds().ordinary and "riddies" not in sounds().ordinary


def test_a_name_spelled_letter_by_letter_or_with_a_number_word_is_the_name() -> None:
    assert heard("It all runs on K eight S.") == ["Kubernetes"]
    assert heard("Traffic goes through N G I N X first.") == ["Nginx"]
    assert heard("The uploads are stored in S-3.") == ["S3"]
    assert typed("It all runs on K eight S.") == [], "typed text is read as written"
    assert heard("Plan A and plan B, then step 3.") == [], "letters that spell no name stay letters"


def test_a_name_of_two_words_with_one_made_up_is_heard_as_the_name() -> None:
    """Whisper hears one word of "load balancer" or "object storage" and makes up the other from its sound."""
    assert heard("Clients go through the load malancer.") == ["clients", "load balancer"]
    assert heard("High level, client, load maternacer, stateless link service.") == \
        ["clients", "load balancer", "link service"]
    assert heard("Traffic comes in through the load-mancer.") == ["load balancer"]
    assert heard("The raw files go in objict storage.") == ["object store"]


def test_a_made_up_word_that_sounds_nothing_like_the_other_word_stays_itself() -> None:
    # begun elsewhere in the mouth ("urding" is no "calling"), too short a word to tell ("melon" for "open"), or
    # a word made from the other ("indexer" is not "index" misheard)
    assert heard("An urding service reads a stream from Kafka.") == ["Kafka"]
    assert heard("They run a melon search on the logs.") == []
    assert heard("Later, the search indexer.") == []
    assert typed("Clients go through the load malancer.") == ["clients"], "typed text is read as written"


def test_a_short_word_glued_onto_a_name_is_taken_off() -> None:
    """"clients go" written "clientscope", "and a post service" written "underpost service"."""
    assert heard("The main design is clientscope through a load balancer to a feed service underpost service.") \
        == ["clients", "load balancer", "feed service", "post service"]
    assert heard("Then it goes to an appost service.") == ["post service"]
    assert heard("Then the undertaker service.") == [], "only a word a system is called is taken out of a word"


def test_an_ordinary_word_whisper_writes_for_a_name_counts_only_where_it_stands_for_the_part() -> None:
    """"ready" for Redis before a part's word, "SQL" for SQS beside queue words, "console" for Consul beside
    discovery; the same words elsewhere stay themselves, and typed text is read as written."""
    assert heard("We'd graph ready latency and page on errors.") == ["Redis"]
    assert heard("The counts live in the reading cluster.") == ["Redis"]
    assert heard("When all the chunks are done we mark it ready in Postgres.") == ["Postgres"]
    assert heard("A change event goes on SQL, a worker picks it up.") == ["SQS", "workers"]
    assert heard("The rank comes from the database rather than sorting in SQL.") == ["database"]
    assert heard("The Envoy fleet gets the list of healthy instances from console.") == ["Envoy", "Consul"]
    assert heard("The admin console shows every flag.") == []
    assert typed("We'd graph ready latency.") == []


def test_a_product_name_whisper_split_or_ran_into_a_word_is_the_name() -> None:
    assert heard("Everything is served through Cloud Front.") == ["CDN"]
    assert heard("They also write the raw page.s3 every night.") == ["S3"]
    assert heard("Those rollups go sandinclickhouse for the dashboards.") == ["ClickHouse"]
    assert heard("The data is red and blue.") == [], "two ordinary words that make no product's name"


def test_a_long_word_a_system_is_called_may_be_said_in_another_form() -> None:
    """The bank says "collaborative", the candidate "collaboration servers"."""
    assert heard("Each document is owned by one collaboration server at a time.") == ["collaboration servers"]


def test_free_before_service_is_no_system_of_the_candidates() -> None:
    """Whisper writes "free" for "three": "split it into free services" names no free service."""
    assert heard("Let me split it into free services.") == []

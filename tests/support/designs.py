"""Designs as heard, made by hand, for the tests of how the reports show them; and a typed answer whose design
the real reader finds, for the end-to-end ones."""

from __future__ import annotations

from simulator.judging.design.model import (
    Choice,
    Component,
    ComponentKind,
    Design,
    DesignFinding,
    Figure,
    Flow,
    Quote,
    Safeguard,
)

FLOW = "Clients go through a load balancer to stateless API servers."
STORE = "Reads go to Redis first, then DynamoDB."
ESTIMATE = "I'll assume 100 million new links a day, so about 100 writes a second."
HOSTILE = "<script>window.__pwned = 1</script>"


def said(text: str) -> Quote:
    return Quote(text, 30.0)


def shortener() -> Design:
    return Design(
        components=[Component("clients", ComponentKind.CLIENT, said(FLOW)),
                    Component("load balancer", ComponentKind.LOAD_BALANCER, said(FLOW)),
                    Component("API servers", ComponentKind.SERVICE, said(FLOW), count=3),
                    Component("key service", ComponentKind.SERVICE, said(FLOW)),
                    Component("Redis", ComponentKind.CACHE, said(STORE), stateful=True),
                    Component("DynamoDB", ComponentKind.DATABASE, said(STORE), stateful=True, count=1)],
        choices=[Choice("DynamoDB", ("Postgres",), "the access pattern is a single key lookup", said(STORE)),
                 Choice("Redis", (), None, said(STORE))],
        figures=[Figure(1e8, "links", "day", said(ESTIMATE), "100 million new links a day"),
                 Figure(100, "writes", "second", said(ESTIMATE), "about 100 writes a second")],
        flows=[Flow("clients", "load balancer", None, said(FLOW)),
               Flow("load balancer", "API servers", None, said(FLOW)),
               Flow("API servers", "Redis", "reads", said(STORE)),
               Flow("Redis", "DynamoDB", "on a miss", said(STORE))],
        safeguards=[Safeguard("Redis", "replicas", said(STORE))])


def slips() -> list[DesignFinding]:
    return [DesignFinding("arithmetic", None, "100 million a day is about 1,160 a second, not 100.", said(ESTIMATE)),
            DesignFinding("lone_stateful", "DynamoDB", "DynamoDB is named once, with nothing said about failover.",
                          said(STORE))]



SHORTENER = ("Before I start, who uses this and what matters most? I'll assume 100 million new links a day, so about "
             "100 writes a second. Clients go through a load balancer to stateless API servers. Codes come from a "
             "counter range handed out by a key service. Reads go to Redis first, then DynamoDB. I picked DynamoDB "
             "over Postgres because lookups are by a single key. I chose Redis.")

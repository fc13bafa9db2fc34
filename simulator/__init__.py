"""A local, voice-driven mock interview simulator for rehearsing system design answers."""

__version__ = "0.1.0"

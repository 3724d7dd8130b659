"""Fixtures of the generated-client tests (defined in client_support)."""

from client_support import aclient, client, recorder, sleeps

__all__ = ["aclient", "client", "recorder", "sleeps"]

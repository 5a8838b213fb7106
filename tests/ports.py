"""Ports for the servers tests start on 127.0.0.1: never a fixed one, since other test runs
may share the machine."""

import socket


def free_port() -> int:
    """A port nothing listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

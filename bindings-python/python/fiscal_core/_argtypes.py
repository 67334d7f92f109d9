"""Argument types the command-line tools share (``fiscal-core`` and ``fiscal-core fleet``)."""

from __future__ import annotations

import argparse


def _whole(text: str, least: int, why: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < least:
        raise argparse.ArgumentTypeError(why)
    return n


def positive(text: str) -> int:
    """A whole number, at least 1."""
    return _whole(text, 1, "must be at least 1")


def count(text: str) -> int:
    """A whole number, 0 or more."""
    return _whole(text, 0, "must be 0 or more")

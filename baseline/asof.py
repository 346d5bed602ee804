"""The day expiry is judged on: the real clock, or `--as-of`; never `SOURCE_DATE_EPOCH`.

`SOURCE_DATE_EPOCH` pins the report's timestamp so that builds are reproducible; if it also
chose the day waivers and attestations are judged on, an old epoch would revive every expired
waiver. A user who wants another day says so with `--as-of YYYY-MM-DD`, and the record says
which day was used.
"""

from __future__ import annotations

import argparse
import datetime as dt

from baseline.errors import InputError


def real_today() -> dt.date:
    """Today in UTC, from the real clock."""
    return dt.datetime.now(tz=dt.timezone.utc).date()


def parse_as_of(text: str | None) -> dt.date:
    """`--as-of YYYY-MM-DD` as a date; today (UTC, real clock) when not given."""
    if text is None:
        return real_today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError.single("--as-of", "", f"{text!r} is not a date (YYYY-MM-DD)") from None


def add_as_of_argument(parser: argparse.ArgumentParser) -> None:
    """`--as-of`, the same for every command that assesses."""
    parser.add_argument(
        "--as-of",
        default=None,
        metavar="YYYY-MM-DD",
        help="judge waiver and attestation expiry on this day (default: today, real clock; "
        "SOURCE_DATE_EPOCH only pins the report's timestamp)",
    )

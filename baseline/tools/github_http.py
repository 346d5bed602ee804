"""A minimal GitHub REST client on urllib: one GET, JSON out, no redirects, bounded reads."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import Any

MAX_BODY = 4 * 1024 * 1024
API_VERSION = "2022-11-28"


@dataclass(frozen=True)
class ApiReply:
    """An HTTP answer: status (0 when none arrived), parsed JSON body, message, rate limit."""

    status: int
    body: Any
    message: str = ""
    rate_limited: bool = False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuse redirects: the Authorization header must not follow a response elsewhere."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect())


def _reply(status: int, raw: bytes, headers: Message) -> ApiReply:
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        body = None
    message = str(body.get("message", "")) if isinstance(body, dict) else ""
    remaining = headers.get("x-ratelimit-remaining")
    limited = status == 429 or (
        status == 403 and (remaining == "0" or "rate limit" in message.lower())
    )
    return ApiReply(status, body, message[:300], limited)


def get_json(url: str, token: str, timeout: float) -> ApiReply:
    """GET `url` with the token; any transport failure is status 0 with the reason."""
    request = urllib.request.Request(  # noqa: S310 - scheme checked by the caller (https/loopback)
        url,
        headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {token}",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": "ssdf-baseline",
        },
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return _reply(response.status, response.read(MAX_BODY), response.headers)
    except urllib.error.HTTPError as exc:
        return _reply(exc.code, exc.read(MAX_BODY), exc.headers)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return ApiReply(0, None, f"no answer: {reason}")

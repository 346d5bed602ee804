"""The repository's remote as the record names it: normalized, without credentials.

`remote.origin.url` comes from the assessed repository's own git config, read as data
(baseline/tools/git.py), so it is the repository's claim about where it lives, not a verified
fact; the record says so. Normalized so that the same repository reads the same whichever way
it was cloned: `git@github.com:owner/repo.git`, `ssh://git@github.com/owner/repo` and
`https://token@github.com/owner/repo.git` all become `https://github.com/owner/repo`. A user name
or token in the URL is never kept. Local paths and `file://` URLs name a folder on someone's
machine, not a repository others can find: they give None.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_URL = 500
_SCP = re.compile(r"^(?:[A-Za-z0-9._~-]+@)?(?P<host>[A-Za-z0-9.-]+):(?!//)(?P<path>[^\s]+)$")
_HOST = re.compile(r"^[A-Za-z0-9.-]+$")
_PATH = re.compile(r"^[A-Za-z0-9._~/+-]+$")


def normalize_remote(url: str | None) -> str | None:
    """`https://host/owner/repo` for a network remote; None for anything else."""
    if not url or len(url) > MAX_URL or not url.isprintable():
        return None
    text = url.strip()
    scp = _SCP.match(text)
    if scp and "://" not in text:
        host, path = scp.group("host"), scp.group("path")
    else:
        try:
            parts = urlsplit(text)
            host = parts.hostname or ""
        except ValueError:
            return None
        if parts.scheme not in ("https", "http", "ssh", "git", "git+ssh", "ssh+git"):
            return None
        path = parts.path
    path = path.strip("/").removesuffix(".git").strip("/")
    if not host or not _HOST.match(host) or not path or not _PATH.match(path) or ".." in path:
        return None
    return f"https://{host.lower()}/{path}"

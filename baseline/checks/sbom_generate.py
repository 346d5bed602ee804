"""What the lockfiles pin, and an SBOM generated from it when the vendor has none.

Ecosystems read: Python (requirements files pinned with `==`, poetry.lock, uv.lock, pdm.lock,
pylock.toml, Pipfile.lock: baseline/checks/osv.py's `pinned_python`) and npm
(package-lock.json, npm-shrinkwrap.json). Other lockfiles (yarn, pnpm, Go, Cargo, Ruby,
Composer) are not read for versions yet.

The generated document is CycloneDX 1.6 JSON built with `cyclonedx-python-lib`'s model
(baseline/tools/cyclonedx.py): serial number from the repository and commit, timestamp from
`SOURCE_DATE_EPOCH` or the run's clock (the record's `generated_at`), so a reproducible run
gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from typing import Any

from baseline._version import __version__
from baseline.checks.dep_files import dependency_files
from baseline.checks.osv import pinned_python
from baseline.context import Context
from baseline.models import Scope
from baseline.tools.sbom_doc import GENERATED_NAME

ECOSYSTEMS = "Python and npm"
NPM_LOCKS = ("package-lock.json", "npm-shrinkwrap.json")  # gitignore patterns: at any depth


@dataclass(frozen=True)
class Lock:
    """One package a lockfile (or pinned requirements file) pins."""

    ecosystem: str
    """The package URL type: `pypi`, `npm`."""
    name: str
    version: str
    path: str
    line: int | None = None


def _npm_packages(data: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    packages = data.get("packages") if isinstance(data, dict) else None
    if isinstance(packages, dict):  # lockfileVersion 2 and 3
        for key, info in packages.items():
            if "node_modules/" in key and isinstance(info, dict) and info.get("version"):
                if not info.get("link"):
                    found.append((key.rsplit("node_modules/", 1)[1], str(info["version"])))
        return found

    def walk(deps: Any) -> None:  # lockfileVersion 1: nested dependencies
        for name, info in (deps or {}).items() if isinstance(deps, dict) else ():
            if isinstance(info, dict) and info.get("version"):
                found.append((str(name), str(info["version"])))
                walk(info.get("dependencies"))

    walk(data.get("dependencies") if isinstance(data, dict) else None)
    return found


def locked(ctx: Context) -> list[Lock]:
    """Every pin of the ecosystems we read in the product's files, sorted, without duplicates.

    Lockfiles of tests, fixtures, examples, docs and vendored code (baseline/scope.py) are left
    out: they do not describe what the vendor ships."""
    pins = [Lock("pypi", n, v, path, line) for n, v, path, line in pinned_python(ctx)]
    for path in dependency_files(ctx, NPM_LOCKS):
        try:
            data = json.loads(ctx.read_text(path, 64 * 1024 * 1024))
        except ValueError:
            continue  # an unreadable lockfile is deps.*'s to report, not the SBOM's
        pins += [Lock("npm", name, version, path) for name, version in _npm_packages(data)]
    product = [p for p in set(pins) if ctx.options.scope.classify(p.path) is Scope.PRODUCT]
    return sorted(product, key=lambda p: (p.path, p.line or 0, p.ecosystem, p.name, p.version))


ARTIFACT = GENERATED_NAME


def generated_at() -> dt.datetime:
    """The engine's rule for the record's `generated_at` (baseline/engine.py, which the checks
    may not import): `SOURCE_DATE_EPOCH` when set, else now. The engine refuses a bad
    `SOURCE_DATE_EPOCH` before any check runs; here it falls back to the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.now(tz=dt.timezone.utc).replace(microsecond=0)


def generate(ctx: Context) -> str:
    """A CycloneDX 1.6 JSON SBOM of the locked packages (deterministic; see the docstring)."""
    from baseline.tools import cyclonedx

    subject = ctx.git.remote_url or ctx.root.name
    packages = [(p.ecosystem, p.name, p.version) for p in locked(ctx)]
    return cyclonedx.generate(packages, subject, ctx.git.commit, generated_at(), __version__)

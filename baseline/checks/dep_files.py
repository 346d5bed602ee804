"""Find and read dependency manifests, lockfiles and requirements files (never executed).

Requirements files are read line by line (continuations joined) with `packaging`; lockfiles
in TOML or JSON are read with the standard library. Parsing problems are returned, not raised.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from baseline import tomlcompat
from baseline.context import Context

# Manifest name -> lockfiles that pin it (in the same folder).
LOCKS: dict[str, tuple[str, ...]] = {
    "pyproject.toml": ("poetry.lock", "uv.lock", "pdm.lock", "pylock.toml"),
    "Pipfile": ("Pipfile.lock",),
    # bun.lock: Bun's text lockfile (Bun 1.2+; honojs/hono), an integrity per package
    "package.json": (
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lock",
    ),
    "go.mod": ("go.sum",),
    "Cargo.toml": ("Cargo.lock",),
    "Gemfile": ("Gemfile.lock",),
    "composer.json": ("composer.lock",),
    # Maven itself has no lockfile: a build resolves the transitive versions anew and records
    # neither them nor their checksums (spring-projects/spring-petclinic, WebGoat/WebGoat
    # pom.xml). The maven-lockfile plugin (io.github.chains-project) writes lockfile.json beside
    # the pom: every resolved artifact with its version and SHA-256, checked on `validate`.
    "pom.xml": ("lockfile.json",),
    # Gradle writes gradle.lockfile when dependency locking is on (`dependencyLocking {...}`).
    "build.gradle": ("gradle.lockfile",),
    "build.gradle.kts": ("gradle.lockfile",),
    # NuGet: a project with <PackageReference> is locked by packages.lock.json beside it
    # (RestorePackagesWithLockFile), which records a contentHash per package (jellyfin/jellyfin
    # has 42 .csproj and no lock: they were read as "no dependency manifests").
    "*.csproj": ("packages.lock.json",),
    "*.fsproj": ("packages.lock.json",),
    "*.vbproj": ("packages.lock.json",),
}
# Lockfile name -> what shows it records integrity hashes.
LOCK_HASH = {
    "poetry.lock": r"\bhash\s*=",
    "uv.lock": r"\bhash\s*=",
    "pdm.lock": r"\bhash\s*=",
    "pylock.toml": r"\bsha256\s*=",
    "Pipfile.lock": r'"hashes"',
    "package-lock.json": r'"integrity"',
    "npm-shrinkwrap.json": r'"integrity"',
    "yarn.lock": r"\b(integrity|checksum)\b",
    "pnpm-lock.yaml": r"\bintegrity:",
    "bun.lock": r'"sha(256|384|512)-',
    "go.sum": r" h1:",
    "Cargo.lock": r"\bchecksum\s*=",
    "Gemfile.lock": r"^CHECKSUMS$",
    "composer.lock": r'"shasum":\s*"[0-9a-f]{40}',
    "lockfile.json": r'"checksum"\s*:\s*"[0-9a-f]{64}',
    "packages.lock.json": r'"contentHash"\s*:\s*"[A-Za-z0-9+/=]{40,}"',
    # versions only; Gradle keeps checksums apart, in gradle/verification-metadata.xml
    "gradle.lockfile": r"(?!)",
}
HASHES_BESIDE = {"gradle.lockfile": ("gradle/verification-metadata.xml", r"<sha(256|512) value=")}
"""Lockfile name -> (file next to it that records the hashes instead, what shows it does)."""
# The build file is hostile: any spelling the build tool accepts counts (`<dependency >`, a
# `dependencies {}` block on one line or nested in `subprojects {}`, dependencies kept in
# another file and applied), and a false "declares" only asks for a lock. No pattern starts
# with `^\s*` under re.M: tried at every line start it runs over every blank line after it
# (quadratic; hours on 2 MiB of newlines).
_GRADLE_DEPENDENCIES = re.compile(r"\bdependencies\b|\bapply\b[^\n]*\bfrom\b")
_JVM_DEPENDENCIES = {
    "pom.xml": re.compile(r"<(?:[\w.-]+:)?dependency[\s>]"),
    "build.gradle": _GRADLE_DEPENDENCIES,
    "build.gradle.kts": _GRADLE_DEPENDENCIES,
}
MANIFEST_READ_LIMIT = 32 * 1024 * 1024
"""A manifest larger than this is taken to declare dependencies (it is not read to the end)."""
_PACKAGE_REFERENCE = re.compile(r"<PackageReference\b", re.I)


def locks_of(manifest_name: str) -> tuple[str, ...]:
    """The lockfile names that lock a manifest of this name (`App.csproj` -> NuGet's)."""
    if manifest_name in LOCKS:
        return LOCKS[manifest_name]
    suffix = manifest_name.rsplit(".", 1)[-1]
    return LOCKS.get(f"*.{suffix}", ())


REQUIREMENTS_GLOBS = ("**/requirements*.txt", "**/requirements/*.txt")
_VENDORED = re.compile(r"(^|/)(node_modules|vendor|\.venv|venv|site-packages)/")
_HASH_OPTION = re.compile(r"\s--hash[=\s]\S+")


def dependency_files(ctx: Context, globs: tuple[str, ...]) -> list[str]:
    """Matching files outside vendored folders."""
    return [f for f in ctx.matching(globs) if not _VENDORED.search(f)]


def manifests(ctx: Context) -> list[str]:
    """Dependency manifests of every ecosystem we know."""
    return dependency_files(ctx, tuple(f"**/{name}" for name in LOCKS))


def declares_jvm_dependencies(ctx: Context, path: str) -> bool | None:
    """Whether a Maven or Gradle build file or a .NET project names dependencies (an
    aggregator pom.xml of modules, a project without packages, names none); None for any
    other file."""
    name = path.rsplit("/", 1)[-1]
    pattern = _JVM_DEPENDENCIES.get(name)
    if pattern is None and name.rsplit(".", 1)[-1] in ("csproj", "fsproj", "vbproj"):
        pattern = _PACKAGE_REFERENCE  # a .NET project without packages needs no lock
    if pattern is None:
        return None
    text = whole_text(ctx, path)
    return text is None or bool(pattern.search(text))


def whole_text(ctx: Context, path: str) -> str | None:
    """A manifest's whole text, or None when it is larger than MANIFEST_READ_LIMIT (a prefix
    would hide whatever the file declares after it)."""
    raw = ctx.read_bytes(path, MANIFEST_READ_LIMIT + 1)
    return None if len(raw) > MANIFEST_READ_LIMIT else raw.decode("utf-8", "replace")


def lockfiles(ctx: Context) -> list[str]:
    """Lockfiles of every ecosystem we know. `lockfile.json` is a common name: it is
    maven-lockfile's only beside a pom.xml (elsewhere it locks nothing we know)."""
    found = dependency_files(ctx, tuple(f"**/{name}" for name in LOCK_HASH))
    files = set(ctx.files)
    return [
        f
        for f in found
        if f.rsplit("/", 1)[-1] != "lockfile.json"
        or (f.rpartition("/")[0] + "/pom.xml").lstrip("/") in files
    ]


@dataclass(frozen=True)
class ReqLine:
    """One requirement line of a requirements file."""

    path: str
    line: int
    text: str
    name: str
    version: str | None
    """The exact version when pinned with == or ===, else None."""
    hashed: bool


def _logical_lines(text: str) -> list[tuple[int, str]]:
    lines: list[tuple[int, str]] = []
    start, parts = 0, list[str]()
    for number, raw in enumerate(text.splitlines(), start=1):
        if not parts:
            start = number
        stripped = raw.split(" #", 1)[0] if not raw.lstrip().startswith("#") else ""
        if stripped.rstrip().endswith("\\"):
            parts.append(stripped.rstrip()[:-1])
            continue
        parts.append(stripped)
        lines.append((start, " ".join(p.strip() for p in parts).strip()))
        parts = []
    return [(n, t) for n, t in lines if t]


def read_requirements(ctx: Context, path: str) -> tuple[list[ReqLine], list[str]]:
    """Requirements of one file and the lines that could not be parsed (as `path:line`)."""
    found: list[ReqLine] = []
    bad: list[str] = []
    for number, text in _logical_lines(ctx.read_text(path)):
        if text.startswith("-"):
            continue  # options (-r, -c, --index-url, -e) name no pinnable requirement here
        hashed = bool(_HASH_OPTION.search(f" {text}"))
        spec = _HASH_OPTION.sub("", f" {text}").strip()
        try:
            req = Requirement(spec)
        except InvalidRequirement:
            bad.append(f"{path}:{number}")
            continue
        specifiers = list(req.specifier)
        exact = len(specifiers) == 1 and specifiers[0].operator in ("==", "===")
        version = specifiers[0].version if exact and "*" not in specifiers[0].version else None
        if req.url and re.search(r"(sha256=[0-9a-f]{64}|@[0-9a-f]{40}\b)", req.url):
            version = version or "url"
        found.append(
            ReqLine(path, number, text[:200], canonicalize_name(req.name), version, hashed)
        )
    return found, bad


def locked_python(ctx: Context, path: str) -> list[tuple[str, str]]:
    """(name, version) pairs a Python lockfile pins; empty when it cannot be read."""
    name = path.rsplit("/", 1)[-1]
    text = ctx.read_text(path, 32 * 1024 * 1024)
    try:
        if name == "Pipfile.lock":
            data = json.loads(text)
            return [
                (canonicalize_name(pkg), str(info["version"]).lstrip("="))
                for section in ("default", "develop")
                for pkg, info in (data.get(section) or {}).items()
                if isinstance(info, dict) and str(info.get("version", "")).startswith("==")
            ]
        if name in ("poetry.lock", "uv.lock", "pdm.lock", "pylock.toml"):
            data = tomlcompat.loads(text)
            packages = data.get("package") or data.get("packages") or []
            return [
                (canonicalize_name(str(p["name"])), str(p["version"]))
                for p in packages
                if isinstance(p, dict) and "name" in p and "version" in p
            ]
    except (ValueError, TypeError, KeyError, AttributeError):
        return []
    return []

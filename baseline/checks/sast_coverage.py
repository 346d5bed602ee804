"""Which product code a semgrep check's rules can read: a language no selected rule is written
for was not analysed, so a clean scan says nothing about it (`needs_review`, never `pass`).

Rules written for `regex` or `generic` read any text; they count as covering every language only
when the check selected nothing but their family (`secrets.*`, whose one Python rule only adds
assignments on top), because a code-analysis check that found no token in Go has not analysed
the Go.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import yaml

from baseline.checks.sast import selected_rules
from baseline.models import Scope
from baseline.scope import ScopeRules

LANGUAGES: Mapping[str, str] = {
    "py": "python", "pyi": "python", "js": "javascript", "jsx": "javascript",
    "mjs": "javascript", "cjs": "javascript", "ts": "typescript", "tsx": "typescript",
    "go": "go", "java": "java", "rb": "ruby", "php": "php", "c": "c", "h": "c", "cc": "cpp",
    "cpp": "cpp", "hpp": "cpp", "cs": "csharp", "rs": "rust", "kt": "kotlin",
    "swift": "swift", "scala": "scala",
}  # fmt: skip
"""Source-code suffixes and the semgrep language that reads them."""
_ANY_TEXT = frozenset({"regex", "generic"})
_ALIASES = {"js": "javascript", "ts": "typescript", "py": "python", "golang": "go"}


@functools.lru_cache(maxsize=8)
def rule_languages(files: tuple[Path, ...]) -> Mapping[str, frozenset[str]]:
    """Rule id -> the languages it is written for, from the pack's YAML (read, never run)."""
    found: dict[str, frozenset[str]] = {}
    for path in files:
        document = yaml.safe_load(path.read_text("utf-8")) or {}
        for rule in document.get("rules") or []:
            if isinstance(rule, dict) and isinstance(rule.get("id"), str):
                langs = rule.get("languages") or []
                found[rule["id"]] = frozenset(_ALIASES.get(str(x), str(x)) for x in langs)
    return found


def uncovered(
    targets: Iterable[str],
    languages: Mapping[str, frozenset[str]],
    chosen: Sequence[str],
    scope: ScopeRules,
) -> dict[str, list[str]]:
    """Language -> product files in it that none of the chosen rules (globs) reads."""
    ids = selected_rules(list(languages), chosen)
    text_families = {_family(i) for i, lang in languages.items() if lang & _ANY_TEXT}
    if ids and all(_family(i) in text_families for i in ids):
        return {}  # a text check (secrets.*): its regex rules read every file
    langs = [languages[i] - _ANY_TEXT for i in ids]
    covered = frozenset().union(*langs) if langs else frozenset()
    missing: dict[str, list[str]] = {}
    for rel in targets:
        suffix = rel.rsplit(".", 1)[-1].lower() if "." in rel.rsplit("/", 1)[-1] else ""
        lang = LANGUAGES.get(suffix)
        if lang and lang not in covered and scope.classify(rel) is Scope.PRODUCT:
            missing.setdefault(lang, []).append(rel)
    return missing


def _family(rule: str) -> str:
    return rule.split(".", 1)[0]


def describe(missing: Mapping[str, Sequence[str]]) -> str:
    """`go (12 files, e.g. cmd/main.go)`, joined, for a summary."""
    return ", ".join(
        f"{lang} ({len(files)} file(s), e.g. {files[0]})" for lang, files in sorted(missing.items())
    )

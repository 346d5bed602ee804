"""Coverage is evidence: per language of the product code, what analyzed it.

A SAST check's evidence carries a table: each language of the product-scope code it was offered
(`code_languages`: by suffix, name or shebang), its files and lines, and the analyzers that
read it with how many of their rules are written for it. A language with none was not analysed,
so a clean scan says nothing about it: `needs_review` with the figure ("1,240 lines of Kotlin in
3 files were not analyzed"), never `pass`; a `fail` stays a `fail`. The check's
`unanalyzed_lines_allowed` (default 0) is the total below which such code is only shown.

Rules written for `regex` or `generic` read any text but understand none: they never make a
language analysed. A check that selected nothing but their family (`secrets.*`) is a text check;
it has no coverage table.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import yaml

from baseline.checks import code_languages, memo, sast_files
from baseline.checks.interface import Param
from baseline.checks.sast import selected_rules
from baseline.context import Context
from baseline.models import CheckOutcome, Evidence, LanguageCoverage, Scope

ALLOWED_PARAM = Param(
    int,
    0,
    "lines of product code in languages nothing read that are only shown, not `needs_review` "
    "(a total over those languages)",
    bounds=(0, 1_000_000_000),
)
_ANY_TEXT = frozenset({"regex", "generic", "none"})
_ALIASES = {
    "js": "javascript", "ts": "typescript", "py": "python", "golang": "go", "bash": "shell",
    "sh": "shell", "docker": "dockerfile", "c#": "csharp", "cs": "csharp", "kt": "kotlin",
    "rb": "ruby", "c++": "cpp", "rs": "rust",
}  # fmt: skip


def language_name(name: object) -> str:
    """A rule's language as `code_languages` names it (`bash` -> `shell`, `js` -> `javascript`)."""
    text = str(name).lower()
    return _ALIASES.get(text, text)


@functools.lru_cache(maxsize=8)
def rule_languages(files: tuple[Path, ...]) -> Mapping[str, frozenset[str]]:
    """Rule id -> the languages it is written for, from the pack's YAML (read, never run);
    remembered per process (for the shipped pack, which does not change)."""
    return read_languages(files)


def read_languages(files: Iterable[Path]) -> dict[str, frozenset[str]]:
    """Rule id -> the languages it is written for, read now (for added rule files)."""
    found: dict[str, frozenset[str]] = {}
    for path in files:
        document = yaml.safe_load(path.read_text("utf-8")) or {}
        for rule in document.get("rules") or []:
            if isinstance(rule, dict) and isinstance(rule.get("id"), str):
                langs = rule.get("languages") or []
                found[rule["id"]] = frozenset(language_name(x) for x in langs)
    return found


def product_code(ctx: Context) -> Mapping[str, str]:
    """Every product-scope code file of the target -> its language; once per run."""
    return memo.shared_scan(ctx, {"coverage": "product code"}, lambda: _product_code(ctx))


TOOLING_FOLDERS = frozenset({".devcontainer", ".github", ".gitlab", ".circleci", ".husky",
                             ".githooks", ".vscode", ".idea"})  # fmt: skip
"""Root folders of the repository's own tooling (CI, editors, dev containers, git hooks)."""


def _tooling(rel: str) -> bool:
    """A file in a known tooling folder at the root (`.devcontainer/`, `.github/`): not the
    product a vendor ships, so its scripts do not count as unanalyzed product code (flask's and
    pip's `.devcontainer` scripts made their settings checks needs_review). Only these names:
    any hidden folder would let a repository hide product code from the coverage table."""
    return "/" in rel and rel.split("/", 1)[0] in TOOLING_FOLDERS


def _product_code(ctx: Context) -> dict[str, str]:
    scope = ctx.options.scope
    found: dict[str, str] = {}
    for rel in ctx.files:
        if scope.classify(rel) is Scope.PRODUCT and not _tooling(rel):
            language = code_languages.language_of(ctx, rel)
            if language is not None:
                found[rel] = language
    return found


def _lines(ctx: Context, rel: str) -> int:
    # Only files a scanner was offered are counted (they are within its size limit), each
    # once per run, whichever check asks first.
    counted: dict[str, int] = memo.shared_scan(ctx, {"coverage": "lines"}, dict)
    if rel not in counted:
        counted[rel] = code_languages.count_lines(ctx, rel, sast_files.MAX_FILE_BYTES_CAP)
    return counted[rel]


def table(
    ctx: Context, targets: Iterable[str], readers: Mapping[str, Sequence[tuple[str, int]]]
) -> tuple[LanguageCoverage, ...]:
    """The coverage rows of the product code among `targets`, sorted by language.

    `readers` maps a language to the (analyzer, rule count) pairs that read it.
    """
    code = product_code(ctx)
    files: dict[str, list[str]] = {}
    lines: dict[str, int] = {}
    for rel in targets:
        if rel in code:
            language = code[rel]
            files.setdefault(language, []).append(rel)
            lines[language] = lines.get(language, 0) + _lines(ctx, rel)
    return tuple(
        LanguageCoverage(
            language=lang,
            files=len(paths),
            lines=lines[lang],
            analyzers=tuple(a for a in readers.get(lang, ()) if a[1] > 0),
            example=sorted(paths)[0],
        )
        for lang, paths in sorted(files.items())
    )


def unread_elsewhere(
    ctx: Context, read: frozenset[str], max_bytes: int
) -> tuple[LanguageCoverage, ...]:
    """Rows for the product code in languages outside `read` (files within `max_bytes`)."""
    code = product_code(ctx)
    targets = [
        rel for rel, language in code.items()
        if language not in read and ctx.stat(rel).st_size <= max_bytes
    ]  # fmt: skip
    return table(ctx, targets, {})


def pack_languages(languages: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """Every language some code rule of a pack is written for (not regex/generic)."""
    return frozenset().union(*languages.values()) - _ANY_TEXT if languages else frozenset()


def semgrep_readers(
    languages: Mapping[str, frozenset[str]], chosen: Sequence[str]
) -> Mapping[str, list[tuple[str, int]]] | None:
    """Language -> [("semgrep", selected rules written for it)]; None for a text-only check."""
    ids = selected_rules(list(languages), chosen)
    if ids and all(_family(i) in _text_families(languages) for i in ids):
        return None  # a text check (secrets.*): its regex rules read every file
    counts: dict[str, int] = {}
    for rule in ids:
        for lang in languages.get(rule, frozenset()) - _ANY_TEXT:
            counts[lang] = counts.get(lang, 0) + 1
    return {lang: [("semgrep", n)] for lang, n in counts.items()}


def _family(rule: str) -> str:
    return rule.split(".", 1)[0]


def _text_families(languages: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """Families most of whose rules read text, not code (`secrets`: token regexes, one
    Python and one Java rule); a code pack with a regex rule or two stays a code pack."""
    text: dict[str, int] = {}
    code: dict[str, int] = {}
    for rule, langs in languages.items():
        counts = text if langs and langs <= _ANY_TEXT else code
        counts[_family(rule)] = counts.get(_family(rule), 0) + 1
    return frozenset(f for f, n in text.items() if n > code.get(f, 0))


def figure(rows: Iterable[LanguageCoverage]) -> str:
    """`1,240 lines of Kotlin in 3 files (e.g. app/Main.kt)`, joined, for a summary."""
    return ", ".join(
        f"{r.lines:,} lines of {code_languages.display(r.language)} in {r.files} "
        f"file{'s' if r.files != 1 else ''} (e.g. {r.example})"
        for r in rows
    )


def judge(
    evidence: Evidence, rows: tuple[LanguageCoverage, ...], allowed: int, why: str
) -> Evidence:
    """The evidence with its coverage table; unanalysed code over `allowed` lines makes a pass
    or a review `needs_review`, with the figure; other outcomes only gain the figure."""
    evidence = replace(evidence, coverage=rows)
    missing = [r for r in rows if not r.analyzers]
    if not missing:
        return evidence
    total = sum(r.lines for r in missing)
    text = f"{figure(missing)} {'was' if total == 1 else 'were'} not analyzed"
    if total <= allowed:
        note = f"{text} (within `unanalyzed_lines_allowed` = {allowed} lines)"
        return replace(evidence, summary=f"{evidence.summary}; {note}")
    # Without its failing findings (accepted ones) the check would still need a person.
    evidence = replace(evidence, passing_outcome=CheckOutcome.NEEDS_REVIEW)
    if evidence.outcome not in (CheckOutcome.PASS, CheckOutcome.NEEDS_REVIEW):
        return replace(evidence, summary=f"{evidence.summary}; {text}")
    return replace(
        evidence,
        outcome=CheckOutcome.NEEDS_REVIEW,
        summary=f"{evidence.summary}; {text}: {why} (add rules for it, or attest to "
        "another analyzer)",
    )

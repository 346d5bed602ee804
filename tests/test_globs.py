"""The one glob dialect (baseline/globs.py): gitignore rules, the same answer in every place that
takes a pattern, git itself as the reference, bounded time on hostile patterns, and the shipped
evidence globs that were root-only still root-only."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pathspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baseline import globs
from baseline.checks import (
    dep_files,
    dependencies,
    repo_files,
    sast_files,
    workflow_yaml,
    workflows_zizmor,
)
from baseline.context import RunOptions, build_context, walk
from baseline.models import CheckOutcome, Scope
from baseline.project.config import load_config
from baseline.scope import DEFAULTS, ScopeRules

FOLDER = "below a matched folder"
"""Matched through a folder above the path: the places that leave paths out (excludes, scope,
test paths, `allow`) say yes, as git does; the evidence globs, which look for files by name,
say no (a folder named `security` does not make its files a security policy)."""

# (patterns, path, whether the list matches the path): the dialect, row by row.
DIALECT: list[tuple[list[str], str, bool | str]] = [
    # `*` and `?` never cross `/`; a pattern with a slash is anchored at the root.
    (["docs/*.md"], "docs/a.md", True),
    (["docs/*.md"], "docs/a/b.md", False),  # fnmatch's `*` crossed `/`: it matched
    (["src/?.py"], "src/a.py", True),
    (["src?a.py"], "src/a.py", False),
    (["[!a]b"], "cb", True),
    (["[!a]b"], "ab", False),
    (["[a-c]x.py"], "bx.py", True),
    # No slash: a name at any depth; a leading slash: the root only.
    (["*.min.js"], "static/js/app.min.js", True),
    (["SECURITY.md"], "vendor/pkg/SECURITY.md", True),
    (["/SECURITY.md"], "vendor/pkg/SECURITY.md", False),
    (["/SECURITY.md"], "SECURITY.md", True),
    (["/*.py"], "setup.py", True),
    (["/*.py"], "src/setup.py", False),
    # A folder that matches matches everything below it; a trailing `/` means folders only.
    (["vendor"], "vendor/lib/x.py", FOLDER),
    (["vendor"], "src/vendor/x.py", FOLDER),
    (["vendor/*"], "vendor/lib/x.py", FOLDER),
    (["build/"], "build/out/x.py", FOLDER),
    (["build/"], "src/build", False),  # a file named build
    (["build"], "src/build", True),
    # `**` as a whole segment: any number of folders; a trailing `/**` everything inside.
    (["**/tests/**"], "tests/test_a.py", True),
    (["**/tests/**"], "pkg/tests/sub/a.py", True),
    (["**/tests/**"], "pkg/latest/a.py", False),
    (["a/**/b.py"], "a/b.py", True),
    (["a/**/b.py"], "a/x/y/b.py", True),
    (["a/**"], "a", False),
    (["a**"], "ab/c.py", FOLDER),  # not a whole segment: a `*`
    (["a**"], "x/ba/c.py", False),
    # Migration: what an fnmatch exclude or check glob meant before (docs/vendor-workflow.md).
    (["*/generated.py"], "a/generated.py", True),
    (["*/generated.py"], "a/b/generated.py", False),  # fnmatch: matched
    (["**/test_*.py"], "test_x/a.py", False),  # the check dialect: matched
    (["src/*"], "src/a/b.py", FOLDER),
    # Lists: the last match wins, `!` re-includes, never below an excluded folder.
    (["*.py", "!keep.py"], "src/keep.py", False),
    (["*.py", "!keep.py"], "src/drop.py", True),
    (["gen/", "!gen/keep.py"], "gen/keep.py", FOLDER),
    (["/*", "!/src/"], "src/a.py", False),
    (["/*", "!/src/"], "setup.py", True),
    # Escapes, blanks and comments as in a .gitignore.
    (["\\#notes.md"], "#notes.md", True),
    (["#notes.md"], "#notes.md", False),
    (["\\!x.py"], "!x.py", True),
    ([""], "a.py", False),
]


def _write(root: Path, rel: str) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text("x\n")


def _places(root: Path, patterns: list[str], path: str) -> dict[str, bool]:
    """Whether each place that takes a pattern list treats the path as matched."""
    _write(root, path)
    plain = build_context(root, "t", RunOptions(jobs=1))
    excluded = build_context(root, "t", RunOptions(jobs=1, excludes=tuple(patterns)))
    selected, _ = sast_files.select_targets(plain, lambda rel: True, patterns, None)
    labels = ScopeRules(globs=((Scope.VENDORED, tuple(patterns)),))
    return {
        "run excludes (--exclude, config excludes)": path not in excluded.files,
        "check `exclude` param": path not in selected,
        "check `test_paths` param": sast_files.in_test_paths(path, patterns),
        "[scope] globs": labels.classify(path) is Scope.VENDORED,
        "catalog evidence globs": plain.matching(patterns) == [path],
        "repo.no_binary_artifacts `allow`": repo_files.is_excluded(path, patterns),
    }


@pytest.mark.parametrize(("patterns", "path", "expected"), DIALECT)
def test_every_place_that_takes_a_pattern_reads_it_alike(
    tmp_path: Path, patterns: list[str], path: str, expected: bool | str
) -> None:
    answers = _places(tmp_path, patterns, path)
    evidence = answers.pop("catalog evidence globs")
    assert answers == dict.fromkeys(answers, expected is True or expected == FOLDER)
    assert evidence is (expected is True)
    assert globs.Globs(patterns).match(path, own=True) is evidence


# --- git as the reference --------------------------------------------------------------------

GIT_PATHS = (
    "a.py", "setup.py", "src/a.py", "src/b.txt", "src/lib/c.py", "src/lib/deep/d.py",
    "docs/a.md", "docs/a/b.md", "vendor/x/y.js", "x/vendor/z.js", "build/out.bin", "x/build",
    "SECURITY.md", "pkg/SECURITY.md", "a/b/c/d/e.txt", "a/e.txt", "foo/bar/baz", "foo/baz",
    "ab", "cb", "Ab", "x.min.js", "lib/x.min.js", "test_a.py", "tests/data/f.json",
    "deep/tests/t.py", "space name.txt", "a*b", "#hash", "!bang", "q/r/s/t/u/v.py",
)  # fmt: skip
GIT_LISTS = [
    ["*.py"], ["/*.py"], ["src/*.py"], ["src/**"], ["src/**/*.py"], ["**/*.py"], ["**/lib"],
    ["docs/*.md"], ["docs/**/*.md"], ["vendor"], ["vendor/"], ["/vendor/"], ["vendor/*"],
    ["build/"], ["build"], ["**/build"], ["SECURITY.md"], ["/SECURITY.md"], ["a/**/e.txt"],
    ["a/**"], ["a/**/"], ["**/a/**/"], ["**/c/**"], ["**/**/c/**/**"], ["***/e.txt"], ["a/b/c/d/e.txt/"],
    ["?b"], ["[!a]b"], ["[^a]b"], ["[a-b]b"], ["[[:upper:]]b"], ["[]a]b"], ["[z-a]b"],
    ["*.min.js"], ["lib/*.min.js"], ["test_*.py"], ["**/tests/**"], ["tests/"], ["foo/*/baz"],
    ["foo/**/baz"], ["foo**"], ["f*o/baz"], ["**/bar"], ["bar/"], ["space name.txt"],
    ["space name.txt  "], ["a\\*b"], ["\\#hash"], ["#hash"], ["\\!bang"], [""], ["/"],
    ["q/**/**/v.py"], ["**/r/**/u/*"], ["*/*/*"], ["*", "!*.py"], ["*.py", "!src/*.py"],
    ["src/", "!src/a.py"], ["/*", "!/src"], ["/*", "!/src/", "/src/lib/"],
    ["*.txt", "!e.txt"], ["**/*.md", "!docs/**"], ["a/", "!a/e.txt"], ["!a.py", "*.py"],
]  # fmt: skip


def _git_ignored(repo: Path, patterns: list[str]) -> set[str]:
    listing = repo / ".git" / "info" / "test-excludes"
    listing.write_text("".join(f"{p}\n" for p in patterns), encoding="utf-8")
    git = shutil.which("git")
    assert git, "git is the reference for the dialect"
    done = subprocess.run(  # noqa: S603 (fixed argv, a temporary repository)
        [git, "-c", "core.ignorecase=false", "ls-files", "-z", "-i", "-o",
         f"--exclude-from={listing}"],
        cwd=repo, capture_output=True, check=True,
        env={"PATH": os.environ["PATH"], "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)},
    )  # fmt: skip
    return set(done.stdout.decode().split("\0")) - {""}


def test_the_dialect_agrees_with_git_on_every_pattern_and_path(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)  # noqa: S607
    for rel in GIT_PATHS:
        _write(repo, rel)
    differences = []
    for patterns in GIT_LISTS:
        ours = {p for p in GIT_PATHS if globs.Globs(patterns).match(p)}
        by_git = _git_ignored(repo, patterns)
        if ours != by_git:
            differences.append((patterns, sorted(ours - by_git), sorted(by_git - ours)))
    assert differences == []
    # The walk of a run decides folder by folder, as git does.
    for patterns in GIT_LISTS:
        kept = {f for f in walk(repo, patterns)[0] if not f.startswith(".git/")}
        assert kept == set(GIT_PATHS) - _git_ignored(repo, patterns), patterns


# --- pathspec as a second reference, and the two matchers of globs.py against each other ------

_NAMES = st.sampled_from(["a", "b", "ab", "ba", "a.py", "x"])
_SEGMENTS = st.sampled_from(["a", "b", "ab", "*", "?", "a*", "*b", "**", "[ab]", "?.py", "*.py"])


@st.composite
def _patterns(draw: st.DrawFn) -> str:
    body = "/".join(draw(st.lists(_SEGMENTS, min_size=1, max_size=4)))
    lead = draw(st.sampled_from(["", "/", "**/"]))
    tail = draw(st.sampled_from(["", "/", "/**"]))
    return f"{lead}{body}{tail}"


_PATHS = st.lists(_NAMES, min_size=1, max_size=5).map("/".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(_patterns(), min_size=1, max_size=3), _PATHS)
def test_the_dialect_agrees_with_pathspec(patterns: list[str], path: str) -> None:
    compiled = globs.Globs(patterns)
    ours = compiled.match(path)
    # The one-regex path and the segment-by-segment path give the same answer.
    assert (compiled.deciding(path) is not None) is ours
    if ours is not pathspec.GitIgnoreSpec.from_lines(patterns).match_file(path):
        # pathspec errs on some dir-only forms (`**/a/**/` matches the file `b/a/a` there, not
        # in git): when the two disagree, git decides.
        with tempfile.TemporaryDirectory() as scratch:
            repo = Path(scratch)
            subprocess.run(["git", "init", "-q", scratch], check=True)  # noqa: S607
            _write(repo, path)
            assert ours is (path in _git_ignored(repo, patterns)), "git disagrees"


@settings(max_examples=60, deadline=None)
@given(st.lists(_patterns(), min_size=1, max_size=3), _PATHS, st.booleans())
def test_negations_and_folders_agree_with_git(patterns: list[str], path: str, negate: bool) -> None:
    listed = [f"!{p}" if negate and i % 2 else p for i, p in enumerate(patterns)]
    compiled = globs.Globs(listed)
    for is_dir, own in itertools.product((False, True), (False, True)):
        deciding = compiled.deciding(path, is_dir=is_dir, own=own)
        assert compiled.match(path, is_dir=is_dir, own=own) is (deciding is not None)
    with tempfile.TemporaryDirectory() as scratch:  # re-inclusion as git reads it
        subprocess.run(["git", "init", "-q", scratch], check=True)  # noqa: S607
        _write(Path(scratch), path)
        assert compiled.match(path) is (path in _git_ignored(Path(scratch), listed))


# --- hostile patterns ------------------------------------------------------------------------

HOSTILE = [
    ("**/a/" * 100 + "**", "/".join(["a"] * 200)),
    ("**/" * 22 + "**", "/".join(["a"] * 200)),
    ("**/a/" * 100 + "b", "/".join(["a"] * 200)),
    ("a/**/" * 150 + "b", "/".join(["a"] * 300) + "/c"),
    ("*a" * 400 + "b", "a" * 255),
    ("[ab]*" * 190 + "c", "ab" * 127),
    ("**/" + "*a" * 300 + "/**", "/".join(["a" * 200] * 50)),
]


@pytest.mark.parametrize(("pattern", "path"), HOSTILE)
def test_hostile_patterns_match_in_well_under_a_second(pattern: str, path: str) -> None:
    started = time.perf_counter()
    compiled = globs.Globs([pattern])
    compiled.match(path)
    compiled.match(path, is_dir=True)
    compiled.deciding(path)
    assert time.perf_counter() - started < 0.5


def test_bounds_and_malformed_patterns_are_refused_with_the_reason() -> None:
    assert globs.problems(["a"] * (globs.MAX_PATTERNS + 1)) == [
        f"{globs.MAX_PATTERNS + 1} patterns; at most {globs.MAX_PATTERNS} are accepted"
    ]
    assert globs.problems(["a" * 1001]) == [
        "pattern [0] is 1001 characters long; at most 1000 are accepted"
    ]
    assert globs.problems(["ok/*.py", "src/[ab", "x\\", "[[:nope:]]"]) == [
        "pattern [1] 'src/[ab' has an unterminated `[` (it could never match)",
        "pattern [2] 'x\\\\' has a trailing `\\` (it could never match)",
        "pattern [3] '[[:nope:]]' has an unknown character class `[:nope:]` (it could never match)",
    ]
    with pytest.raises(ValueError, match="unterminated"):
        globs.Globs(["[a"])


def test_a_malformed_exclude_in_the_config_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / ".baseline.toml").write_text('excludes = ["ok", "src/[ab"]\n')
    problems = [str(p) for p in load_config(tmp_path / ".baseline.toml").problems()]
    assert problems == [
        f"{tmp_path / '.baseline.toml'}:1: excludes: pattern [1] 'src/[ab' has an unterminated "
        "`[` (it could never match)"
    ]


# --- the shipped globs -----------------------------------------------------------------------

SHIPPED_EVIDENCE_GLOBS = {
    "repo.has_security_policy": tuple(repo_files.in_doc_dirs(repo_files.POLICY_NAMES)),
    "repo.has_contributing_guide": tuple(repo_files.in_doc_dirs(repo_files.CONTRIBUTING_NAMES)),
    "repo.has_codeowners": tuple(repo_files.in_doc_dirs(("codeowners",))),
    "repo.has_license": repo_files.LICENSE_GLOBS,
    "repo.has_threat_model": repo_files.THREAT_MODEL_GLOBS,
    "repo.has_design_records": repo_files.DESIGN_GLOBS,
    "repo.has_test_suite": repo_files.TEST_FILE_GLOBS,
    "deps.update_tool_configured": dependencies.UPDATE_TOOL_FILES,
    "workflows": workflow_yaml.WORKFLOW_GLOBS,
    "zizmor inputs": workflows_zizmor.INPUT_GLOBS,
    "zizmor config": workflows_zizmor.CONFIG_GLOBS,
    "requirements": dep_files.REQUIREMENTS_GLOBS,
    "test_paths and [scope]": tuple(g for _, patterns in DEFAULTS for g in patterns),
}


@pytest.mark.parametrize("name", sorted(SHIPPED_EVIDENCE_GLOBS))
def test_no_shipped_glob_is_a_bare_name_that_would_now_match_at_any_depth(name: str) -> None:
    # A bare name matched the root only before; in gitignore it matches at any depth, so a
    # SECURITY.md deep in a vendored folder would have become the project's policy.
    patterns = SHIPPED_EVIDENCE_GLOBS[name]
    assert globs.problems(patterns) == []
    assert [p for p in patterns if "/" not in p.rstrip("/")] == []


@pytest.mark.parametrize(
    ("check", "root_file"),
    [
        ("repo.has_security_policy", "SECURITY.md"),
        ("repo.has_contributing_guide", "CONTRIBUTING.md"),
        ("repo.has_license", "LICENSE"),
        ("repo.has_design_records", "design.md"),
        ("deps.update_tool_configured", "renovate.json"),
        ("zizmor config", "zizmor.yml"),
    ],
)
def test_root_evidence_is_found_and_the_same_file_vendored_is_not(
    tmp_path: Path, check: str, root_file: str
) -> None:
    for rel in (root_file, f"vendor/pkg/{root_file}", f"node_modules/x/{root_file}"):
        _write(tmp_path, rel)
    ctx = build_context(tmp_path, "t", RunOptions(jobs=1))
    assert ctx.matching(SHIPPED_EVIDENCE_GLOBS[check]) == [root_file]
    assert ctx.matching([p.upper() for p in SHIPPED_EVIDENCE_GLOBS[check]]) == [root_file]


def test_test_paths_now_reach_every_depth_below_a_test_folder(tmp_path: Path) -> None:
    # `**/src/test/**` read `**` as one folder before; JVM tests live deeper.
    deep = "app/src/test/java/com/example/AppTest.java"
    _write(tmp_path, deep)
    ctx = build_context(tmp_path, "t", RunOptions(jobs=1))
    assert ctx.matching(repo_files.TEST_FILE_GLOBS) == [deep]


def test_a_folder_named_like_evidence_is_not_evidence(tmp_path: Path) -> None:
    # `/security` names a file; as an exclude it would also leave out a folder's contents.
    _write(tmp_path, "security/contact.py")
    _write(tmp_path, "license/x.py")
    ctx = build_context(tmp_path, "t", RunOptions(jobs=1))
    assert ctx.matching(SHIPPED_EVIDENCE_GLOBS["repo.has_security_policy"]) == []
    assert ctx.matching(SHIPPED_EVIDENCE_GLOBS["repo.has_license"]) == []
    evidence = repo_files.HAS_SECURITY_POLICY.run(ctx, {})
    assert evidence.outcome is not CheckOutcome.PASS, evidence.summary
    assert globs.matches_any("security/contact.py", ["/security"])


def test_the_walk_reads_each_name_once_under_hostile_excludes(tmp_path: Path) -> None:
    # Matched from the root for every entry, a 400-folder path against a 100-segment pattern
    # took about 10 s (the walk alone: about 1 s); carried from folder to entry it costs what the walk costs without it.
    fd = os.open(tmp_path, os.O_RDONLY)
    for _ in range(400):
        os.mkdir("dd", dir_fd=fd)
        child = os.open("dd", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = child
    os.close(os.open("leaf.py", os.O_CREAT | os.O_WRONLY, 0o644, dir_fd=fd))
    os.close(fd)
    hostile = ("**/dd/" * 50 + "zz", "dd/**/x/**/y", "!dd/dd/")
    started = time.perf_counter()
    walk(tmp_path, ())
    plain = time.perf_counter() - started
    started = time.perf_counter()
    files, _, excluded = walk(tmp_path, hostile)
    assert time.perf_counter() - started < 2 * plain + 1
    assert len(files) == 1 and files[0].endswith("/leaf.py") and excluded == []
    files, _, excluded = walk(tmp_path, ("**/dd/" * 50 + "leaf.py",))
    assert files == [] and len(excluded) == 1


def test_a_malformed_pattern_parameter_is_a_located_error(tmp_path: Path) -> None:
    from baseline.catalog.loader import load_catalog
    from baseline.errors import InputError

    user = tmp_path / "user.toml"
    user.write_text(
        '[catalog]\nid = "u"\ntitle = "t"\nversion = "1"\nstatus = "final"\nextends = "ssdf-1.1"\n\n'
        '[[params]]\ncontrol = "PW.7.2"\ncheck = "sast.bandit"\n'
        'params = { test_paths = ["tests/", "src/[ab"] }\n'
    )
    with pytest.raises(InputError) as caught:
        load_catalog(user)
    assert [str(p) for p in caught.value.problems] == [
        f"{user}:11: params[0].params.test_paths: pattern [1] 'src/[ab' has an unterminated `[` "
        "(it could never match)"
    ]


def test_a_folder_only_exclude_from_the_config_is_claimed_with_what_it_left_out(
    tmp_path: Path,
) -> None:
    from baseline.engine import exclude_claims

    for rel in ("build/a.py", "build/b.py", "src/build", "src/app.py"):
        _write(tmp_path, rel)
    options = RunOptions(
        jobs=1, excludes=("build/",), exclude_sources={"build/": ".baseline.toml:1"}
    )
    ctx = build_context(tmp_path, "t", options)
    assert ctx.files == ("src/app.py", "src/build") and ctx.excluded == ("build",)
    (claim,) = exclude_claims(ctx)
    assert claim.detail == "excludes 'build/' left 1 path out of every check"

"""Builders of hostile repositories, generated at test time (nothing binary is committed).

Each case writes its part of a hostile tree under `root`; `outside` is a folder beside the tree
that holds what symlinks point at and where a repository file would leave a marker if anything
ever executed or imported it.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HTML_PAYLOAD = "<img src=x onerror=alert(1)>"
SCRIPT_PAYLOAD = "<script>alert(2)</script>"
RAW_MARKUP = (HTML_PAYLOAD, SCRIPT_PAYLOAD, "<svg onload=alert(3)>")
"""Strings that must never reach an HTML report unescaped."""

BIG_FILE_BYTES = 50 * 1024 * 1024
DEEP_LEVELS = 400
BEYOND_PATH_MAX_LEVELS = 1500  # 1500 * len("dd/") > PATH_MAX (4096)
MARKER_FILES = (
    "evil.py", "conftest.py", "setup.py", "sitecustomize.py", "usercustomize.py", "noxfile.py",
    "__init__.py", "__main__.py", "json.py", "yaml.py", "tests/conftest.py", "pkg/__init__.py",
)  # fmt: skip


@dataclass(frozen=True)
class Case:
    """One hostile input: an id, what it is (for the docs table), and how to build it."""

    id: str
    input: str
    build: Callable[[Path, Path], None]


def write(path: Path, data: str | bytes) -> None:
    """Create a file (and its folders) with text or bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)


def marker_source(outside: Path, name: str) -> str:
    """Python that leaves a marker file if it is ever executed or imported."""
    marker = outside / "markers" / name.replace("/", "_")
    return (
        "import pathlib\n"
        f"pathlib.Path({str(marker)!r}).parent.mkdir(parents=True, exist_ok=True)\n"
        f"pathlib.Path({str(marker)!r}).write_text('executed')\n"
    )


def _names(root: Path, outside: Path) -> None:
    folder = root / SCRIPT_PAYLOAD
    write(folder / "test_markup.py", "def test_x():\n    assert True\n")
    for name in (
        f"{HTML_PAYLOAD}.exe",
        "<svg onload=alert(3)>.dll",
        "[click](javascript:alert(4)) **bold** | a | b |.jar",
        "\"double\" 'single' `tick` & amp.class",
        "bell\x07esc\x1b[31mred.so",
        "line\nbreak\rreturn.o",
        "ünïcødé 日本語 🙂.pyc",
        "rtl-\u202egpj.exe",
        "-rf --help.exe",
    ):
        write(root / "names" / name, b"not really a binary")


def _non_utf8_names(root: Path, outside: Path) -> None:
    folder = os.fsencode(root / "bytes")
    os.mkdir(folder)
    for raw in (b"latin1-caf\xe9.exe", b"invalid-\xff\xfe.whl", b"dir-\xc3\x28"):
        path = os.path.join(folder, raw)
        if raw.startswith(b"dir-"):
            os.mkdir(path)
            path = os.path.join(path, b"test_inside.py")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(fd, b"x = 1\n")
        os.close(fd)


def _symlinks_outside(root: Path, outside: Path) -> None:
    write(outside / "SECURITY.md", "Report vulnerabilities to security@example.org.\n")
    write(outside / "LICENSE", "MIT License\n")
    write(outside / "CODEOWNERS", "* @owner\n")
    write(outside / "docs" / "SECURITY.md", "Contact: https://example.org/security\n")
    write(outside / "docs" / "threat-model.md", "# Threat model\n")
    (root / "SECURITY.md").symlink_to(outside / "SECURITY.md")
    (root / "LICENSE").symlink_to(outside / "LICENSE")
    (root / ".github").mkdir(exist_ok=True)
    (root / ".github" / "CODEOWNERS").symlink_to(outside / "CODEOWNERS")
    (root / "docs").symlink_to(outside / "docs", target_is_directory=True)
    (root / "CONTRIBUTING.md").symlink_to("/etc/passwd")
    (root / "relative-escape.md").symlink_to("../outside/SECURITY.md")
    # Links to endless devices: a reader that follows them never finishes.
    (root / "src").mkdir(exist_ok=True)
    (root / "src" / "zero.py").symlink_to("/dev/zero")
    (root / ".github" / "workflows").mkdir(parents=True, exist_ok=True)
    (root / ".github" / "workflows" / "zero.yml").symlink_to("/dev/zero")
    (root / "random.md").symlink_to("/dev/urandom")
    # The default output folder, planted as a link: a run inside the repository must not
    # write its reports through it.
    (outside / "report-sink").mkdir()
    (root / "baseline-report").symlink_to(outside / "report-sink", target_is_directory=True)


def _symlink_loops(root: Path, outside: Path) -> None:
    loops = root / "loops"
    loops.mkdir()
    (loops / "self").symlink_to("self")
    (loops / "a").symlink_to("b")
    (loops / "b").symlink_to("a")
    (loops / "here").symlink_to(".", target_is_directory=True)
    (loops / "up").symlink_to("..", target_is_directory=True)
    (loops / "dangling").symlink_to("does-not-exist")


def _binary_python(root: Path, outside: Path) -> None:
    write(root / "src" / "binary.py", bytes(range(256)) * 64)
    write(root / "src" / "latin1.py", b"# caf\xe9\nname = '\xff\xfe'\n")
    write(root / "src" / "utf16.py", "x = 'utf-16'\n".encode("utf-16"))
    write(root / "src" / "nul.py", b"x = 1\x00\x00\nimport os\n")
    write(root / "src" / "payload.py", f"eval({SCRIPT_PAYLOAD!r})\nhtml = {HTML_PAYLOAD!r}\n")


def _big_file(root: Path, outside: Path) -> None:
    path = root / "data" / "huge.txt"
    path.parent.mkdir()
    with path.open("wb") as handle:  # sparse: 50 MB on paper, no time or disk to make it
        handle.write(b"head\n")
        handle.truncate(BIG_FILE_BYTES)


def _nested(parent: Path, name: str, levels: int, leaf: str) -> None:
    """`levels` folders named `name` under parent, and a file `leaf` at the bottom.

    dir_fd chains keep every system call's path short, so depth beyond PATH_MAX is possible.
    """
    fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(levels):
            os.mkdir(name, dir_fd=fd)
            child = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = child
        leaf_fd = os.open(leaf, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(leaf_fd, b"x = 1\n")
        os.close(leaf_fd)
    finally:
        os.close(fd)


def _deep_nesting(root: Path, outside: Path) -> None:
    _nested(root, "n", DEEP_LEVELS, "test_deep.py")


def _beyond_path_max(root: Path, outside: Path) -> None:
    _nested(root, "dd", BEYOND_PATH_MAX_LEVELS, "deep.exe")


def _markers(root: Path, outside: Path) -> None:
    for name in MARKER_FILES:
        write(root / name, marker_source(outside, name))
    write(root / "setup.cfg", "[options]\nsetup_requires = evil\n")
    write(root / "hook.pth", f"import os; exec({marker_source(outside, 'pth')!r})\n")


def _yaml_bombs(root: Path, outside: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [{','.join(['*' + prev] * 9)}]")
    lines += ["on: push", "jobs:", "  bomb:", "    runs-on: ubuntu-latest",
              "    steps:", "      - run: echo hi", "        env: {X: *i}"]  # fmt: skip
    write(root / ".github" / "workflows" / "bomb.yml", "\n".join(lines) + "\n")
    steps = "".join(f"      - run: echo step {n} {SCRIPT_PAYLOAD}\n" for n in range(60_000))
    head = "on: push\njobs:\n  huge:\n    runs-on: ubuntu-latest\n    steps:\n"
    write(root / ".github" / "workflows" / "huge.yml", head + steps)
    write(root / ".github" / "workflows" / "broken.yml", "on: [push\njobs: {{{\n\t- :\n")


def _bad_toml_in_repo(root: Path, outside: Path) -> None:
    write(root / "sub" / "pyproject.toml", "[project]\nname = 'a'\nname = 'b'\n")
    write(root / "sub" / "deep.toml", "a = " + "[" * 5000 + "]" * 5000 + "\n")


GIT_HOOKS = (
    "applypatch-msg", "commit-msg", "fsmonitor-watchman", "post-applypatch", "post-checkout",
    "post-commit", "post-index-change", "post-merge", "post-receive", "post-rewrite",
    "post-update", "pre-applypatch", "pre-auto-gc", "pre-commit", "pre-merge-commit",
    "pre-push", "pre-rebase", "pre-receive", "prepare-commit-msg", "proc-receive",
    "push-to-checkout", "reference-transaction", "sendemail-validate", "update",
)  # fmt: skip
# A long-running filter that answers git's handshake wrongly: git then goes on without it
# (a process that just exits would make `git status` die before it reaches the submodules).
_REFUSE_HANDSHAKE = "printf '0009wrong'; exec cat >/dev/null"
# Every setting with which a repository's config can make git start a program, with what
# the program must do besides leaving its marker (a clean filter must still pass data on).
GIT_PROGRAM_KEYS = (
    ("filter.x.clean", "exec cat"), ("filter.x.smudge", "exec cat"), ("filter.y.process", _REFUSE_HANDSHAKE),
    ("diff.x.textconv", "exec cat \"$1\""), ("diff.external", ""), ("core.fsmonitor", ""),
    ("core.pager", "exec cat"), ("pager.status", "exec cat"), ("pager.log", "exec cat"),
    ("core.sshCommand", ""), ("core.askPass", ""), ("credential.helper", ""),
    ("gpg.program", ""), ("gpg.ssh.program", ""), ("gpg.x509.program", ""),
    ("gpg.ssh.defaultKeyCommand", ""), ("core.alternateRefsCommand", ""),
    ("uploadpack.packObjectsHook", ""), ("core.editor", ""), ("sequence.editor", ""),
    ("alias.st", ""), ("alias.rev-parse", ""), ("alias.status", ""),
)  # fmt: skip
GIT_ATTRIBUTES = "*.txt filter=x diff=x\n*.dat filter=y diff=x\n"
"""Attributes that name the drivers above for the tracked files `git_tracked_files` writes."""


def git_marker_program(markers: Path, name: str, then: str = "") -> str:
    """An executable that leaves markers/name, then runs `then` (a filter must still pass its
    data on); its path, which git can run with or without a shell. It lives beside `markers`
    (outside the repository), in a folder whose path has no spaces."""
    script = markers.parent / "git-programs" / name
    write(script, f"#!/bin/sh\nmkdir -p '{markers}' && touch '{markers}/{name}'\n{then}\n")
    script.chmod(0o755)
    return str(script)


def install_hostile_git_config(repo: Path, markers: Path, via: str = "config") -> None:
    """Name a marker-writing program for every key of GIT_PROGRAM_KEYS, directly in
    `.git/config` (via="config") or in a file it pulls in with `include.path` ("include") or
    `includeIf "gitdir:/"` ("includeIf"); hooks in `.git/hooks` and in a `core.hooksPath`
    folder. Call it after the set-up's own git commands: from here on, git runs them."""
    git_dir = repo / ".git"
    target = {"config": git_dir / "config", "include": git_dir / "evil.inc",
              "includeIf": git_dir / "evil-if.inc"}[via]  # fmt: skip
    if via == "include":
        subprocess.run(["git", "config", "-f", str(git_dir / "config"), "include.path",
                        "evil.inc"], check=True)  # fmt: skip
    elif via == "includeIf":
        subprocess.run(["git", "config", "-f", str(git_dir / "config"),
                        "includeIf.gitdir:/.path", "evil-if.inc"], check=True)  # fmt: skip
    for key, then in GIT_PROGRAM_KEYS:
        program = git_marker_program(markers, f"{via}-{key}", then)
        value = f"!{program}" if key.startswith(("alias.", "credential.")) else program
        subprocess.run(["git", "config", "-f", str(target), key, value], check=True)
    hooks_path = git_dir / "evil-hooks"
    subprocess.run(["git", "config", "-f", str(target), "core.hooksPath", str(hooks_path)],
                   check=True)  # fmt: skip
    for folder, tag in ((git_dir / "hooks", "hook"), (hooks_path, "hooksPath")):
        for hook in GIT_HOOKS:
            write(
                folder / hook, f"#!/bin/sh\nexec '{git_marker_program(markers, f'{tag}-{hook}')}'\n"
            )
            (folder / hook).chmod(0o755)


def git_tracked_files(repo: Path) -> None:
    """Tracked files the attributes send through the filters, and the attributes."""
    write(repo / ".gitattributes", GIT_ATTRIBUTES)
    write(repo / "gitfilter" / "data.txt", "text through filter x\n")
    write(repo / "zz-process" / "data.dat", "data through filter y\n")


def touch_tracked(repo: Path) -> None:
    """New stat data for the tracked files (as `cp -a` or `tar x` gives): git must look at
    their content again, which is when it runs the clean filter."""
    for name in ("gitfilter/data.txt", "zz-process/data.dat", ".gitattributes"):
        later = (repo / name).stat().st_mtime + 7
        os.utime(repo / name, (later, later))


def _evil_git_config(root: Path, outside: Path) -> None:
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    git_tracked_files(root)
    subprocess.run([*git, "add", ".gitattributes", "gitfilter", "zz-process"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", SCRIPT_PAYLOAD], check=True)
    install_hostile_git_config(root, outside / "markers")
    touch_tracked(root)


TREE_CASES: tuple[Case, ...] = (
    Case(
        "names-markup",
        "file and folder names holding HTML, Markdown, quotes, control "
        "characters, newlines, RTL overrides and non-ASCII",
        _names,
    ),
    Case("names-non-utf8", "file and folder names that are not UTF-8 (raw bytes)", _non_utf8_names),
    Case(
        "symlinks-outside",
        "SECURITY.md, LICENSE, CODEOWNERS, CONTRIBUTING.md and docs/ as "
        "symlinks to files outside the tree (each with the content a check looks for), "
        "src/zero.py and a workflow linked to /dev/zero, and `baseline-report` (the default "
        "output folder) as a link out",
        _symlinks_outside,
    ),
    Case(
        "symlink-loops",
        "symlink loops (self, a->b->a, `.`, `..`) and a dangling link",
        _symlink_loops,
    ),
    Case(
        "binary-python",
        ".py files with binary, Latin-1, UTF-16, NUL bytes and markup",
        _binary_python,
    ),
    Case("big-file", "a 50 MB file", _big_file),
    Case(
        "deep-nesting",
        f"{DEEP_LEVELS} nested folders with a test file at the bottom",
        _deep_nesting,
    ),
    Case(
        "beyond-path-max",
        f"{BEYOND_PATH_MAX_LEVELS} nested folders (path longer than "
        "PATH_MAX) with an .exe at the bottom",
        _beyond_path_max,
    ),
    Case(
        "executable-files",
        "Python files that leave a marker if executed or imported "
        "(evil.py, conftest.py, setup.py, sitecustomize.py, json.py, a .pth ...)",
        _markers,
    ),
    Case(
        "yaml-bombs",
        "workflows with a billion-laughs alias bomb, a 3 MB document and broken YAML",
        _yaml_bombs,
    ),
    Case(
        "toml-in-repo", "TOML files with duplicate keys and 5000-level nesting", _bad_toml_in_repo
    ),
    Case(
        "git-config-hooks",
        "a .git/config naming a marker-writing program for every kind "
        "git knows (filter clean/smudge/process and textconv named by .gitattributes, "
        "fsmonitor, hooksPath, pagers, diff.external, sshCommand, askPass, credential helper, "
        "gpg programs, alternateRefsCommand, packObjectsHook, editors, aliases), every hook "
        "in .git/hooks, and tracked files whose stat data changed since the commit",
        _evil_git_config,
    ),
)


def build_tree(root: Path, outside: Path) -> None:
    """Every tree case, in one repository."""
    root.mkdir(parents=True)
    outside.mkdir(parents=True, exist_ok=True)
    for case in TREE_CASES:
        case.build(root, outside)


def remove_tree(path: Path) -> None:
    """Delete a tree of any depth without recursion (shutil.rmtree recurses once per level,
    which a tree nested beyond the recursion limit defeats)."""
    parent = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    pending, moved = [path.name], 0
    try:
        while pending:
            current = pending.pop()
            fd = os.open(current, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=parent)
            try:
                with os.scandir(fd) as entries:
                    children = list(entries)
                for entry in children:
                    if entry.is_dir(follow_symlinks=False):
                        # Lift each sub-folder up beside the tree, to be removed in turn.
                        moved += 1
                        lifted = f".{path.name}.remove-{moved}"
                        os.rename(entry.name, lifted, src_dir_fd=fd, dst_dir_fd=parent)
                        pending.append(lifted)
                    else:
                        os.unlink(entry.name, dir_fd=fd)
            finally:
                os.close(fd)
            os.rmdir(current, dir_fd=parent)
    finally:
        os.close(parent)

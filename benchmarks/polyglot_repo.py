"""Build a polyglot repository for the speed benchmark from fetched, pinned projects.

Usage: python benchmarks/polyglot_repo.py OUT_DIR --repos /work/repos

Copies the source files (Java, JavaScript, TypeScript, Go, C#, Python; no vendored or generated
folders) of five public projects at the commits pinned in benchmarks/sast_truth/ into
OUT_DIR/<language>/<project>/, makes it a git repository with one commit, and prints the lines
per language. Their code is never kept in this repository: clone them as benchmarks/README.md
says. The result is real code in every language the shipped packs read (well over 100,000
lines), for `python benchmarks/speed.py OUT_DIR`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from truth import checkout

from baseline import tomlcompat

HERE = Path(__file__).resolve().parent
PROJECTS = {  # truth file -> the folder it goes under
    "juice-shop+juice-shop.toml": "typescript",
    "WebGoat+WebGoat.toml": "java",
    "miniflux+v2.toml": "go",
    "dotnet-architecture+eShopOnWeb.toml": "csharp",
    "adeyosemanputra+pygoat.toml": "python",
}
SUFFIXES = {".java": "java", ".js": "javascript", ".ts": "typescript", ".go": "go",
            ".cs": "csharp", ".py": "python"}  # fmt: skip
SKIP = {
    ".git",
    "node_modules",
    "vendor",
    "dist",
    "build",
    "frontend",
    "bin",
    "obj",
    "codefixes",
}  # Juice Shop's challenge snippets: partial code, not the application


def copy_sources(source: Path, target: Path) -> dict[str, int]:
    """Copy the code files; lines per language."""
    lines: dict[str, int] = {}
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if SKIP & set(rel.parts) or not path.is_file() or path.is_symlink():
            continue
        language = SUFFIXES.get(path.suffix)
        if language is None or path.name.endswith(".min.js"):
            continue
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
        with path.open("rb") as handle:
            lines[language] = lines.get(language, 0) + sum(1 for _ in handle)
    return lines


def main() -> int:
    """Build the repository; 2 when a project is not cloned at its pinned commit."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--repos", type=Path, required=True, help="folder holding the clones")
    args = parser.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    totals: dict[str, int] = {}
    for name, folder in PROJECTS.items():
        entry = tomlcompat.loads((HERE / "sast_truth" / name).read_text("utf-8"))
        repo = {"name": entry["repo"], "url": f"https://github.com/{entry['repo']}",
                "commit": entry["commit"]}  # fmt: skip
        source = checkout(args.repos, repo)
        counted = copy_sources(source, args.out / folder / entry["repo"].split("/")[1])
        for language, n in counted.items():
            totals[language] = totals.get(language, 0) + n
    env = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "b",
           "GIT_AUTHOR_EMAIL": "b@example.org", "GIT_COMMITTER_NAME": "b",
           "GIT_COMMITTER_EMAIL": "b@example.org", "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
           "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z", "PATH": "/usr/bin:/bin"}  # fmt: skip
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "polyglot"]):
        subprocess.run(["git", "-C", str(args.out), *command], check=True, env=env)  # noqa: S603,S607
    for language, n in sorted(totals.items()):
        print(f"{language:12} {n:>9,} lines")
    print(f"{'all':12} {sum(totals.values()):>9,} lines in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

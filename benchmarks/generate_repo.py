"""Generate a large, deterministic Python repository for the speed benchmark.

Usage: python benchmarks/generate_repo.py OUT_DIR [--files 1500] [--lines 180000] [--seed 7]

The code is ordinary application code (services, models, helpers, tests) with a planted
security issue in about one file in eight (shell commands, pickle, yaml.load, MD5, eval,
hard-coded passwords, binding to all interfaces), so that both scanners have work and findings.
The same arguments always give the same bytes. The folder is made a git repository with one
commit when git is available, like a real checkout.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
from pathlib import Path

PACKAGES = ("billing", "accounts", "inventory", "shipping", "reports", "search", "notify")
NOUNS = ("order", "invoice", "customer", "item", "payment", "address", "ticket", "report")
VERBS = ("load", "save", "update", "validate", "render", "compute", "merge", "export")

PLANTED = (
    "    subprocess.call(f'tar czf {{path}}.tgz {{path}}', shell=True)\n",
    "    data = pickle.loads(blob)\n",
    "    config = yaml.load(text)\n",
    "    digest = hashlib.md5(payload).hexdigest()\n",
    "    value = eval(expression)\n",
    "    password = 'hunter2-{n}'\n",
    "    server.bind(('0.0.0.0', 80{n:02d}))\n",
    "    query = 'SELECT * FROM {noun} WHERE id = ' + str(ident)\n",
)

HEADER = '''"""{title}."""

from __future__ import annotations

import hashlib
import json
import pickle
import subprocess

import yaml

'''


def _function(rng: random.Random, index: int) -> list[str]:
    noun, verb = rng.choice(NOUNS), rng.choice(VERBS)
    name = f"{verb}_{noun}_{index}"
    lines = [
        f"def {name}(records: list[dict], limit: int = {rng.randint(5, 500)}) -> dict:",
        f'    """{verb.capitalize()} {noun} records and return a summary."""',
        "    totals: dict[str, int] = {}",
        "    seen = set()",
        "    for position, record in enumerate(records):",
        "        if position >= limit:",
        "            break",
        f"        key = str(record.get('{noun}_id', position))",
        "        if key in seen:",
        "            continue",
        "        seen.add(key)",
        f"        amount = int(record.get('amount', {rng.randint(0, 99)}))",
        "        totals[key] = totals.get(key, 0) + amount",
    ]
    for step in range(rng.randint(2, 10)):
        lines.append(f"    # step {step}: normalize the {noun} totals")
        lines.append(f"    totals = {{k: v * {rng.randint(1, 9)} for k, v in totals.items()}}")
    lines += [
        "    return {",
        "        'count': len(totals),",
        "        'total': sum(totals.values()),",
        "        'json': json.dumps(totals, sort_keys=True),",
        "    }",
        "",
        "",
    ]
    return lines


def _class(rng: random.Random, index: int) -> list[str]:
    noun = rng.choice(NOUNS)
    name = f"{noun.capitalize()}Service{index}"
    lines = [f"class {name}:", f'    """Operations on {noun}s."""', ""]
    lines += ["    def __init__(self, store: dict) -> None:", "        self.store = store", ""]
    for method in range(rng.randint(2, 6)):
        verb = rng.choice(VERBS)
        lines += [
            f"    def {verb}_{method}(self, ident: str) -> dict | None:",
            f'        """{verb.capitalize()} one {noun}."""',
            "        found = self.store.get(ident)",
            "        if found is None:",
            "            return None",
            f"        return {{**found, 'state': '{verb}d'}}",
            "",
        ]
    return [*lines, ""]


def module_text(rng: random.Random, title: str, target_lines: int, plant: int | None) -> str:
    """One module of about `target_lines` lines, with planted issue `plant` (None: clean)."""
    body: list[str] = []
    index = 0
    while len(body) < target_lines:
        body += _class(rng, index) if rng.random() < 0.3 else _function(rng, index)
        index += 1
    if plant is not None:
        noun = rng.choice(NOUNS)
        issue = PLANTED[plant].format(n=rng.randint(0, 99), noun=noun)
        body += [
            f"def risky_{noun}(path: str, blob: bytes, text: str, payload: bytes,",
            "               expression: str, server: object, ident: int) -> object:",
            '    """Legacy helper kept for compatibility."""',
            issue.rstrip("\n"),
            "    return locals()",
            "",
        ]
    return HEADER.format(title=title) + "\n".join(body) + "\n"


def generate(out: Path, files: int, lines: int, seed: int) -> None:
    """Write the repository into `out` (which must not exist)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not a secret
    per_file = max(20, lines * 4 // (files * 5))  # headers and whole functions add the rest
    for number in range(files):
        package = PACKAGES[number % len(PACKAGES)]
        is_test = number % 10 == 9
        folder = out / "src" / package if not is_test else out / "tests" / package
        name = f"test_{package}_{number}.py" if is_test else f"{rng.choice(NOUNS)}_{number}.py"
        size = rng.randint(per_file // 2, per_file * 3 // 2)
        plant = rng.randrange(len(PLANTED)) if rng.random() < 0.125 else None
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(module_text(rng, f"{package} {name}", size, plant))
    (out / "README.md").write_text("# Generated benchmark repository\n")
    if shutil.which("git"):
        git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
        subprocess.run([*git, "init", "-q"], cwd=out, check=True)  # noqa: S603
        subprocess.run([*git, "add", "-A"], cwd=out, check=True)  # noqa: S603
        subprocess.run([*git, "commit", "-qm", "generated"], cwd=out, check=True)  # noqa: S603


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=1500)
    parser.add_argument("--lines", type=int, default=180_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.out.exists():
        parser.error(f"{args.out} exists; give a new folder")
    generate(args.out, args.files, args.lines, args.seed)


if __name__ == "__main__":
    main()

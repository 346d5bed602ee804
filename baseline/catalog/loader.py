"""Load a catalog (and what it extends and cross-walks), validating everything at once."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from baseline import globs, tomlcompat
from baseline.catalog import schema
from baseline.catalog.fields import Reporter, did_you_mean, is_instance, shown, type_name
from baseline.catalog.locate import KeyLines, KeyPath, decode_error_line
from baseline.catalog.scope_table import scope_table
from baseline.checks.registry import CHECKS
from baseline.errors import InputError, Problem
from baseline.models import (
    AttestationLevel,
    Catalog,
    CheckSpec,
    Control,
    Crosswalk,
    CrosswalkItem,
    Group,
    Practice,
)
from baseline.operator import OPERATOR_ONLY, operator_only_message
from baseline.resources import controls_dir
from baseline.tools import semgrep, semgrep_rules

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass
class _Source:
    path: Path
    data: dict[str, Any]
    raw: bytes
    report: Reporter


def display_name(path: Path) -> str:
    """How a catalog file is named in messages: built-ins as `controls/NAME`."""
    try:
        return f"controls/{path.resolve().relative_to(controls_dir().resolve())}"
    except ValueError:
        return str(path)


def read_toml(path: Path, problems: list[Problem]) -> _Source | None:
    """Parse one TOML file; a syntax error becomes a located problem."""
    name = display_name(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(name, None, "", f"cannot read: {exc.strerror or exc}"))
        return None
    text = raw.decode("utf-8", "replace")
    try:
        data = tomlcompat.loads(text)
    except tomlcompat.TOMLDecodeError as exc:
        problems.append(Problem(name, decode_error_line(str(exc)), "", f"invalid TOML: {exc}"))
        return None
    return _Source(path, data, raw, Reporter(name, KeyLines(text)))


def resolve_reference(ref: str, relative_to: Path | None = None) -> Path | None:
    """A built-in id (`ssdf-1.1`) or a file path, as a path that exists; None if neither."""
    builtin = controls_dir() / f"{ref}.toml"
    if _ID.match(ref) and not ref.endswith(".toml") and builtin.is_file():
        return builtin
    candidate = Path(ref)
    if not candidate.is_absolute() and relative_to is not None:
        candidate = relative_to / candidate
    for option in (candidate, candidate.parent / f"{candidate.name}.toml"):
        if option.is_file():
            return option
    return None


def builtin_ids(kind: str = "catalog") -> list[str]:
    """Ids of the built-in catalogs (kind `catalog`) or crosswalks (kind `crosswalk`)."""
    found = []
    for path in sorted(controls_dir().glob("*.toml")):
        head = path.read_text(encoding="utf-8", errors="replace")
        if re.search(rf"^\[{kind}\]\s*$", head, re.MULTILINE):
            found.append(path.stem)
    return found


@dataclass
class _Draft:
    """A control being assembled, with where it was defined (for messages)."""

    fields: dict[str, Any]
    checks: list[CheckSpec]
    report: Reporter
    path: KeyPath
    not_applicable: str | None = None


@dataclass
class _Builder:
    problems: list[Problem] = field(default_factory=list)
    groups: dict[str, Group] = field(default_factory=dict)
    practices: dict[str, tuple[Practice, Reporter, KeyPath]] = field(default_factory=dict)
    controls: dict[str, _Draft] = field(default_factory=dict)
    crosswalk_ids: list[str] = field(default_factory=list)
    header: dict[str, Any] = field(default_factory=dict)
    scope: dict[str, list[str]] = field(default_factory=dict)
    rules: semgrep_rules.Loaded = field(default_factory=semgrep_rules.Loaded)


def _chain(path: Path, stack: list[Path], builder: _Builder) -> list[_Source]:
    resolved = path.resolve()
    if resolved in stack:
        cycle = " -> ".join(display_name(p) for p in [*stack, resolved])
        builder.problems.append(
            Problem(display_name(path), None, "catalog.extends", f"extension cycle: {cycle}")
        )
        return []
    source = read_toml(path, builder.problems)
    if source is None:
        return []
    header = source.data.get("catalog")
    base = header.get("extends") if isinstance(header, dict) else None
    if not isinstance(base, str):
        return [source]
    base_path = resolve_reference(base, path.parent)
    if base_path is None:
        source.report.add(
            ("catalog", "extends"), "catalog.extends", f"no built-in catalog or file named {base!r}"
        )
        return [source]
    return [*_chain(base_path, [*stack, resolved], builder), source]


def _ids_ok(
    report: Reporter, path: KeyPath, label: str, ident: str, seen: Mapping[str, Any], what: str
) -> bool:
    if not _ID.match(ident):
        report.add(
            (*path, "id"), f"{label}.id", f"{ident!r} is not a valid id (letters, digits, . _ -)"
        )
        return False
    if ident in seen:
        report.add((*path, "id"), f"{label}.id", f"duplicate {what} id {ident!r}")
        return False
    return True


def check_params(
    report: Reporter, path: KeyPath, label: str, check_id: str, params: Mapping[str, Any]
) -> dict[str, Any] | None:
    """Parameters validated against the check's declarations; None (problems reported) if bad.

    Used for catalogs and for project configs alike."""
    check = CHECKS[check_id]
    ok = True
    for name, value in params.items():
        spec = check.params.get(name)
        where = (*path, name)
        if spec is None and name in OPERATOR_ONLY:
            report.add(where, f"{label}.{name}", operator_only_message(name))
            ok = False
        elif spec is None:
            known = ", ".join(sorted(check.params)) or "none"
            hint = did_you_mean(name, check.params) or f" (known: {known})"
            report.add(
                where, f"{label}.{name}", f"check {check_id!r} has no parameter {name!r}{hint}"
            )
            ok = False
        elif not is_instance(value, spec.kind):
            message = f"must be {type_name(spec.kind)}, not {shown(value)}"
            report.add(where, f"{label}.{name}", message)
            ok = False
        elif spec.choices:
            values = value if isinstance(value, list) else [value]
            bad = [v for v in values if v not in spec.choices]
            if bad:
                allowed = ", ".join(repr(c) for c in spec.choices)
                report.add(where, f"{label}.{name}", f"{shown(bad[0])} is not one of {allowed}")
                ok = False
        elif spec.bounds and not spec.bounds[0] <= value <= spec.bounds[1]:
            low, high = spec.bounds
            report.add(where, f"{label}.{name}", f"{shown(value)} is not between {low} and {high}")
            ok = False
        elif spec.patterns and (why := globs.problems(value)):
            report.add(where, f"{label}.{name}", "; ".join(why))
            ok = False
    return dict(params) if ok else None


def _control_checks(report: Reporter, path: KeyPath, label: str, value: Any) -> list[CheckSpec]:
    specs: list[CheckSpec] = []
    for index, item in report.array_of_tables(value, (*path, "checks"), f"{label}.checks"):
        where, name = (*path, "checks", index), f"{label}.checks[{index}]"
        entry = report.table(item, schema.CONTROL_CHECK, where, name)
        check_id = entry.get("id")
        if check_id is None:
            continue
        if check_id not in CHECKS:
            hint = did_you_mean(check_id, CHECKS)
            report.add(
                (*where, "id"), f"{name}.id", f"check {check_id!r} is not a known check{hint}"
            )
            continue
        params = check_params(
            report, (*where, "params"), f"{name}.params", check_id, entry.get("params", {})
        )
        if params is not None:
            specs.append(CheckSpec(check_id, params))
    return specs


def _add_definitions(source: _Source, builder: _Builder) -> None:
    report, data = source.report, source.data
    for index, item in report.array_of_tables(data.get("groups"), ("groups",), "groups"):
        path, label = ("groups", index), f"groups[{index}]"
        entry = report.table(item, schema.GROUP, path, label)
        if (
            "id" in entry
            and "title" in entry
            and _ids_ok(report, path, label, entry["id"], builder.groups, "group")
        ):
            builder.groups[entry["id"]] = Group(
                entry["id"], entry["title"], entry.get("summary", "")
            )
    for index, item in report.array_of_tables(data.get("practices"), ("practices",), "practices"):
        path, label = ("practices", index), f"practices[{index}]"
        entry = report.table(item, schema.PRACTICE, path, label)
        if {"id", "group", "title"} <= entry.keys() and _ids_ok(
            report, path, label, entry["id"], builder.practices, "practice"
        ):
            practice = Practice(
                entry["id"], entry["group"], entry["title"], entry.get("summary", "")
            )
            builder.practices[entry["id"]] = (practice, report, path)
    for index, item in report.array_of_tables(data.get("controls"), ("controls",), "controls"):
        path = ("controls", index)
        ident = item.get("id") if isinstance(item, dict) else None
        label = f"control {ident}" if isinstance(ident, str) else f"controls[{index}]"
        entry = report.table(item, schema.CONTROL, path, label)
        checks = _control_checks(report, path, label, entry.get("checks"))
        if "id" in entry and _ids_ok(report, path, label, entry["id"], builder.controls, "control"):
            builder.controls[entry["id"]] = _Draft(entry, checks, report, path)


def _apply_adjustments(source: _Source, builder: _Builder) -> None:
    report, data = source.report, source.data
    for index, item in report.array_of_tables(
        data.get("not_applicable"), ("not_applicable",), "not_applicable"
    ):
        path, label = ("not_applicable", index), f"not_applicable[{index}]"
        entry = report.table(item, schema.NOT_APPLICABLE, path, label)
        draft = _known_control(report, path, label, entry.get("control"), builder)
        if draft is not None and "reason" in entry:
            if not entry["reason"].strip():
                report.add((*path, "reason"), f"{label}.reason", "must explain why (empty)")
            else:
                draft.not_applicable = entry["reason"].strip()
    for index, item in report.array_of_tables(data.get("params"), ("params",), "params"):
        path, label = ("params", index), f"params[{index}]"
        entry = report.table(item, schema.PARAMS_OVERRIDE, path, label)
        draft = _known_control(report, path, label, entry.get("control"), builder)
        check_id = entry.get("check")
        if draft is None or check_id is None or "params" not in entry:
            continue
        problem = unattached_check(draft.fields["id"], draft.checks, check_id)
        if problem:
            report.add((*path, "check"), f"{label}.check", problem)
            continue
        params = check_params(
            report, (*path, "params"), f"{label}.params", check_id, entry["params"]
        )
        if params is not None:
            draft.checks = list(with_params(draft.checks, check_id, params))


def unattached_check(control_id: str, checks: Sequence[CheckSpec], check_id: str) -> str | None:
    """Why parameters for `check_id` cannot apply to this control, or None when they can."""
    if any(spec.check == check_id for spec in checks):
        return None
    names = ", ".join(spec.check for spec in checks) or "none"
    return f"control {control_id} has no check {check_id!r} (it has: {names})"


def with_params(
    checks: Sequence[CheckSpec], check_id: str, params: Mapping[str, Any]
) -> tuple[CheckSpec, ...]:
    """The control's checks with `params` laid over those of every `check_id` entry."""
    return tuple(
        CheckSpec(spec.check, {**spec.params, **params}) if spec.check == check_id else spec
        for spec in checks
    )


def _known_control(
    report: Reporter, path: KeyPath, label: str, ident: Any, builder: _Builder
) -> _Draft | None:
    if not isinstance(ident, str):
        return None
    draft = builder.controls.get(ident)
    if draft is None:
        report.add(
            (*path, "control"),
            f"{label}.control",
            f"no control {ident!r}{did_you_mean(ident, builder.controls)}",
        )
    return draft


def _check_references(builder: _Builder) -> None:
    for practice, report, path in builder.practices.values():
        if practice.group not in builder.groups:
            hint = did_you_mean(practice.group, builder.groups)
            report.add(
                (*path, "group"),
                f"practice {practice.id}.group",
                f"no group {practice.group!r}{hint}",
            )
    for ident, draft in builder.controls.items():
        practice_id = draft.fields.get("practice")
        if isinstance(practice_id, str) and practice_id not in builder.practices:
            hint = did_you_mean(practice_id, builder.practices)
            draft.report.add(
                (*draft.path, "practice"),
                f"control {ident}.practice",
                f"no practice {practice_id!r}{hint}",
            )


def _load_crosswalk(
    ident: str, builder: _Builder, sources: list[_Source], named_by: _Source
) -> Crosswalk | None:
    # A crosswalk is a built-in id or a file beside the catalog that names it.
    path = resolve_reference(ident, named_by.path.parent)
    if path is None:
        named_by.report.add(
            ("catalog", "crosswalks"), "catalog.crosswalks", f"no crosswalk named {ident!r}"
        )
        return None
    source = read_toml(path, builder.problems)
    if source is None:
        return None
    sources.append(source)
    report = source.report
    report.table(source.data, schema.CROSSWALK_FILE, (), "")
    head = report.table(
        source.data.get("crosswalk", {}), schema.CROSSWALK, ("crosswalk",), "crosswalk"
    )
    items: list[CrosswalkItem] = []
    seen: dict[str, CrosswalkItem] = {}
    for index, raw in report.array_of_tables(source.data.get("items"), ("items",), "items"):
        path_, label = ("items", index), f"items[{index}]"
        entry = report.table(raw, schema.CROSSWALK_ITEM, path_, label)
        if not {"id", "title", "tasks"} <= entry.keys() or not _ids_ok(
            report, path_, label, entry["id"], seen, "item"
        ):
            continue
        tasks = [_normalize_task(t) for t in entry["tasks"]]
        for task in tasks:
            if task not in builder.controls:
                hint = did_you_mean(task, builder.controls)
                report.add(
                    (*path_, "tasks"),
                    f"item {entry['id']}.tasks",
                    f"no task {task!r} in the catalog{hint}",
                )
        item = CrosswalkItem(
            entry["id"],
            entry["title"],
            tuple(tasks),
            entry.get("section", ""),
            tuple(entry.get("eo14028", ())),
            entry.get("text", ""),
            entry.get("lead", ""),
            tuple(entry.get("form_tasks", ())),
            entry.get("mapping_note", ""),
        )
        seen[item.id] = item
        items.append(item)
    if {"id", "title", "catalog"} <= head.keys():
        return Crosswalk(
            head["id"], head["title"], head["catalog"], tuple(items), head.get("note", "")
        )
    return None


def _normalize_task(task: str) -> str:
    """`PO 1.1` (as the CISA form's appendix writes it) -> `PO.1.1`."""
    return re.sub(r"^([A-Z]{2})\s+", r"\1.", task.strip())


def _check_form_items(crosswalk: Crosswalk, builder: _Builder) -> None:
    if crosswalk.id != "cisa-common-form":
        return
    listed = {(item.id, task) for item in crosswalk.items for task in item.tasks}
    items = {item.id for item in crosswalk.items}
    for ident, draft in builder.controls.items():
        for item_id in draft.fields.get("form_items", []):
            label = f"control {ident}.form_items"
            if item_id not in items:
                draft.report.add(
                    (*draft.path, "form_items"),
                    label,
                    f"no form item {item_id!r}{did_you_mean(item_id, items)}",
                )
            elif (item_id, ident) not in listed:
                draft.report.add(
                    (*draft.path, "form_items"),
                    label,
                    f"form item {item_id} does not list {ident} in {crosswalk.id}",
                )
    for item_id, task in sorted(listed):
        cited = builder.controls.get(task)
        if cited is not None and item_id not in cited.fields.get("form_items", []):
            cited.report.add(
                (*cited.path, "form_items"),
                f"control {task}.form_items",
                f"form item {item_id} lists {task}, but the control does not list {item_id!r}",
            )


def _control(draft: _Draft, builder: _Builder) -> Control:
    entry = draft.fields
    practice = builder.practices[entry["practice"]][0]
    return Control(
        id=entry["id"],
        title=entry["title"],
        summary=entry["summary"],
        group=practice.group,
        practice=practice.id,
        attestation=AttestationLevel(entry["attestation"]),
        remediation=entry["remediation"],
        checks=tuple(draft.checks),
        eo14028=tuple(entry.get("eo14028", ())),
        form_items=tuple(entry.get("form_items", ())),
        references=tuple(entry.get("references", ())),
        not_applicable=draft.not_applicable,
    )


def load_catalog(ref: str | Path) -> Catalog:
    """Load a built-in catalog by id or a catalog file; InputError lists every problem."""
    builder = _Builder()
    path = resolve_reference(str(ref))
    if path is None:
        known = ", ".join(builtin_ids())
        raise InputError.single(
            str(ref), "", f"no built-in catalog or file named {str(ref)!r} (built-in: {known})"
        )
    sources = _chain(path, [], builder)
    if not sources:
        raise InputError(builder.problems)
    for source in sources:
        source.report.table(source.data, schema.CATALOG_FILE, (), "")
        header = source.report.table(
            source.data.get("catalog", {}), schema.CATALOG, ("catalog",), "catalog"
        )
        builder.header.update({k: v for k, v in header.items() if k != "crosswalks"})
        builder.crosswalk_ids.extend(
            c for c in header.get("crosswalks", []) if c not in builder.crosswalk_ids
        )
        _add_definitions(source, builder)
        _apply_adjustments(source, builder)
        if "scope" in source.data:
            _merge_scope(builder.scope, scope_table(source.data["scope"], source.report))
        if "semgrep" in source.data:
            _add_rules(source, builder)
    _check_references(builder)
    named_by = sources[-1]
    crosswalks = [
        c
        for c in (_load_crosswalk(i, builder, sources, named_by) for i in builder.crosswalk_ids)
        if c
    ]
    for crosswalk in crosswalks:
        _check_form_items(crosswalk, builder)
    problems = builder.problems + [p for s in sources for p in s.report.problems]
    if problems:
        raise InputError(problems)
    header = builder.header
    digest = hashlib.sha256(b"".join(hashlib.sha256(s.raw).digest() for s in sources)).hexdigest()
    _check_builtin_id(path, header["id"], digest, sources)
    catalog = Catalog(
        id=header["id"],
        title=header["title"],
        version=header["version"],
        status=header["status"],
        groups=tuple(builder.groups.values()),
        practices=tuple(p for p, _, _ in builder.practices.values()),
        controls=tuple(_control(d, builder) for d in builder.controls.values()),
        crosswalks=tuple(crosswalks),
        source=header.get("source", ""),
        published=header.get("published", ""),
        digest=digest,
        scope={k: tuple(v) for k, v in sorted(builder.scope.items())},
        semgrep_rules=tuple(builder.rules.files),
        semgrep_registry=tuple(builder.rules.registry),
    )
    return catalog


def _add_rules(source: _Source, builder: _Builder) -> None:
    """`[semgrep] extra_rules`: rule files relative to this catalog file's folder."""
    table = source.report.table(source.data["semgrep"], schema.SEMGREP, ("semgrep",), "semgrep")
    entries = table.get("extra_rules", [])
    if not entries:
        return
    where = (source.report.file, source.report.lines.line(("semgrep", "extra_rules")))
    shipped = semgrep.rule_ids(semgrep.rules_dir())
    taken = [*shipped, *(r for f in builder.rules.files for r in f.rules)]
    loaded = semgrep_rules.load(
        source.path.parent, entries, "catalog", where, taken, allow_registry=True,
        shown_base=str(Path(display_name(source.path)).parent),
    )  # fmt: skip
    builder.rules.files.extend(loaded.files)
    builder.rules.registry.extend(r for r in loaded.registry if r not in builder.rules.registry)
    builder.problems.extend(loaded.problems)


def _merge_scope(into: dict[str, list[str]], table: Mapping[str, list[str]]) -> None:
    """An extending catalog adds globs to each label; its `failing`, when given, replaces."""
    for key, values in table.items():
        if key == "failing":
            into[key] = list(values)
        else:
            into.setdefault(key, []).extend(v for v in values if v not in into[key])


def _check_builtin_id(path: Path, ident: str, digest: str, sources: list[_Source]) -> None:
    """A catalog that calls itself by a built-in id must be that built-in, byte for byte.

    Reports name the catalog by id; a repository's own catalog named `ssdf-1.1` would pass
    for the real one (with its own tasks, checks and parameters) in every report.
    """
    builtin = controls_dir() / f"{ident}.toml"
    if ident not in builtin_ids() or path.resolve() == builtin.resolve():
        return
    expected = load_catalog(ident).digest
    if digest == expected:
        return
    named = next((s for s in reversed(sources) if "id" in s.data.get("catalog", {})), sources[-1])
    named.report.add(
        ("catalog", "id"),
        "catalog.id",
        f"{ident!r} is the id of a built-in catalog, but this catalog's content differs "
        f"(sha256 {digest[:12]}..., the built-in's is {expected[:12]}...): give it its own id",
    )
    raise InputError(named.report.problems)


def with_not_applicable(catalog: Catalog, reasons: Mapping[str, str]) -> Catalog:
    """The catalog with more controls declared not applicable (from a project config)."""
    controls = tuple(
        replace(c, not_applicable=reasons[c.id]) if c.id in reasons else c for c in catalog.controls
    )
    return replace(catalog, controls=controls)

"""CycloneDX JSON SBOMs with `cyclonedx-python-lib`: validate, read, and generate.

Validation is the library's JSON schema validator for the document's `specVersion`; reading
deserializes the document into the library's model (`Bom.from_json`), so what the library
cannot read is never judged. The elements are then taken from the JSON itself, because the
model keeps components in a sorted set and a finding must name the component's place in the
file (its JSON pointer). The library is imported inside these functions: it takes about a
second to import, and `baseline` must start fast for commands that never read an SBOM.
"""

from __future__ import annotations

import datetime as dt
import uuid
import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from packaging.utils import canonicalize_name

from baseline.tools.sbom_doc import Part, Problem, SbomDoc, Unreadable, pointer

SUPPORTED = ("1.2", "1.3", "1.4", "1.5", "1.6")
_ID_KEYS = ("purl", "cpe", "swid", "omniborId", "swhid")
_SUPPLIER_KEYS = ("supplier", "manufacturer", "publisher", "author", "authors")


def _schema_problems(text: str, spec: str) -> list[Problem]:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    validator = JsonStrictValidator(SchemaVersion.from_version(spec))
    found = validator.validate_str(text, all_errors=True)
    problems = []
    for error in found or ():
        data = getattr(error, "data", None)
        where = pointer(*getattr(data, "absolute_path", ())) if data is not None else ""
        message = getattr(data, "message", None) or str(error)
        problems.append(Problem(where, str(message)[:300]))
    return sorted(set(problems), key=lambda p: (p.pointer, p.message))


def _deserialize(doc: Mapping[str, Any]) -> None:
    from cyclonedx.model.bom import Bom

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # deprecation notes about the document's fields
            Bom.from_json(doc)  # type: ignore[attr-defined]
    except Exception as exc:  # the library raises many kinds; any means "could not read"
        raise Unreadable(f"cyclonedx-python-lib could not read it: {exc}") from exc


def _components(items: Any, *path: str | int) -> Iterator[tuple[str, dict[str, Any]]]:
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict):
            yield pointer(*path, index), item
            yield from _components(item.get("components"), *path, index, "components")


def _ecosystem(purl: Any) -> tuple[str, str]:
    """(purl type, package name as the ecosystem compares it) or empty strings."""
    from packageurl import PackageURL

    if not isinstance(purl, str):
        return "", ""
    try:
        parsed = PackageURL.from_string(purl)
    except ValueError:
        return "", ""
    name = f"{parsed.namespace}/{parsed.name}" if parsed.namespace else parsed.name
    return parsed.type, canonicalize_name(name) if parsed.type == "pypi" else name


def _part(where: str, item: Mapping[str, Any], related: set[str]) -> Part:
    ecosystem, purl_name = _ecosystem(item.get("purl"))
    present = {
        "supplier": any(item.get(k) for k in _SUPPLIER_KEYS),
        "name": bool(item.get("name")),
        "version": bool(item.get("version")),
        "identifier": any(item.get(k) for k in _ID_KEYS),
        "dependencies": item.get("bom-ref") in related,
        "hash": bool(item.get("hashes")),
        "license": bool(item.get("licenses")),
    }
    return Part(
        name=purl_name or str(item.get("name", "")),
        version=str(item.get("version", "")),
        pointer=where,
        ecosystem=ecosystem,
        present=frozenset(k for k, v in present.items() if v),
    )


def _related(doc: Mapping[str, Any]) -> set[str]:
    """bom-refs the `dependencies` graph says something about (an empty dependsOn says "none")."""
    refs: set[str] = set()
    for entry in doc.get("dependencies") or []:
        if isinstance(entry, dict):
            refs.add(str(entry.get("ref")))
            refs.update(str(r) for r in entry.get("dependsOn") or [])
    return refs


def _document_elements(doc: Mapping[str, Any]) -> frozenset[str]:
    meta = doc.get("metadata") or {}
    tools = meta.get("tools")
    present = {
        "author": any(meta.get(k) for k in ("authors", "manufacturer", "manufacture", "supplier")),
        "timestamp": bool(meta.get("timestamp")),
        "tool": bool(
            tools.get("components") or tools.get("services") if isinstance(tools, dict) else tools
        ),
        "generation_context": bool(meta.get("lifecycles")),
    }
    return frozenset(k for k, v in present.items() if v)


def read(text: str, doc: Mapping[str, Any]) -> SbomDoc:
    """Validate and describe a CycloneDX JSON document (`doc` is `text` parsed).

    Raises Unreadable when the version is unknown or the library cannot read it."""
    spec = str(doc.get("specVersion", ""))
    if spec not in SUPPORTED:
        raise Unreadable(f"CycloneDX specVersion {spec!r} is not one of {', '.join(SUPPORTED)}")
    problems = _schema_problems(text, spec)
    if problems:
        return SbomDoc(f"CycloneDX {spec}", problems=tuple(problems))
    _deserialize(doc)
    related = _related(doc)
    parts = tuple(
        _part(w, item, related) for w, item in _components(doc.get("components"), "components")
    )
    return SbomDoc(f"CycloneDX {spec}", parts, _document_elements(doc))


def generate(
    packages: Sequence[tuple[str, str, str]],
    subject: str,
    commit: str | None,
    when: dt.datetime,
    tool_version: str,
) -> str:
    """A CycloneDX 1.6 JSON SBOM of locked packages `(purl type, name, version)`, deterministic.

    The serial number is derived from the subject and commit, the timestamp is `when` (the
    record's `generated_at`), and bom-refs are the package URLs: the same input gives the same
    bytes. The lifecycle is `pre-build`: the SBOM is made from lockfiles, not from a build."""
    try:
        from cyclonedx.contrib.this.builders import this_component
    except ImportError:  # before cyclonedx-python-lib 11.x
        from cyclonedx.builder.this import this_component
    from cyclonedx.model.bom import Bom, BomMetaData
    from cyclonedx.model.component import Component, ComponentType
    from cyclonedx.model.contact import OrganizationalContact
    from cyclonedx.model.lifecycle import LifecyclePhase, PredefinedLifecycle
    from cyclonedx.model.tool import ToolRepository
    from cyclonedx.output.json import JsonV1Dot6
    from packageurl import PackageURL

    ours = Component(
        type=ComponentType.APPLICATION,
        name="ssdf-baseline",
        version=tool_version,
        bom_ref="ssdf-baseline",
    )
    root = Component(
        type=ComponentType.APPLICATION,
        name=subject,
        version=(commit or "unknown")[:40],
        bom_ref="root",
    )
    components = []
    for kind, name, version in sorted(set(packages)):
        space, _, short = name.rpartition("/")  # npm's @scope/name: scope is the namespace
        purl = PackageURL(type=kind, namespace=space or None, name=short, version=version)
        components.append(
            Component(
                type=ComponentType.LIBRARY,
                name=name,
                version=version,
                purl=purl,
                bom_ref=purl.to_string(),
            )
        )
    seed = f"ssdf-baseline sbom\x1f{subject}\x1f{commit or ''}"
    bom = Bom(
        serial_number=uuid.uuid5(uuid.NAMESPACE_URL, seed),
        metadata=BomMetaData(
            timestamp=when,
            authors=[OrganizationalContact(name="ssdf-baseline (generated from lockfiles)")],
            component=root,
            tools=ToolRepository(components=[ours, this_component()]),
            lifecycles=[PredefinedLifecycle(LifecyclePhase.PRE_BUILD)],
        ),
        components=components,
    )
    bom.register_dependency(root, components)
    for component in components:
        bom.register_dependency(component, [])
    return JsonV1Dot6(bom).output_as_string(indent=2) + "\n"


def validate_generated(text: str) -> list[Problem]:
    """Schema problems of a generated document (for tests and for the generator's own check)."""
    return _schema_problems(text, "1.6")

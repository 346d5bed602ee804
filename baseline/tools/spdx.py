"""SPDX 2.x JSON SBOMs with `spdx-tools`: parse, validate, and describe.

`spdx-tools` parses the JSON into its model (a document it cannot parse is invalid: its
messages are the problems) and validates the model against the SPDX 2.2/2.3 rules. Packages
keep the order of the file's `packages` array, so each is located as `/packages/<index>`; a
validation message is located by the SPDX id it names. SPDX 2.3 has no field for a generation
context (CISA 2025), so an SPDX document never carries that element. The library is imported
inside these functions (start-up cost, see baseline/tools/cyclonedx.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from packaging.utils import canonicalize_name

from baseline.tools.sbom_doc import Part, Problem, SbomDoc, Unreadable, pointer

SUPPORTED = ("SPDX-2.2", "SPDX-2.3")
_ID_TYPES = frozenset({"purl", "cpe22Type", "cpe23Type", "swid", "gitoid"})


def _where_by_id(doc: Mapping[str, Any]) -> dict[str, str]:
    where = {str(doc.get("SPDXID", "")): ""}
    for key in ("packages", "files", "snippets"):
        for index, item in enumerate(doc.get(key) or []):
            if isinstance(item, dict) and "SPDXID" in item:
                where[str(item["SPDXID"])] = pointer(key, index)
    return where


def _purl(package: Any) -> tuple[str, str]:
    from packageurl import PackageURL

    for ref in package.external_references:
        if ref.reference_type == "purl":
            try:
                parsed = PackageURL.from_string(ref.locator)
            except ValueError:
                continue
            name = f"{parsed.namespace}/{parsed.name}" if parsed.namespace else parsed.name
            return parsed.type, canonicalize_name(name) if parsed.type == "pypi" else name
    return "", ""


def _known(value: Any) -> bool:
    from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion

    return value is not None and not isinstance(value, SpdxNoAssertion)


def _parts(document: Any) -> tuple[Part, ...]:
    related: set[str] = set()
    for rel in document.relationships:
        related.update((str(rel.spdx_element_id), str(rel.related_spdx_element_id)))
    parts = []
    for index, package in enumerate(document.packages):
        kind, purl_name = _purl(package)
        present = {
            "supplier": _known(package.supplier) or _known(package.originator),
            "name": bool(package.name),
            "version": bool(package.version),
            "identifier": any(r.reference_type in _ID_TYPES for r in package.external_references),
            "dependencies": package.spdx_id in related,
            "hash": bool(package.checksums),
            "license": _known(package.license_declared) or _known(package.license_concluded),
        }
        parts.append(
            Part(
                name=purl_name or str(package.name),
                version=str(package.version or ""),
                pointer=pointer("packages", index),
                ecosystem=kind,
                present=frozenset(k for k, v in present.items() if v),
            )
        )
    return tuple(parts)


def _document_elements(document: Any) -> frozenset[str]:
    from spdx_tools.spdx.model.actor import ActorType

    creators = document.creation_info.creators
    present = {
        "author": any(c.actor_type in (ActorType.PERSON, ActorType.ORGANIZATION) for c in creators),
        "timestamp": document.creation_info.created is not None,
        "tool": any(c.actor_type is ActorType.TOOL for c in creators),
    }
    return frozenset(k for k, v in present.items() if v)


def read(doc: Mapping[str, Any]) -> SbomDoc:
    """Parse, validate and describe an SPDX JSON document (already parsed as JSON).

    Raises Unreadable for an SPDX version we do not read or a library failure."""
    from spdx_tools.spdx.parser.error import SPDXParsingError
    from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    version = str(doc.get("spdxVersion", ""))
    if version not in SUPPORTED:
        raise Unreadable(f"spdxVersion {version!r} is not one of {', '.join(SUPPORTED)}")
    label = version.replace("-", " ")
    try:
        document = JsonLikeDictParser().parse(dict(doc))  # type: ignore[no-untyped-call]
    except SPDXParsingError as exc:
        messages = [str(m)[:300] for m in exc.get_messages()]  # type: ignore[no-untyped-call]
        return SbomDoc(label, problems=tuple(Problem("", m) for m in sorted(set(messages))))
    except Exception as exc:  # any other failure of the library: we could not read it
        raise Unreadable(f"spdx-tools could not read it: {exc}") from exc
    where = _where_by_id(doc)
    problems = {
        Problem(where.get(str(m.context.spdx_id), ""), str(m.validation_message)[:300])
        for m in validate_full_spdx_document(document, version)
    }
    if problems:
        return SbomDoc(
            label, problems=tuple(sorted(problems, key=lambda p: (p.pointer, p.message)))
        )
    return SbomDoc(label, _parts(document), _document_elements(document))

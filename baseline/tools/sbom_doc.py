"""An SBOM as the checks see it, whatever its format: components and the document's facts.

The CycloneDX and SPDX adapters (`baseline.tools.cyclonedx`, `baseline.tools.spdx`) read a
document with their format's library and describe it here; the check judges this description
(`baseline.checks.sbom`). Every component and problem keeps the JSON pointer (RFC 6901) of its
place in the file, so a finding says where to look.

Minimum elements: the seven data fields of NTIA's "The Minimum Elements For a Software Bill of
Materials" (July 2021) and the four fields CISA's "2025 Minimum Elements for a Software Bill of
Materials" (public-comment draft, 22 August 2025) adds: component hash, license, tool name and
generation context.
"""

from __future__ import annotations

from dataclasses import dataclass

COMPONENT_ELEMENTS = (
    "supplier",
    "name",
    "version",
    "identifier",
    "dependencies",
    "hash",
    "license",
)
"""Elements each component carries (or lacks)."""
DOCUMENT_ELEMENTS = ("author", "timestamp", "tool", "generation_context")
"""Elements the document as a whole carries (or lacks)."""
NTIA_2021 = ("supplier", "name", "version", "identifier", "dependencies", "author", "timestamp")
"""NTIA 2021 minimum data fields, by our element names."""
CISA_2025 = ("hash", "license", "tool", "generation_context")
"""The data fields CISA's 2025 draft adds to NTIA's."""
ELEMENTS = NTIA_2021 + CISA_2025
GENERATED_NAME = "generated.cdx.json"
"""The artifact name of an SBOM the check generated (when the repository holds none)."""
BUNDLE_PATH = "sbom/generated.cdx.json"
"""Where a bundle keeps that generated SBOM."""

ELEMENT_NAMES = {
    "supplier": "supplier name",
    "name": "component name",
    "version": "component version",
    "identifier": "other unique identifier (purl, CPE, SWID)",
    "dependencies": "dependency relationship",
    "author": "author of the SBOM data",
    "timestamp": "timestamp",
    "hash": "component hash",
    "license": "license",
    "tool": "tool name",
    "generation_context": "generation context (lifecycle phase)",
}
"""Element -> the name the minimum-elements documents give it."""


@dataclass(frozen=True)
class Part:
    """One component of an SBOM."""

    name: str
    version: str
    pointer: str
    """JSON pointer of the component in the file: `/components/3`, `/packages/0`."""
    ecosystem: str = ""
    """The package URL type (`pypi`, `npm`, ...) when the component has a purl."""
    present: frozenset[str] = frozenset()
    """Which of `COMPONENT_ELEMENTS` it carries."""


@dataclass(frozen=True)
class Problem:
    """One schema or validation error, located."""

    pointer: str
    """JSON pointer of the offending value (`` for the whole document)."""
    message: str


@dataclass(frozen=True)
class SbomDoc:
    """A read SBOM: its format, components, document elements, and validation problems."""

    format: str
    """`CycloneDX 1.6`, `SPDX 2.3`, ..."""
    parts: tuple[Part, ...] = ()
    present: frozenset[str] = frozenset()
    """Which of `DOCUMENT_ELEMENTS` the document carries."""
    problems: tuple[Problem, ...] = ()
    """Schema or validation errors; a document with any is invalid."""


class Unreadable(ValueError):
    """The file is no SBOM we can read (not JSON, unknown format, a library failure)."""


def pointer(*parts: str | int) -> str:
    """A JSON pointer from its reference tokens (escaped as RFC 6901 says)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)

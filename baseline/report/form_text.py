"""The CISA Common Form's own fixed wording (sections I and III) and the choices it offers.

A U.S. Government work, so shipped verbatim; the item texts live with the mapping in
controls/cisa-common-form.toml. Every string here is the form's, except where a name says
`OURS`: those are our labels for a choice the form makes with a checkbox and a signature.
The config keys choosing among them are in baseline/project/schema.py (`[producer]`).
"""

from __future__ import annotations

from collections.abc import Mapping

PRODUCER_PLACEHOLDER = "[software producer]"
"""Where the form's lead-in names the producer (filled with the company name when given)."""

SECTION_III_LEAD = (
    "On behalf of the above-specified company, I attest that, to the best of my knowledge, "
    f"{PRODUCER_PLACEHOLDER} presently makes consistent use of the following practices, derived "
    "from the secure software development framework (SSDF), in developing the software "
    "identified in Section I:"
)

NOTIFY_AGENCIES = (
    "I further attest that the software producer will notify any agency to which it has "
    "submitted this form if and when the producer ceases to make consistent use of the "
    "practices identified above in developing the software."
)

SIGNATURE_LABEL = "Signature of CEO or Designee with authority to bind the corporation"

THIRD_PARTY_ASSESSOR = (
    "A certified FedRAMP Third Party Assessor Organization (3PAO) or other 3PAO approved in "
    "writing by an appropriate agency official has evaluated our conformance to all elements "
    "in this form. The 3PAO used relevant NIST Guidance that includes all elements outlined in "
    "this form as the assessment baseline. The assessment is attached."
)

ATTACHMENTS_LABEL = "ATTACHMENT(S): [Artifact/Addendum Title]: [Artifact/Addendum Description]"

ATTESTATION_TYPES: Mapping[str, str] = {
    "new": "New attestation",
    "extension": "Attestation following extension or waiver",
    "revised": "Revised attestation",
}
"""`[producer] attestation_type` -> the form's section I choice."""

SOFTWARE_COVERED: Mapping[str, str] = {
    "company-wide": "Company-wide",
    "individual-product": "Individual product",
    "multiple-products": "Multiple products or specific versions",
}
"""`[producer] software_covered` -> the form's section I choice of what the attestation covers."""

ATTESTED_BY_OURS: Mapping[str, str] = {
    "signatory": "All requirements met: the CEO or a designee signs the attestation above",
    "third-party-assessor": "Verified by a third-party assessor (3PAO), the assessment attached; "
    "the producer need not sign",
}
"""`[producer] attested_by` -> our label of the section III route the producer chose."""

ATTESTED_BY_FORM: Mapping[str, str] = {
    "signatory": SIGNATURE_LABEL,
    "third-party-assessor": THIRD_PARTY_ASSESSOR,
}
"""`[producer] attested_by` -> the form's own text of that route."""

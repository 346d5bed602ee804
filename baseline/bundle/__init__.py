"""The evidence bundle: reports, raw tool output, attestation evidence, a manifest and a
(optionally signed) in-toto statement that auditors verify with `baseline verify`."""

MANIFEST = "manifest.json"
STATEMENT = "statement.json"
ENVELOPE = "statement.dsse.json"
SIGSTORE = "statement.sigstore.json"
"""With `--sign-keyless`: the Sigstore bundle over statement.json (baseline/bundle/keyless.py)."""
CONTROL_FILES = (MANIFEST, STATEMENT, ENVELOPE, SIGSTORE)
"""Files the manifest does not list: it and the statement cover them instead."""

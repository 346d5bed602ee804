# A client that reads the claims of a token it forwards for verification elsewhere (as
# sigstore-python's oidc.py forwards its OIDC token to Fulcio): no web framework is imported,
# so python.jwt-signature-not-verified reports nothing here. Any finding fails the test run.
import jwt


def claims_of(raw_token: str, client_id: str) -> dict:
    # expect no finding (python.jwt-signature-not-verified: not a server)
    return jwt.decode(raw_token, options={"verify_signature": False}, audience=client_id)

"""Settings for the notes app.

DELIBERATELY INSECURE EXAMPLE for ssdf-baseline. Every credential below is
fake and planted on purpose; none of them works anywhere.
"""

DEBUG = True
DATABASE = "notes.db"
UPSTREAM_URL = "https://internal.example.invalid/api"

# planted: hard-coded password
DB_PASSWORD = "hunter2-not-a-real-password"

# planted: hard-coded (fake) AWS access key id
AWS_ACCESS_KEY_ID = "AKIAFAKEEXAMPLE00001"

# planted: hard-coded Flask secret key
SECRET_KEY = "dev-secret-key-change-me"

# planted: private key committed to the repository (fake content, not a real key)
SIGNING_KEY_PEM = """-----BEGIN RSA PRIVATE KEY-----
RkFLRS1LRVktRk9SLVNTREYtQkFTRUxJTkUtREVNTy1OT1QtQS1SRUFMLUtFWS0w
MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw
VGhpcyBpcyBwbGFudGVkIHRlc3QgZGF0YSBmb3IgYSBzZWNyZXQgc2Nhbm5lci4=
-----END RSA PRIVATE KEY-----
"""

# Test cases for secrets.yaml (run: semgrep --test controls/rules).
# Every credential below is FAKE: made up to have the right shape for the rules, tied to no account.
# This file is never executed; it only has to parse.
import os

import psycopg2

# ============================================================================ private keys
# ruleid: secrets.private-key
PRIVATE_KEY_PEM = """-----BEGIN RSA PRIVATE KEY-----
MIIEpAIBAAKCAQEAFAKEKEYFORTESTSONLYFAKEKEYFORTESTSONLYFAKEKEYFORTESTS
FAKEKEYFORTESTSONLYFAKEKEYFORTESTSONLYFAKEKEYFORTESTSONLYFAKEKEYFORTE
-----END RSA PRIVATE KEY-----
"""
# ruleid: secrets.private-key
EC_KEY = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIFAKEKEYFORTESTSONLYFAKEKEYFORTESTSONLYFAKEoAoGCCqGSM49\n-----END EC PRIVATE KEY-----\n"
# ruleid: secrets.private-key
PKCS8 = ("-----BEGIN PRIVATE KEY-----\n"
         "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCFAKEKEYFORTESTSONLYFAKEKEYFORTESTS\n")
# ruleid: secrets.private-key
OPENSSH = """-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABFAKEKEYFORTESTSONLY
-----END OPENSSH PRIVATE KEY-----"""

# ok: secrets.private-key
PEM_HEADER = "-----BEGIN RSA PRIVATE KEY-----"
# ok: secrets.private-key
DOC_EXAMPLE = "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----"
# ok: secrets.private-key
PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAFAKEKEYFORTESTSONLYFAKE\n"


def is_private_key(text):
    # ok: secrets.private-key
    return text.startswith("-----BEGIN OPENSSH PRIVATE KEY-----")


# ============================================================================ AWS
# ruleid: secrets.aws-access-key-id
AWS_ACCESS_KEY_ID = "AKIAZZZZFAKETEST2345"
# ruleid: secrets.aws-access-key-id
session_key = "ASIAFAKEFAKEFAKE7777"
# ruleid: secrets.aws-access-key-id
config_line = "aws_access_key_id=AKIAZZZZFAKETEST2345"

# ok: secrets.aws-access-key-id
DOCS_KEY = "AKIAIOSFODNN7EXAMPLE"
# ruleid: secrets.aws-access-key-id
PLANTED = "AKIAFAKEFAKE00000001"
# ok: secrets.aws-access-key-id
LOWER_CASE = "akiazzzzfaketest2345"
# ok: secrets.aws-access-key-id
TOO_SHORT = "AKIAFAKE"
# ok: secrets.aws-access-key-id
EMBEDDED = "XAKIAZZZZFAKETEST2345"

# ============================================================================ GitHub
# ruleid: secrets.github-token
GH_TOKEN = "ghp_FAKEtokenForTestsOnly0123456789abcde"
# ruleid: secrets.github-token
oauth = "gho_FAKEtokenForTestsOnly0123456789abcde"
# ruleid: secrets.github-token
app_installation = "ghs_FAKEtokenForTestsOnly0123456789abcde"
# ruleid: secrets.github-token
FINE_GRAINED = "github_pat_FAKEfinegrainedTOKEN12_FAKEfinegrainedTokenForTestsOnly0123456789abcdefghijklmnopq"

# ok: secrets.github-token
PLACEHOLDER = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
# ok: secrets.github-token
TOO_SHORT_GH = "ghp_FAKEtoken"
# ok: secrets.github-token
WRONG_PREFIX = "ghx_FAKEtokenForTestsOnly0123456789abcde"
# ok: secrets.github-token
ACTIONS_REF = "${{ secrets.GITHUB_TOKEN }}"

# ============================================================================ GitLab
# ruleid: secrets.gitlab-token
GITLAB = "glpat-FAKEtokenForTests0nly"
# ruleid: secrets.gitlab-token
headers = {"PRIVATE-TOKEN": "glpat-FAKE_token-ForTestsOnly12"}

# ruleid: secrets.gitlab-token
gitlab_url = "https://oauth2:glpat-FAKEtokenForTests0nly@gitlab.example.invalid/group/repo.git"

# ok: secrets.gitlab-token
GITLAB_DOC = "glpat-xxxxxxxxxxxxxxxxxxxx"
# ok: secrets.gitlab-token
GITLAB_TEMPLATE = "glpat-<your-token>"
# ok: secrets.gitlab-token
GITLAB_SHORT = "glpat-FAKE"

# ============================================================================ Slack
# ruleid: secrets.slack-token
SLACK_BOT = "xoxb-1234567890-1234567890123-FAKEtokenForTestsOnly123"
# ruleid: secrets.slack-token
SLACK_USER = "xoxp-1234567890-1234567890-1234567890123-0123456789abcdeffedcba9876543210"

# ok: secrets.slack-token
SLACK_DOC = "xoxb-your-bot-token"
# ok: secrets.slack-token
SLACK_XS = "xoxb-0000000000-xxxxxxxxxxxxxxxxxxxxxxxx"
# ok: secrets.slack-token
SLACK_PREFIX_ONLY = "xoxb-"

# ============================================================================ Google
# ruleid: secrets.google-api-key
GOOGLE_KEY = "AIzaFAKEkeyForTestsOnly_0123456789abcde"
# the assignment rule sees the "apiKey" entry as well
# ruleid: secrets.google-api-key, secrets.python-hardcoded-password
firebase_config = {"apiKey": "AIzaFAKEkeyForTestsOnly_0123456789abcde"}
# ruleid: secrets.google-api-key
maps_url = "https://maps.googleapis.com/maps/api/js?key=AIzaFAKEkeyForTestsOnly_0123456789abcde"

# ok: secrets.google-api-key
GOOGLE_DOC = "AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
# ok: secrets.google-api-key
GOOGLE_SHORT = "AIzaFAKE"
# ok: secrets.google-api-key
GOOGLE_TOO_LONG_TO_BE_A_KEY = "AIzaFAKEkeyForTestsOnly_0123456789abcdeEXTRA"

# ============================================================================ Stripe
# ruleid: secrets.stripe-live-key
STRIPE = "sk_live_FAKEkeyForTestsOnly0123456789"
# ruleid: secrets.stripe-live-key
STRIPE_RESTRICTED = "rk_live_FAKEkeyForTestsOnly0123456789"

# ok: secrets.stripe-live-key
STRIPE_TEST = "sk_test_FAKEkeyForTestsOnly0123456789"
# ok: secrets.stripe-live-key
STRIPE_DOC = "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"
# ok: secrets.stripe-live-key
STRIPE_PUBLISHABLE = "pk_live_FAKEkeyForTestsOnly0123456789"

# ============================================================================ assignments
# ruleid: secrets.python-hardcoded-password
password = "hunter2"
# ruleid: secrets.python-hardcoded-password
DB_PASSWORD = "Tr0ub4dor&3"
# ruleid: secrets.python-hardcoded-password
SECRET_KEY = "django-insecure-f4ke-k3y-for-tests-only"
# ruleid: secrets.python-hardcoded-password
access_token: str = "abc123def456ghi789"
# ruleid: secrets.python-hardcoded-password
settings = {"db_password": "hunter2", "host": "db"}
# ruleid: secrets.python-hardcoded-password
dbPassword = "s3cr3t!"


class Client:
    def __init__(self):
        # ruleid: secrets.python-hardcoded-password
        self.api_key = "a1b2c3d4e5f6"
        self.config = {}
        # ruleid: secrets.python-hardcoded-password
        self.config["client_secret"] = "s3cr3t-value-123"


def connect():
    # ruleid: secrets.python-hardcoded-password
    return psycopg2.connect(host="db", user="app", password="hunter2")


# ruleid: secrets.python-hardcoded-password
def login(user, password="admin123"):
    return user, password


# ok: secrets.python-hardcoded-password
password = ""
# ok: secrets.python-hardcoded-password
password = os.environ["DB_PASSWORD"]
# ok: secrets.python-hardcoded-password
DB_PASSWORD = os.getenv("DB_PASSWORD", "")
# ok: secrets.python-hardcoded-password
PASSWORD_FIELD = "password"
# ok: secrets.python-hardcoded-password
password = "changeme"
# ok: secrets.python-hardcoded-password
password = "<your-password>"
# ok: secrets.python-hardcoded-password
password = "${DB_PASSWORD}"
# ok: secrets.python-hardcoded-password
password = "{password}"
# ok: secrets.python-hardcoded-password
password = "%(password)s"
# ok: secrets.python-hardcoded-password
api_key = "API_KEY"
# ok: secrets.python-hardcoded-password
private_key = "/etc/ssl/private/server.key"
# ok: secrets.python-hardcoded-password
private_key = "server.pem"
# ok: secrets.python-hardcoded-password
password = "Enter your password"
# ok: secrets.python-hardcoded-password
reset_password = "reset-password"
# ok: secrets.python-hardcoded-password
token = "IDENT"
# ok: secrets.python-hardcoded-password
password = None
# ok: secrets.python-hardcoded-password
secret = "********"
# ok: secrets.python-hardcoded-password
password = ":****"
# ok: secrets.python-hardcoded-password
EMOJI = {"secret": "㊙", "key": "🔑"}
# ruleid: secrets.python-hardcoded-password
app_config = dict(SECRET_KEY="dev", DATABASE="app.sqlite")
# ruleid: secrets.python-hardcoded-password
FLASK_SECRET_KEY = "dev-secret-key-change-me"
# ok: secrets.python-hardcoded-password
password_route = {"reset_password": "user.password"}
# ok: secrets.python-hardcoded-password
password_hash = "pbkdf2_sha256$260000$salt$hash"
# ok: secrets.python-hardcoded-password
os.environ.setdefault("SECRET_KEY", os.urandom(16).hex())


def prompt(parser):
    # ok: secrets.python-hardcoded-password
    parser.add_argument("--password", help="database password", dest="password")
    # ok: secrets.python-hardcoded-password
    return connect_to(password=os.environ["DB_PASSWORD"], token_url="https://example.invalid/token")

# Tests for python-web.yaml: framework settings and pattern rules (no request data needed).
import hashlib
import os
import random
import secrets
import ssl
import string

import aiohttp
import aiohttp_jinja2
import jwt
import urllib3
from aiohttp import web
from Crypto.Cipher import AES, DES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from lxml import etree
from xml.sax import make_parser
from xml.sax.handler import feature_external_ges

# ruleid: python.insecure-cookie-setting
SESSION_COOKIE_SECURE = False
# ok: python.insecure-cookie-setting
SESSION_COOKIE_HTTPONLY = True
# ok: python.insecure-cookie-setting
CSRF_COOKIE_SECURE = os.environ.get("CSRF_COOKIE_SECURE", "1") == "1"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # ruleid: python.template-autoescape-disabled
        "OPTIONS": {"autoescape": False},
    },
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        # ok: python.template-autoescape-disabled
        "OPTIONS": {"autoescape": True},
    },
]

# ruleid: python.csrf-protection-disabled
WTF_CSRF_ENABLED = False
# ok: python.csrf-protection-disabled
WTF_CSRF_TIME_LIMIT = None

JWT_SECRET = os.environ["JWT_SECRET"]


def make_token(user_id):
    # ruleid: python.jwt-hardcoded-key
    return jwt.encode({"sub": user_id}, "super-secret-signing-key", algorithm="HS256")


def make_token_env(user_id):
    # ok: python.jwt-hardcoded-key
    return jwt.encode({"sub": user_id}, JWT_SECRET, algorithm="HS256")


def read_token(token):
    # ruleid: python.jwt-signature-not-verified
    return jwt.decode(token, options={"verify_signature": False})


def read_token_verified(token):
    # ok: python.jwt-signature-not-verified
    return jwt.decode(token, JWT_SECRET, algorithms=["HS256"])


def encrypt_legacy(key, data):
    # ruleid: python.weak-cipher
    return DES.new(key, DES.MODE_CBC).encrypt(data)


def encrypt_ecb(key, data):
    # ruleid: python.weak-cipher
    return AES.new(key, AES.MODE_ECB).encrypt(data)


def encrypt_gcm(key, data):
    # ok: python.weak-cipher
    return AES.new(key, AES.MODE_GCM).encrypt_and_digest(data)


def encrypt_hazmat(key, iv):
    # ruleid: python.weak-cipher
    return Cipher(algorithms.AES(key), modes.ECB())


def new_reset_token():
    # ruleid: python.insecure-random-secret
    reset_token = "".join(random.choices(string.ascii_letters + string.digits, k=32))
    return reset_token


def new_reset_token_safe():
    # ok: python.insecure-random-secret
    reset_token = secrets.token_urlsafe(32)
    return reset_token


def new_activation_token(email):
    import datetime

    # ruleid: python.insecure-random-secret
    activation_token = hashlib.sha256(f"{email}:{datetime.datetime.now()}".encode()).hexdigest()
    # ok: python.insecure-random-secret
    token_expires = datetime.datetime.now() + datetime.timedelta(hours=1)
    return activation_token, token_expires


def pick_colour(colours):
    # not a secret: a random pick for display
    # ok: python.insecure-random-secret
    colour = random.choice(colours)
    return colour


def hash_password(password):
    # ruleid: python.password-fast-hash
    return hashlib.sha256(password.encode()).hexdigest()


def file_digest(data):
    # ok: python.password-fast-hash
    return hashlib.sha256(data).hexdigest()


def client_context():
    ctx = ssl.create_default_context()
    # ruleid: python.tls-cert-none
    ctx.check_hostname = False
    # ruleid: python.tls-cert-none
    ctx.verify_mode = ssl.CERT_NONE
    # ok: python.tls-cert-none
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


def pool():
    # ruleid: python.tls-cert-none
    return urllib3.PoolManager(cert_reqs="CERT_NONE")


def pool_verified():
    # ok: python.tls-cert-none
    return urllib3.PoolManager(cert_reqs="CERT_REQUIRED")


def make_app():
    # ruleid: python.framework-debug-enabled
    application = web.Application(debug=True)
    # ruleid: python.template-autoescape-disabled
    aiohttp_jinja2.setup(application, loader=None, autoescape=False)
    # ok: python.framework-debug-enabled
    other = web.Application(debug=os.environ.get("APP_DEBUG") == "1")
    return application, other


def sax_parser():
    parser = make_parser()
    # ruleid: python.xml-external-entities-enabled
    parser.setFeature(feature_external_ges, True)
    # ok: python.xml-external-entities-enabled
    parser.setFeature(feature_external_ges, False)
    return parser


def lxml_parser():
    # ruleid: python.xml-external-entities-enabled
    loose = etree.XMLParser(resolve_entities=True, no_network=False)
    # ok: python.xml-external-entities-enabled
    strict = etree.XMLParser(resolve_entities=False)
    return loose, strict


def session_storage(redis):
    from aiohttp_session.redis_storage import RedisStorage

    # ruleid: python.insecure-cookie-setting
    insecure = RedisStorage(redis, httponly=False)
    # ok: python.insecure-cookie-setting
    hardened = RedisStorage(redis, httponly=True, secure=True)
    return insecure, hardened

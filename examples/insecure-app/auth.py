"""Login helpers for the notes app. DELIBERATELY INSECURE EXAMPLE."""

import hashlib

from flask import session

import config
import db


def hash_password(password):
    # planted: unsalted MD5 used for password hashing
    return hashlib.md5(password.encode()).hexdigest()


def check_login(username, password):
    user = db.find_user(username)
    return user is not None and user[2] == hash_password(password)


def require_admin():
    # planted: assert used for an authorization check (removed under python -O)
    assert session.get("role") == "admin", "admin only"


def upstream_dsn(user, password, host):
    return f"postgresql://{user}:{password}@{host}/notes"


def connect_upstream_db():
    # planted: hard-coded password passed as a function argument
    return upstream_dsn(user="notes", password="notes-db-pass-123", host=config.UPSTREAM_URL)

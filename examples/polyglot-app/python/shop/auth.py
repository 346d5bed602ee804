"""Accounts: passwords, reset tokens, API tokens and the remember-me cookie."""

import datetime
import hashlib
import random
import secrets
import string

import jwt
from flask import Blueprint, current_app, make_response, redirect, request, session
from werkzeug.security import check_password_hash, generate_password_hash

from shop import csrf

bp = Blueprint("auth", __name__)
ALPHABET = string.ascii_letters + string.digits


def legacy_password_digest(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()  # PLANTED CWE-916


def password_digest(password: str) -> str:
    return generate_password_hash(password)  # SAFE-TWIN CWE-916


def new_reset_token() -> str:
    reset_token = "".join(random.choices(ALPHABET, k=24))  # PLANTED CWE-338
    return reset_token


def new_reset_token_v2() -> str:
    reset_token = secrets.token_urlsafe(24)  # SAFE-TWIN CWE-338
    return reset_token


def api_token(user_id: int) -> str:
    claims = {"sub": str(user_id), "exp": datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)}
    return jwt.encode(claims, "shop-dev-signing-key-FAKE", algorithm="HS256")  # PLANTED CWE-798


def api_token_v2(user_id: int) -> str:
    claims = {"sub": str(user_id), "exp": datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)}
    return jwt.encode(claims, current_app.config["JWT_SECRET"], algorithm="HS256")  # SAFE-TWIN CWE-798


@bp.route("/login", methods=["POST"])
def login():
    from shop.models import User

    user = User.query.filter_by(email=request.form["email"]).first()
    if user is None or not check_password_hash(user.password_hash, request.form["password"]):
        return redirect("/account/login?failed=1")
    session["user_id"] = user.id
    response = make_response(redirect("/"))
    response.set_cookie("remember_token", api_token_v2(user.id), max_age=30 * 86400)  # PLANTED CWE-614
    response.set_cookie("remember_token_v2", api_token_v2(user.id), max_age=30 * 86400, secure=True, httponly=True, samesite="Lax")  # SAFE-TWIN CWE-614
    return response


@csrf.exempt  # PLANTED CWE-352
@bp.route("/email", methods=["POST"])
def change_email():
    from shop.models import User

    User.query.get(session["user_id"]).email = request.form["email"]
    return redirect("/account")

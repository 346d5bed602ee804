"""Settings, read from the environment where they differ between deployments."""

import os

SECRET_KEY = os.environ["SHOP_SECRET_KEY"]
JWT_SECRET = os.environ["SHOP_JWT_SECRET"]
SQLALCHEMY_DATABASE_URI = os.environ.get("SHOP_DATABASE_URL", "sqlite:///shop.db")
UPLOAD_DIR = os.environ.get("SHOP_UPLOAD_DIR", "/srv/shop/uploads")
PARTNER_API = "https://partners.example.com"

SESSION_COOKIE_SECURE = False  # PLANTED CWE-614
SESSION_COOKIE_HTTPONLY = True  # SAFE-TWIN CWE-1004
SESSION_COOKIE_SAMESITE = "Lax"

# Test cases for python.debug-setting-enabled: a Flask config module (app.config.from_object).
import os

# ruleid: python.debug-setting-enabled
DEBUG = True
SECRET_KEY = os.environ["SECRET_KEY"]
SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///app.db")


class DevelopmentConfig:
    # ok: python.debug-setting-enabled
    DEBUG = True
    TESTING = True

# Test cases for python.debug-setting-enabled: a settings module whose DEBUG comes from the
# environment with debug ON as the default (healthchecks/healthchecks hc/settings.py:70).
import os

import environ
from decouple import config


def envbool(s: str, default: str) -> bool:
    return os.getenv(s, default) == "True"


SECRET_KEY = os.getenv("SECRET_KEY", "---")
# ruleid: python.debug-setting-enabled
DEBUG = envbool("DEBUG", "True")

env = environ.Env()
# ruleid: python.debug-setting-enabled
DEBUG = env.bool("DJANGO_DEBUG", default=True)

# ruleid: python.debug-setting-enabled
DEBUG = config("DEBUG", default=True, cast=bool)

# ok: python.debug-setting-enabled
DEBUG = envbool("DEBUG", "False")

# ok: python.debug-setting-enabled
DEBUG = env.bool("DJANGO_DEBUG", default=False)

# ok: python.debug-setting-enabled
DEBUG = os.getenv("DEBUG", "False") == "True"

INSTALLED_APPS = ["django.contrib.auth"]

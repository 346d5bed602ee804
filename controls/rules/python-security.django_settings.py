# Test cases for python.debug-setting-enabled: a Django settings module.
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# ruleid: python.debug-setting-enabled
DEBUG = True

ALLOWED_HOSTS = []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
]

ROOT_URLCONF = "mysite.urls"


def configure_logging():
    # ok: python.debug-setting-enabled
    DEBUG = True
    return DEBUG


class Local:
    # ok: python.debug-setting-enabled
    DEBUG = True

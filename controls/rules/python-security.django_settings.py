# Test cases for python.django-debug-enabled: a Django settings module.
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# ruleid: python.django-debug-enabled
DEBUG = True

ALLOWED_HOSTS = []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
]

ROOT_URLCONF = "mysite.urls"


def configure_logging():
    # ok: python.django-debug-enabled
    DEBUG = True
    return DEBUG


class Local:
    # ok: python.django-debug-enabled
    DEBUG = True

# Test cases for python.django-debug-enabled: a settings module that reads DEBUG from the
# environment.
# Negative-only cases use a plain comment, not an "ok" annotation: the semgrep --test runner
# requires each annotated rule to fire at least once in the file. Any finding here still fails.
import os

# expect no finding (python.django-debug-enabled)
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"

MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]

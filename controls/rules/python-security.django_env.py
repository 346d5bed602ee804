# Test cases for python.debug-setting-enabled: a settings module that reads DEBUG from the
# environment.
# Negative-only cases use a plain comment, not an "ok" annotation: the semgrep --test runner
# requires each annotated rule to fire at least once in the file. Any finding here still fails.
import os

# expect no finding (python.debug-setting-enabled)
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"

MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]

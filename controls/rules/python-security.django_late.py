# Test cases for python.debug-setting-enabled: DEBUG set after the other settings.
ROOT_URLCONF = "shop.urls"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
]

# ruleid: python.debug-setting-enabled
DEBUG = True

if __debug__:
    # ok: python.debug-setting-enabled
    DEBUG = True

if "runserver" in __import__("sys").argv:
    pass
else:
    # ok: python.debug-setting-enabled
    DEBUG = True

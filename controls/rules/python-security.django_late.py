# Test cases for python.django-debug-enabled: DEBUG set after the other settings.
ROOT_URLCONF = "shop.urls"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
]

# ruleid: python.django-debug-enabled
DEBUG = True

if __debug__:
    # ok: python.django-debug-enabled
    DEBUG = True

if "runserver" in __import__("sys").argv:
    pass
else:
    # ok: python.django-debug-enabled
    DEBUG = True

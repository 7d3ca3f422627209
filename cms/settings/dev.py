from courses.certificates.signing import development_key as _development_key

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = SECRET_KEY or "flightpath-dev-only-not-secret"  # noqa: F405
# Certificates signed in development carry a key derived from SECRET_KEY: never a real one.
FLIGHTPATH_SIGNING_KEY = FLIGHTPATH_SIGNING_KEY or _development_key(SECRET_KEY)  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost"]  # noqa: F405
# Demo accounts (password "flightpath") are created by load_demo only when this is on.
FLIGHTPATH_DEMO_ACCOUNTS = True

# Static files straight from the source folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

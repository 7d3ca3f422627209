"""`make bench`: production settings over plain HTTP on this machine, with the baseline views."""

import os

os.environ.setdefault("SECRET_KEY", "flightpath-bench-only-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault(  # a fixed key for the bench only
    "FLIGHTPATH_SIGNING_KEY", "YmVuY2gtb25seS1ub3QtYS1zZWNyZXQta2V5LTAwMDA="
)

from .production import *  # noqa: E402, F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES["staticfiles"] = {"BACKEND": "cms.static_files.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
FLIGHTPATH_BENCH_VIEWS = True
FLIGHTPATH_DEMO_ACCOUNTS = True
LOGGING = {"version": 1, "disable_existing_loggers": False}

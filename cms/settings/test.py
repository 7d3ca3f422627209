from .base import *  # noqa: F403

SECRET_KEY = "flightpath-tests-only"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
FLIGHTPATH_DEMO_ACCOUNTS = True
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "signup": "1000/m/ip"}  # noqa: F405
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Static files straight from the source folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A file, not memory, so that tests with several threads meet SQLite's real locking (WAL,
# immediate transactions, busy timeout) as the site does.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    (BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}  # noqa: F405
H5P_STORE = BASE_DIR / "var" / "test-h5p"  # noqa: F405

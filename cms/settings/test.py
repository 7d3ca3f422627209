import os

from courses.certificates.signing import development_key as _development_key

from .base import *  # noqa: F403

# pytest-xdist runs the suite in several processes at once (gw0, gw1, ...): each has its own
# folders and its own keys in Redis; pytest-django gives each its own test database.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
worker_suffix = f"-{_worker}" if _worker else ""

SECRET_KEY = "flightpath-tests-only"  # noqa: S105 the test settings only
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
FLIGHTPATH_SIGNING_KEY = _development_key(SECRET_KEY)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run as they are queued, once the transaction that queued them commits.
TASKS = {
    alias: {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    for alias in ("default", "queue")
}
MEDIA_ROOT = BASE_DIR / "var" / f"test-media{worker_suffix}"  # noqa: F405
FLIGHTPATH_DEMO_ACCOUNTS = True
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "signup": "1000/m/ip"}  # noqa: F405
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # A test database is thrown away: its commits need not wait for the disk.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405

# Static files straight from the source folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A file, not memory, so that tests with several threads meet SQLite's real locking (WAL,
# immediate transactions, busy timeout) as the site does.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    (BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}  # noqa: F405
H5P_STORE = BASE_DIR / "var" / f"test-h5p{worker_suffix}"  # noqa: F405
FLIGHTPATH_EXPORT_ROOT = BASE_DIR / "var" / f"test-exports{worker_suffix}"  # noqa: F405

if REDIS_URL:  # noqa: F405
    CACHES["default"]["BACKEND"] = "tests.cache.WorkerRedisCache"  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = ":".join(  # noqa: F405
        filter(None, [CACHES["default"].get("KEY_PREFIX"), f"test{worker_suffix}"])  # noqa: F405
    )

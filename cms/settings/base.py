"""Settings shared by every environment. Values that differ come from environment variables."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from cms.release import release

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "cms"


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms.home",
    "cms.accounts",
    "cms.programs",
    "assessments",
    "courses",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    # Translating pages and quizzes segment by segment, and the locales in the CMS.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_countries",
    "ninja",  # the API docs from its own static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # The content origin first: it answers from its own files, with no session, cache or cookie.
    "assessments.h5p.origin.H5PContentOriginMiddleware",
    # Then the cache generations, read once per request, and the page cache for visitors, which
    # stores a page only once every other middleware has added its cookies and headers.
    "cms.generations.PinGenerationsMiddleware",
    "cms.home.cache.PageCacheMiddleware",
    "cms.security.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cms.accounts.middleware.IdleSessionMiddleware",
    "cms.accounts.middleware.MembershipNoticeMiddleware",
    "cms.accounts.middleware.RequireMFAMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"

# The `i18n` template library is the site's own on purpose (TEMPLATES below); every other label
# two modules share is still reported, by `cms.home.templatetags.remembered_i18n`'s check.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # `{% load i18n %}` as Django's, with the templates' own words translated once.
            "libraries": {"i18n": "cms.home.templatetags.remembered_i18n"},
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# Database: SQLite in WAL mode unless DATABASE_URL names another (PostgreSQL at scale).
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 5,
}
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Cache: local memory by default; REDIS_URL shares it (and allauth's rate limits) across workers.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        # Django's Redis backend, sharing one client per connection pool (cms/cache_backends.py).
        "default": {"BACKEND": "cms.cache_backends.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Internationalisation
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("ru", _("Russian")),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Chart.js from npm (`chart.js` in package.json), served as the site's own file: the
# dashboards draw their charts with it where it is installed, and show their tables either way.
CHARTJS_DIR = Path(os.environ.get("CHARTJS_DIR", BASE_DIR / "node_modules" / "chart.js" / "dist"))
if (CHARTJS_DIR / "chart.umd.min.js").exists():
    STATICFILES_DIRS.append(("vendor/chart.js", CHARTJS_DIR))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "cms.static_files.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"

# Accounts: e-mail is the login; signup requires a verified address.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "courses:my_learning"
ACCOUNT_ADAPTER = "cms.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Failed sign-ins are counted per account (the key) and, more loosely, per client address, so
# that guessing at made-up addresses cannot lock a real account out.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/h/ip,5/h/key",
}
# The client's address as the reverse proxies in front of the site saw it: the number of proxies
# that append to X-Forwarded-For, or the one header a trusted proxy sets (e.g. X-Real-IP).
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER") or None
ACCOUNT_SIGNUP_FORM_CLASS = "cms.accounts.forms.SignupDetailsForm"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Flightpath"
# Every sign-in goes through allauth (rate limits, MFA), the CMS's and private pages' too.
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL  # in the reader's language
# Passwords and e-mail addresses belong to allauth (rate limits, verification of a new address):
# the CMS's own reset, change and e-mail forms would bypass both.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
# A session idle this long (seconds; 0: never) is signed out.
FLIGHTPATH_SESSION_IDLE_SECONDS = int(
    os.environ.get("FLIGHTPATH_SESSION_IDLE_SECONDS", str(8 * 60 * 60))
)
# Production settings turn this on: coordinators and staff must enrol a second factor.
FLIGHTPATH_REQUIRE_MFA_FOR_STAFF = env_bool("FLIGHTPATH_REQUIRE_MFA_FOR_STAFF")

# Background work. Wagtail's own (the reference index, image focal points) runs when it is
# asked, as it always has: who may see a document or an image follows the reference index, which
# must not wait for a worker. E-mail is queued in the database and sent by
# `manage.py db_worker --backend queue` (`make run` starts one; production runs it as a service).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "queue": {"BACKEND": os.environ.get("TASKS_QUEUE_BACKEND", "django_tasks_db.DatabaseBackend")},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Flightpath <noreply@flightpath.local>")

# Invitations expire after this many days.
FLIGHTPATH_INVITATION_DAYS = int(os.environ.get("FLIGHTPATH_INVITATION_DAYS", "14"))
# A coordinator sends at most this many invitations an hour (a CSV file counts its rows).
FLIGHTPATH_INVITATIONS_PER_HOUR = int(os.environ.get("FLIGHTPATH_INVITATIONS_PER_HOUR", "200"))

# Train-the-trainer: a certification lasts this many months, and may be renewed (by completing
# the refresher) from this many days before it ends.
FLIGHTPATH_CERTIFICATION_MONTHS = int(os.environ.get("FLIGHTPATH_CERTIFICATION_MONTHS", "24"))
FLIGHTPATH_RENEWAL_WINDOW_DAYS = int(os.environ.get("FLIGHTPATH_RENEWAL_WINDOW_DAYS", "90"))
# A trainer is certified after completing this track (a TrackPage's slug) and all its courses;
# a certification is renewed by completing the refresher (a course or track slug) in the window.
FLIGHTPATH_TRAINER_TRACK_SLUG = os.environ.get(
    "FLIGHTPATH_TRAINER_TRACK_SLUG", "train-the-trainers"
)
FLIGHTPATH_REFRESHER_SLUG = os.environ.get("FLIGHTPATH_REFRESHER_SLUG", "trainer-refresher")
# Anonymous page responses are cached this long; publishing a page clears the cache.
FLIGHTPATH_PAGE_CACHE_SECONDS = int(os.environ.get("FLIGHTPATH_PAGE_CACHE_SECONDS", "600"))
# Part of every content cache key, so that a deploy starts with a clean cache. Set it to the
# commit being deployed; by default it is a digest of the code, templates and translations.
FLIGHTPATH_RELEASE = release(os.environ)
# Content and memberships cached under a generation are also kept in each worker's memory (this
# many entries; 0 turns it off), so a warm page reads the shared cache once.
FLIGHTPATH_PROCESS_CACHE_ENTRIES = int(os.environ.get("FLIGHTPATH_PROCESS_CACHE_ENTRIES", "500"))

# Wagtail
WAGTAIL_SITE_NAME = "Flightpath"
# Where the site runs, as people reach it: every link in an e-mail starts with it (invitations,
# notifications, Wagtail's moderation e-mails). `make run PORT=8100` sets it; so does a deploy.
FLIGHTPATH_SITE_ORIGIN = (
    os.environ.get("FLIGHTPATH_SITE_ORIGIN")
    or os.environ.get("WAGTAILADMIN_BASE_URL")
    or "http://127.0.0.1:8000"
).rstrip("/")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", FLIGHTPATH_SITE_ORIGIN)
# Stemming in each page's own language on PostgreSQL; Wagtail's database backend otherwise.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.search_backend"}}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# No avatars from Gravatar: it would learn a digest of every CMS user's e-mail address.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Trainers upload office documents and plain text, never a web page, image vector or script
# (a browser would run those); every document is a download (cms/views.py adds the sandbox).
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "rtf", "txt", "csv"]
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Dashboard exports: a table of more rows than this is written in the background (the queue
# worker) rather than streamed, into a private folder outside MEDIA_ROOT; its owner may download
# it for this many hours, after which `expire_dashboard_exports` deletes the file.
FLIGHTPATH_EXPORT_STREAM_LIMIT = int(os.environ.get("FLIGHTPATH_EXPORT_STREAM_LIMIT", "10000"))
FLIGHTPATH_EXPORT_HOURS = int(os.environ.get("FLIGHTPATH_EXPORT_HOURS", "24"))
FLIGHTPATH_EXPORT_ROOT = Path(
    os.environ.get("FLIGHTPATH_EXPORT_ROOT", BASE_DIR / "var" / "dashboard-exports")
)

# H5P packages: a private store outside MEDIA_ROOT, never served by the site's own origin.
H5P_STORE = Path(os.environ.get("H5P_STORE", BASE_DIR / "var" / "h5p"))
H5P_MAX_UPLOAD_BYTES = int(os.environ.get("H5P_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))
H5P_MAX_EXTRACTED_BYTES = int(os.environ.get("H5P_MAX_EXTRACTED_BYTES", 200 * 1024 * 1024))
H5P_MAX_ENTRIES = int(os.environ.get("H5P_MAX_ENTRIES", 3000))
H5P_MAX_RATIO = int(os.environ.get("H5P_MAX_RATIO", 100))
# H5P runs the package's own JavaScript, so player and content come from a separate origin
# that has no cookies and no session (locally: localhost vs 127.0.0.1).
H5P_CONTENT_ORIGIN = os.environ.get("H5P_CONTENT_ORIGIN", "http://localhost:8000").rstrip("/")
H5P_PLAYER_DIR = Path(
    os.environ.get("H5P_PLAYER_DIR", BASE_DIR / "node_modules" / "h5p-standalone" / "dist")
)

# Content-Security-Policy of the site (cms/security.py): its own files only and no inline
# script; frame-src also gets H5P_CONTENT_ORIGIN. Video embeds from another site need their
# player's origin in FLIGHTPATH_CSP_FRAME_SOURCES (e.g. https://www.youtube-nocookie.com).
FLIGHTPATH_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "media-src": ["'self'"],
    "frame-src": ["'self'", *env_list("FLIGHTPATH_CSP_FRAME_SOURCES")],
    "frame-ancestors": ["'self'"],  # the CMS previews pages in a frame
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
# Wagtail's admin writes inline scripts (its date choosers) and style attributes (its editors):
# under /admin/ inline code is allowed, while every source stays the site's own.
FLIGHTPATH_CSP_ADMIN_PREFIX = "/admin/"
FLIGHTPATH_CSP_ADMIN = {
    **FLIGHTPATH_CSP,
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
}
# Certificates: the Ed25519 private key that signs Open Badges credentials and the revocation
# list (PEM, or 32 bytes in base64). Required in production; development and tests derive one
# from SECRET_KEY. The public verification page answers this many look-ups a minute per address.
FLIGHTPATH_SIGNING_KEY = os.environ.get("FLIGHTPATH_SIGNING_KEY", "")
FLIGHTPATH_VERIFY_PER_MINUTE = int(os.environ.get("FLIGHTPATH_VERIFY_PER_MINUTE", "30"))
H5P_DEMO_LIBRARIES = BASE_DIR / "node_modules" / "h5p-standalone-libraries" / "test" / "libraries"

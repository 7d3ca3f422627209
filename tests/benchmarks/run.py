"""`make bench`: Flightpath measured against baselines in the same run.

gunicorn (2 sync workers) serves a fresh demo database; wrk loads each target in turn, in
interleaved rounds so that drift on the machine touches every target alike. Each target is
reported as a ratio to its baseline: B0, a bare view for an anonymous visitor; B1, a bare view
that reads the signed-in user; B2, a bare signed-in POST that inserts one row in a transaction.
Queries and cache round trips per request are counted in-process on the same database and cache.
POST targets rotate through 50 simulated learners (submit: through enough learners that most
submits really grade).

Run without arguments, it measures every configuration in turn, each in a process of its own:
the default one (SQLite, a per-process cache) and the production one (PostgreSQL and Redis,
from BENCH_DATABASE_URL and BENCH_REDIS_URL), the latter only where both answer. It exits
non-zero when any configuration misses a target.

`run.py CONFIGURATION WORD...` measures one configuration and, beside the baselines, only the
targets whose names hold one of the words: `run.py sqlite cascade` measures the cascade alone,
`run.py postgres+redis registry` the programme registry alone (20,000 generated programmes,
registry_bench.py: the overlap check as the create form runs it, and the filtered API list).
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import certificate_pdfs  # tests/benchmarks/, beside this script
import registry_bench

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "var" / "bench"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
LEARNERS = 50
SUBMITTERS = int(os.environ.get("BENCH_SUBMITTERS", "1500"))
HERE = Path(__file__).resolve().parent

CONFIGURATIONS = {
    "sqlite": {"DATABASE_URL": f"sqlite:///{WORK / 'db.sqlite3'}", "REDIS_URL": ""},
    "postgres+redis": {
        "DATABASE_URL": os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/flightpath_bench"
        ),
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
    },
}
ENV = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.bench", "CONN_MAX_AGE": "600"}


@dataclass
class Target:
    name: str
    path: str = ""
    signed_in: bool = False
    requests: str | None = None  # POST: the name of a prepared request file
    baseline: str | None = None
    min_ratio: float | None = None  # throughput at least this share of the baseline's
    max_p95_ratio: float | None = None  # p95 latency at most this multiple of the baseline's
    max_queries: int | None = None
    max_cache_calls: int | None = None  # round trips to Redis, where there is one
    viewer: str | None = None  # signed in as this reader (cascade_bench.viewers) instead


TARGETS = [
    Target("B0 bare view, anonymous", "/_bench/b0/"),
    Target("B1 bare view, signed in", "/_bench/b1/", signed_in=True),
    Target("B2 bare insert, signed in", requests="b2"),
    Target("catalogue, anonymous", "/courses/", baseline="B0"),
    Target(
        "public lesson, anonymous",
        "/courses/recognising-smuggling-by-air/modus-operandi/",
        baseline="B0",
        min_ratio=0.5,
    ),
    Target(
        "officers' lesson, signed in",
        "/courses/document-abuse/passports/",
        signed_in=True,
        baseline="B1",
        min_ratio=0.5,
        max_queries=10,
        max_cache_calls=3,
    ),
    Target("catalogue, signed in", "/courses/", signed_in=True, baseline="B1"),
    Target("quiz autosave (50 learners)", requests="autosave", baseline="B2", min_ratio=0.5),
    Target("quiz submit", requests="submit", baseline="B2", max_p95_ratio=4),
    Target("xAPI statement (50 learners)", requests="xapi", baseline="B2", min_ratio=0.5),
    # 10,000 trainers and 200,000 learners (cascade_bench.py); a page of 100 of them.
    Target(
        "cascade page, staff (10k trainers)",
        "/training/cascade/",
        signed_in=True,
        viewer="staff",
        baseline="B1",
        max_p95_ratio=5,
    ),
    Target(
        "cascade page, coordinator (10k)",
        "/training/cascade/",
        signed_in=True,
        viewer="coordinator",
        baseline="B1",
        max_p95_ratio=5,
    ),
    # 20,000 generated programmes (registry_bench.py). The overlap check runs where a person
    # meets it when recording a programme: the site's create form, posted with matches to show.
    Target(
        "registry overlap check (20k)",
        requests="registry_create",
        baseline="B2",
        max_p95_ratio=3,
    ),
    Target(
        "registry API list, filtered (20k)",
        registry_bench.api_list_path(),
        signed_in=True,
        viewer="registry",
        baseline="B1",
        min_ratio=0.3,
    ),
]
CASCADE_SMALL, CASCADE_LARGE = 1000, 10000
REGISTRY_SMALL, REGISTRY_LARGE = 2000, 20000


def manage(*args):
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=ENV,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def prepare() -> str:
    """A fresh demo database and learners; returns the demo officer's session cookie."""
    WORK.mkdir(parents=True, exist_ok=True)
    (ROOT / "var" / "static").mkdir(exist_ok=True)  # STATIC_ROOT, empty: finders serve static
    for name in ("db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm"):
        (WORK / name).unlink(missing_ok=True)
    if ENV["DATABASE_URL"].startswith("postgres"):
        postgres_database_recreate(ENV["DATABASE_URL"])
    manage("migrate", "--noinput", "-v0")
    manage("load_demo")
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from cms.accounts.models import User

    return session_cookie(User.objects.get(email="officer@example.org"))


def postgres_database_recreate(url: str) -> None:
    """The bench's own database, new each run: migrations then create what Wagtail's data
    migrations put in it (a flushed database would lack its root page)."""
    import psycopg
    from psycopg import sql

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        database = sql.Identifier(name)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(database))


def session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def prepare_requests(folder: Path) -> dict[str, Path]:
    """Request files for the POST targets: 50 learners with open attempts, and submitters."""
    from django.contrib.auth.hashers import make_password
    from django.http import QueryDict
    from django.middleware.csrf import _get_new_csrf_string

    from assessments import posted
    from assessments.h5p.selectors import package_audiences
    from assessments.h5p.services import package_activity
    from assessments.models import H5PPackage, Quiz
    from assessments.services import attempt_autosave, attempt_start
    from cms.accounts.models import Audience, User

    quiz = Quiz.objects.get(slug="the-transit-lounge", locale__language_code="en")
    package = next(  # the simulated learners belong to no organisation: a public activity
        p
        for p in H5PPackage.objects.order_by("pk")
        if Audience.PUBLIC in package_audiences(package=p)
    )
    password = make_password("bench")
    users = User.objects.bulk_create(
        User(email=f"learner{n}@bench.example.org", password=password)
        for n in range(LEARNERS + SUBMITTERS)
    )
    lines = {"b2": [], "autosave": [], "xapi": [], "submit": []}
    form = "application/x-www-form-urlencoded"
    for n, user in enumerate(users):
        cookie, token = session_cookie(user), _get_new_csrf_string()
        attempt = attempt_start(user=user, quiz=quiz)
        answer = first_answer(attempt)
        if n < LEARNERS:
            lines["b2"].append(f"{cookie}|{token}|/_bench/b2/|{form}|x=1")
            lines["autosave"].append(
                f"{cookie}|{token}|/quizzes/attempts/{attempt.pk}/save/|{form}|sequence=SEQ&{answer}"
            )
            statement = json.dumps(
                {
                    "id": "stmt-SEQ",
                    "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
                    "object": {"id": package_activity(package)},
                    "result": {"score": {"min": 0, "raw": 1, "max": 1}},
                }
            )
            lines["xapi"].append(
                f"{cookie}|{token}|/quizzes/h5p/{package.pk}/xapi/|application/json|{statement}"
            )
        else:  # answered and reviewed: the request is the review's confirmation
            attempt_autosave(
                attempt=attempt, sequence=1, answers=posted.answers(attempt, QueryDict(answer))
            )
            lines["submit"].append(
                f"{cookie}|{token}|/quizzes/attempts/{attempt.pk}/submit/|{form}|sequence=1&confirm=1"
            )
    files = {}
    for name, rows in lines.items():
        files[name] = folder / f"{name}.txt"
        files[name].write_text("\n".join(rows) + "\n")
    return files


class CacheCalls:
    """Counts calls to the cache backend while active: each is one round trip to Redis."""

    # Only the backend's own round trips: get_or_set, for one, is a get and then an add.
    METHODS = ("get", "get_many", "set", "set_many", "add", "incr", "delete", "delete_many")

    def __enter__(self):
        from django.core.cache import caches

        self.backend, self.count = caches["default"], 0
        for name in self.METHODS:
            setattr(self.backend, name, self._counted(getattr(self.backend, name)))
        return self

    def _counted(self, method):
        def counted(*args, **kwargs):
            self.count += 1
            return method(*args, **kwargs)

        return counted

    def __exit__(self, *exc):
        for name in self.METHODS:
            delattr(self.backend, name)


def first_answer(attempt) -> str:
    """A form answer to the attempt's first question, as its page would post it: every choice
    is named by a token of this attempt, an ordering question numbers each of its items."""
    from urllib.parse import urlencode

    from assessments.vocabulary import tokens

    question = attempt.quiz_as_started.scoring_question(attempt.drawn[0])
    named = list(tokens(question, attempt_id=attempt.pk).values())
    if question.kind == "ordering":
        return urlencode({f"q-{question.id}-{t}": n for n, t in enumerate(named, start=1)})
    return urlencode({f"q-{question.id}": named[0]})


def count_round_trips(cookies: dict, targets=None) -> dict[str, tuple[int, int]]:
    """(queries, cache calls) of a repeated request to each GET target."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for target in TARGETS if targets is None else targets:
        if target.requests:
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        if target.signed_in:
            key, value = cookies[target.viewer].split("=", 1)
            client.cookies[key] = value
        client.get(target.path)
        with CaptureQueriesContext(connection) as queries, CacheCalls() as cache_calls:
            status = client.get(target.path).status_code
        if status != 200:
            raise SystemExit(f"{target.path} answered {status}, not 200")
        counts[target.name] = (len(queries), cache_calls.count)
    return counts


def serve() -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cms.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        env=ENV,
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/_bench/b0/", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def wrk(target: Target, cookies: dict, files: dict[str, Path]) -> dict:
    command = ["wrk", "-t2", "-c8", f"-d{SECONDS}s", "--timeout", "5s"]
    env = {**os.environ, "BENCH_LUA_DIR": str(HERE)}
    if target.requests:
        command += ["-s", str(HERE / "post.lua"), BASE + "/"]
        env["BENCH_REQUESTS"] = str(files[target.requests])
    else:
        command += ["-s", str(HERE / "latency.lua")]
        if target.signed_in:
            command += ["-H", f"Cookie: {cookies[target.viewer]}"]
        command.append(BASE + target.path)
    output = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    return json.loads(output.stdout.strip().splitlines()[-1])


def reachable(url: str, default_port: int) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port or default_port), timeout=1).close()
    except OSError:
        return False
    return True


def measure_every_configuration() -> int:
    """Each configuration in a process of its own (Django is set up once per process)."""
    failed = []
    for name, values in CONFIGURATIONS.items():
        if values["REDIS_URL"] and not (
            reachable(values["DATABASE_URL"], 5432) and reachable(values["REDIS_URL"], 6379)
        ):
            print(f"\n=== {name}: not measured, PostgreSQL or Redis does not answer")
            continue
        print(f"\n=== {name}", flush=True)
        if subprocess.run([sys.executable, __file__, name], cwd=ROOT).returncode:
            failed.append(name)
    if failed:
        print(f"\nTargets missed on: {', '.join(failed)}")
    return 1 if failed else 0


def main(configuration: str, words: list[str]) -> int:
    from django.middleware.csrf import _get_new_csrf_string

    global TARGETS
    if words:
        TARGETS = TARGETS[:3] + [t for t in TARGETS[3:] if any(w in t.name for w in words)]
    ENV.update(CONFIGURATIONS[configuration])
    cookie = prepare()
    cookies = {None: cookie}
    cascade = [t for t in TARGETS if t.name.startswith("cascade")]
    registry = [t for t in TARGETS if t.name.startswith("registry")]
    lines, missed = [], []
    if cascade:
        cookies.update(cascade_prepare(cascade, lines, missed))
    if registry:
        cookies.update(registry_prepare(registry, lines, missed))
    queries = count_round_trips(cookies)
    queries.update(REGISTRY_COUNTS)
    if cascade:
        cascade_after(queries, lines, missed)
    pdfs = certificate_pdfs.measure()  # before the server starts: the cores are its alone
    # A signed-in browser also holds the CSRF cookie it was given when it signed in.
    browsers = {k: f"{v}; csrftoken={_get_new_csrf_string()}" for k, v in cookies.items()}
    with tempfile.TemporaryDirectory() as folder:
        files = prepare_requests(Path(folder))
        if registry:
            files["registry_create"] = Path(folder) / "registry_create.txt"
            files["registry_create"].write_text("\n".join(REGISTRY_REQUESTS) + "\n")
        server = serve()
        runs = {target.name: [] for target in TARGETS}
        try:
            for _ in range(ROUNDS):
                for target in TARGETS:
                    runs[target.name].append(wrk(target, browsers, files))
        finally:  # requests still in flight when wrk stops may hold a worker for a while
            server.terminate()
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    from assessments.models import Attempt

    graded = Attempt.objects.filter(status="submitted").count()
    return max(report(runs, queries, graded, lines, missed), certificate_pdfs.report(pdfs))


def cascade_prepare(targets, lines, missed) -> dict:
    """The cascade's readers; its queries counted at 1,000 trainers, then grown to 10,000."""
    import cascade_bench

    from cms.accounts.models import User

    viewers = cascade_bench.viewers()
    cookies = {k: session_cookie(User.objects.get(email=v)) for k, v in viewers.items()}
    small = cascade_bench.grow(CASCADE_SMALL)
    at_small = count_round_trips(cookies, targets)
    large = cascade_bench.grow(CASCADE_LARGE)
    at_large = count_round_trips(cookies, targets)
    from courses.models import CohortMember

    lines.append(
        f"cascade: {CASCADE_LARGE:,} trainers, "
        f"{CohortMember.objects.values('user').distinct().count():,} learners; generated in "
        f"{small['generate'] + large['generate']:.1f}s; cascade_rebuild took "
        f"{small['rebuild']:.1f}s at {CASCADE_SMALL:,} trainers, {large['rebuild']:.1f}s at "
        f"{CASCADE_LARGE:,}"
    )
    for target in targets:
        lines.append(
            f"cascade: {target.name}: {at_small[target.name][0]} queries at "
            f"{CASCADE_SMALL:,} trainers, {at_large[target.name][0]} at {CASCADE_LARGE:,}"
        )
        if at_small[target.name][0] != at_large[target.name][0]:
            missed.append(f"{target.name}: the query count grows with the tree")
    return cookies


REGISTRY_COUNTS: dict[str, tuple[int, int]] = {}
REGISTRY_REQUESTS: list[str] = []
REGISTRY_CREATE = "/programmes/new/"


def count_post(cookie: str, path: str, body: str) -> tuple[int, int, str]:
    """(queries, cache calls, page) of a repeated signed-in form POST; it must answer 200."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    key, value = cookie.split("=", 1)
    client.cookies[key] = value
    form = "application/x-www-form-urlencoded"
    client.post(path, body, content_type=form)
    with CaptureQueriesContext(connection) as queries, CacheCalls() as cache_calls:
        response = client.post(path, body, content_type=form)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}, not 200")
    return len(queries), cache_calls.count, response.content.decode()


def registry_prepare(targets, lines, missed) -> dict:
    """The registry's reader and requests; queries counted at 2,000 programmes, then grown to
    20,000 and counted again. Every prepared create form must show matches (and so save
    nothing): the check, not a write, is what is measured."""
    from django.middleware.csrf import _get_new_csrf_string

    from cms.accounts.models import User

    email = registry_bench.viewer()
    cookie = session_cookie(User.objects.get(email=email))
    cookies = {"registry": cookie}
    generated, forms, counts = 0.0, [], {}
    for size in (REGISTRY_SMALL, REGISTRY_LARGE):
        generated += registry_bench.grow(size)
        if not forms:
            made = registry_bench.create_forms(among=REGISTRY_SMALL)
            forms = [f for f in made if registry_bench.matches_found(f, email) > 0]
            forms = [registry_bench.form_body(f) for f in forms]
        create = count_post(cookie, REGISTRY_CREATE, forms[0])[:2]
        listed = count_round_trips(cookies, [t for t in targets if not t.requests])
        counts[size] = {**listed, **{t.name: create for t in targets if t.requests}}
    pages = [count_post(cookie, REGISTRY_CREATE, body)[2] for body in forms]
    # The strongest matches in full, the rest a line each: every one with its decision.
    shown = [
        p.count('class="match match--') + p.count('class="match-line match-line--') for p in pages
    ]
    full = [p.count('class="match match--') for p in pages]
    REGISTRY_COUNTS.update(counts[REGISTRY_LARGE])
    token = _get_new_csrf_string()
    REGISTRY_REQUESTS.extend(
        f"{cookie}|{token}|{REGISTRY_CREATE}|application/x-www-form-urlencoded|{body}"
        for body in forms
    )
    lines.append(
        f"registry: {REGISTRY_LARGE:,} programmes generated in {generated:.1f}s; each of the "
        f"{len(forms)} create forms (of {len(made)}: the rest would find no match and save) "
        f"shows {min(shown)}-{max(shown)} matches (median {statistics.median(shown):g}), "
        f"{max(full)} at most in full"
    )
    if min(shown) == 0:
        missed.append("registry overlap check: a prepared form shows no match (it would save)")
    for target in targets:
        small = counts[REGISTRY_SMALL][target.name][0]
        large = counts[REGISTRY_LARGE][target.name][0]
        lines.append(
            f"registry: {target.name}: {small} queries at {REGISTRY_SMALL:,} programmes, "
            f"{large} at {REGISTRY_LARGE:,}"
        )
        if small != large:
            missed.append(f"{target.name}: the query count grows with the registry")
    return cookies


def cascade_after(queries, lines, missed) -> None:
    import cascade_bench

    report_seconds = cascade_bench.reach_report()
    refresh_seconds = cascade_bench.one_completion_refresh()
    lines.append(
        f"cascade: cascade_reach --format json (every trainer) took {report_seconds:.2f}s; "
        f"one completion deep in the tree refreshed the trainers above in {refresh_seconds:.2f}s"
    )
    CASCADE_TIMES.update(reach=report_seconds, refresh=refresh_seconds)


CASCADE_TIMES: dict[str, float] = {}


def report(runs, queries, graded, lines=(), cascade_missed=()) -> int:
    median = {
        name: {k: statistics.median(r[k] for r in results) for k in ("rps", "p50", "p95")}
        for name, results in runs.items()
    }
    errors = sum(r["errors"] for results in runs.values() for r in results)
    baselines = {t.name.split()[0]: median[t.name] for t in TARGETS[:3]}
    header = (
        f"{'target':34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'cache':>6}"
        f" {'ratio':>10}"
    )
    print("\n" + header)
    missed = []
    for t in TARGETS:
        m = median[t.name]
        base = baselines.get(t.baseline)
        ratio = f"{m['rps'] / base['rps']:.2f}x {t.baseline}" if base else ""
        count, cache_calls = queries.get(t.name, (None, None))
        print(
            f"{t.name:34} {m['rps']:8.0f} {m['p50']:8.2f} {m['p95']:8.2f} "
            f"{'' if count is None else count:>8} {'' if cache_calls is None else cache_calls:>6}"
            f" {ratio:>10}"
        )
        if t.min_ratio and m["rps"] / base["rps"] < t.min_ratio:
            missed.append(
                f"{t.name}: {m['rps'] / base['rps']:.2f}x, below {t.min_ratio}x {t.baseline}"
            )
        if t.max_p95_ratio and m["p95"] > t.max_p95_ratio * base["p95"]:
            missed.append(
                f"{t.name}: p95 {m['p95'] / base['p95']:.1f}x {t.baseline}'s, "
                f"above {t.max_p95_ratio}x"
            )
        if t.max_queries is not None and count is not None and count > t.max_queries:
            missed.append(f"{t.name}: {count} queries, more than {t.max_queries}")
        counted = cache_calls is not None and t.max_cache_calls is not None
        if counted and ENV["REDIS_URL"] and cache_calls > t.max_cache_calls:
            missed.append(f"{t.name}: {cache_calls} cache calls, more than {t.max_cache_calls}")
    print(
        f"\n{ROUNDS} interleaved rounds of {SECONDS}s each, medians; socket/HTTP errors: {errors};"
        f" submits that graded an attempt: {graded} (the rest were idempotent repeats)"
    )
    for line in lines:
        print(line)
    if CASCADE_TIMES and "B1" in baselines:
        b1 = baselines["B1"]["p50"] / 1000
        print(f"cascade: cascade_reach = {CASCADE_TIMES['reach'] / b1:,.0f}x B1's p50")
    missed += list(cascade_missed)
    for line in missed:
        print(f"TARGET MISSED  {line}")
    if not missed:
        print("All targets met.")
    return 1 if missed or errors else 0


if __name__ == "__main__":
    sys.exit(
        main(sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else measure_every_configuration()
    )

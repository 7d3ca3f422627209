"""`make bench`: Flightpath's pages measured against two baselines in the same run.

gunicorn (2 sync workers) serves a fresh demo database; wrk loads each target in turn, in
interleaved rounds so that drift on the machine touches every target alike. Pages are reported
as ratios to their baseline: B0, a bare view for an anonymous visitor, and B1, a bare view that
reads the signed-in user. Queries per request are counted in-process on the same database.
"""

import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "var" / "bench"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
LUA = Path(__file__).with_name("latency.lua")

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "cms.settings.bench",
    "DATABASE_URL": f"sqlite:///{WORK / 'db.sqlite3'}",
    "CONN_MAX_AGE": "600",
}

TARGETS = [
    # name, path, signed in, baseline, minimum ratio, maximum queries
    ("B0 bare view, anonymous", "/_bench/b0/", False, None, None, None),
    ("B1 bare view, signed in", "/_bench/b1/", True, None, None, None),
    ("catalogue, anonymous", "/courses/", False, "B0", None, None),
    (
        "public lesson, anonymous",
        "/courses/recognising-smuggling-by-air/modus-operandi/",
        False,
        "B0",
        0.5,
        None,
    ),
    ("officers' lesson, signed in", "/courses/document-abuse/passports/", True, "B1", 0.5, 10),
    ("catalogue, signed in", "/courses/", True, "B1", None, None),
]


def prepare() -> str:
    """A fresh demo database; returns a session cookie for the demo officer."""
    WORK.mkdir(parents=True, exist_ok=True)
    for name in ("db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm"):
        (WORK / name).unlink(missing_ok=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=ENV, check=True, cwd=ROOT)
    subprocess.run([*manage, "load_demo"], env=ENV, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from cms.accounts.models import User

    user = User.objects.get(email="officer@example.org")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def count_queries(cookie: str) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, path, signed_in, *_ in TARGETS:
        client = Client(HTTP_HOST="127.0.0.1")
        if signed_in:
            key, value = cookie.split("=", 1)
            client.cookies[key] = value
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        if status != 200:
            raise SystemExit(f"{path} answered {status}, not 200")
        counts[name] = len(queries)
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


def wrk(path: str, cookie: str | None) -> dict:
    command = ["wrk", "-t2", "-c8", f"-d{SECONDS}s", "--timeout", "5s", "-s", str(LUA)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, BASE + path], capture_output=True, text=True, check=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> int:
    cookie = prepare()
    queries = count_queries(cookie)
    server = serve()
    runs = {name: [] for name, *_ in TARGETS}
    try:
        for _ in range(ROUNDS):
            for name, path, signed_in, *_ in TARGETS:
                runs[name].append(wrk(path, cookie if signed_in else None))
    finally:
        server.terminate()
        server.wait(timeout=10)
    return report(runs, queries)


def report(runs, queries) -> int:
    median = {
        name: {k: statistics.median(r[k] for r in results) for k in ("rps", "p50", "p95")}
        for name, results in runs.items()
    }
    errors = sum(r["errors"] for results in runs.values() for r in results)
    baselines = {"B0": median[TARGETS[0][0]], "B1": median[TARGETS[1][0]]}
    print(f"\n{'target':32} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'ratio':>12}")
    missed = []
    for name, _path, _signed, baseline, minimum, max_queries in TARGETS:
        m = median[name]
        ratio = f"{m['rps'] / baselines[baseline]['rps']:.2f}x {baseline}" if baseline else ""
        print(
            f"{name:32} {m['rps']:9.0f} {m['p50']:8.2f} {m['p95']:8.2f} {queries[name]:8d} "
            f"{ratio:>12}"
        )
        if minimum and m["rps"] / baselines[baseline]["rps"] < minimum:
            missed.append(f"{name}: below {minimum}x {baseline}")
        if max_queries is not None and queries[name] > max_queries:
            missed.append(f"{name}: {queries[name]} queries, more than {max_queries}")
    print(
        f"\n{ROUNDS} interleaved rounds of {SECONDS}s each, medians; socket/HTTP errors: {errors}"
    )
    for line in missed:
        print(f"TARGET MISSED  {line}")
    if not missed:
        print("All targets met.")
    return 1 if missed or errors else 0


if __name__ == "__main__":
    sys.exit(main())

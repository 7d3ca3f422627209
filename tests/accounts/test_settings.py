"""Production settings refuse to start half-configured and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIGNING_KEY = "dGVzdHMtb25seS1zaWduaW5nLWtleS0wMTIzNDU2Nzg="  # 32 bytes, for these checks only


def manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "FLIGHTPATH_SIGNING_KEY"}
        and not k.startswith("DJANGO_")
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "FLIGHTPATH_SIGNING_KEY": SIGNING_KEY,  # certificates: tested on its own below
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = manage("check", ALLOWED_HOSTS="flightpath.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_refuses_to_start_without_a_signing_key():
    result = manage(
        "check", SECRET_KEY="x" * 60, ALLOWED_HOSTS="example.org", FLIGHTPATH_SIGNING_KEY=""
    )
    assert result.returncode != 0
    assert "FLIGHTPATH_SIGNING_KEY" in result.stderr


def test_deploy_check_reports_nothing():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-very-long-random-secret-key-for-the-deploy-check-0123456789-abcdef",
        ALLOWED_HOSTS="flightpath.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def production_setting(name, **env):
    result = manage(
        "shell",
        "-c",
        f"from django.conf import settings; print(settings.{name})",
        SECRET_KEY="a-very-long-random-secret-key-for-the-deploy-check-0123456789-abcdef",
        ALLOWED_HOSTS="flightpath.example.org",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_trusts_the_number_of_proxies_it_is_given():
    assert production_setting("ALLAUTH_TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT="2") == "2"

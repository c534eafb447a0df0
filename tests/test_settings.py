"""Settings come from the environment; production values pass check --deploy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-9f8e7d6c5b4a3210zyxw",
    "ALLOWED_HOSTS": "reports.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://reports.example.gov.cn",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k != "DATABASE_URL"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_configuration(tmp_path):
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_secret_key_refuses_to_start(tmp_path):
    env = {
        "DEBUG": "0",
        "ALLOWED_HOSTS": "x.example",
        "DATABASE_URL": f"sqlite:///{tmp_path}/d",
    }
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_defaults_are_chinese_and_shanghai_time():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.IMPORT_MAX_BYTES == 20 * 1024 * 1024 or os.environ.get(
        "IMPORT_MAX_BYTES"
    )


def test_database_url_selects_the_engine():
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        assert engine == "django.db.backends.postgresql"
    else:
        assert engine == "django.db.backends.sqlite3"


CACHE_STORAGE = "import_export.tmp_storages.CacheStorage"
SHOW_DATABASE_SETTINGS = """
import json
from django.conf import settings
default = settings.DATABASES["default"]
replica = settings.DATABASES.get("replica", {})
print(json.dumps({
    "aliases": sorted(settings.DATABASES),
    "conn_max_age": default["CONN_MAX_AGE"],
    "no_server_side_cursors": default["DISABLE_SERVER_SIDE_CURSORS"],
    "replica_host": replica.get("HOST"),
    "replica_mirror": replica.get("TEST", {}).get("MIRROR"),
    "replica_no_server_side_cursors": replica.get("DISABLE_SERVER_SIDE_CURSORS"),
    "routers": settings.DATABASE_ROUTERS,
    "replica_middleware": "config.routers.ReplicaReadsMiddleware" in settings.MIDDLEWARE,
    "axes_last": settings.MIDDLEWARE[-1],
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_table": settings.CACHES["default"].get("LOCATION"),
    "import_export_tmp": settings.IMPORT_EXPORT_TMP_STORAGE_CLASS,
}))
"""


def _database_settings(env: dict[str, str]) -> dict:
    scrubbed = {
        "DATABASE_REPLICA_URL": "",
        "DB_DISABLE_SERVER_SIDE_CURSORS": "",
        "DB_CONN_MAX_AGE": "",
        "DB_CACHE_TABLE": "",
        "IMPORT_EXPORT_TMP_STORAGE_CLASS": "",
    }
    result = _manage("shell", "-c", SHOW_DATABASE_SETTINGS, env={**scrubbed, **env})
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_pooling_replica_and_shared_cache_settings_come_from_the_environment(
    tmp_path,
):
    shown = _database_settings(
        {
            "DATABASE_URL": "postgres://reports:pw@pgbouncer.internal:6432/reports",
            "DATABASE_REPLICA_URL": "postgres://reports:pw@replica.internal:6432/reports",
            "DB_DISABLE_SERVER_SIDE_CURSORS": "1",
            "DB_CONN_MAX_AGE": "0",
            "DB_CACHE_TABLE": "reports_cache",
            "IMPORT_EXPORT_TMP_STORAGE_CLASS": CACHE_STORAGE,
        }
    )
    assert shown["aliases"] == ["default", "replica"]
    assert shown["conn_max_age"] == 0
    assert shown["no_server_side_cursors"] is True
    assert shown["replica_host"] == "replica.internal"
    assert shown["replica_mirror"] == "default"  # tests never need a second database
    assert shown["replica_no_server_side_cursors"] is True
    assert shown["routers"] == ["config.routers.ReplicaRouter"]
    assert shown["replica_middleware"] is True
    assert shown["axes_last"] == "axes.middleware.AxesMiddleware"
    assert shown["cache"] == "django.core.cache.backends.db.DatabaseCache"
    assert shown["cache_table"] == "reports_cache"
    assert shown["import_export_tmp"] == CACHE_STORAGE


def test_one_database_and_a_local_cache_by_default(tmp_path):
    shown = _database_settings(
        {"DATABASE_URL": "postgres://reports:pw@127.0.0.1:5432/reports"}
    )
    assert shown["aliases"] == ["default"]
    assert shown["conn_max_age"] == 60
    assert shown["no_server_side_cursors"] is False
    assert shown["routers"] == []
    assert shown["replica_middleware"] is False
    assert shown["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert shown["import_export_tmp"].endswith(".TempFolderStorage")


REPLICA_ROUND_TRIP = """
from django.contrib.auth import get_user_model
from django.db import connections
from config.routers import replica_reads
from reports.models import AnnualReport
sent = {"default": 0, "replica": 0}
def counter(alias):
    def wrapper(execute, sql, params, many, context):
        sent[alias] += 1
        return execute(sql, params, many, context)
    return wrapper
with connections["default"].execute_wrapper(counter("default")), \\
        connections["replica"].execute_wrapper(counter("replica")):
    with replica_reads():
        AnnualReport.objects.count()
        get_user_model().objects.count()
    AnnualReport.objects.count()
print(sent["default"], sent["replica"])
"""


def test_reads_inside_replica_reads_reach_the_replica_connection(tmp_path):
    # The "replica" is the same SQLite file here: what is checked is where queries go.
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = {"DATABASE_URL": url, "DATABASE_REPLICA_URL": url}
    migrated = _manage("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    result = _manage("shell", "-c", REPLICA_ROUND_TRIP, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    default, replica = map(int, result.stdout.strip().splitlines()[-1].split())
    assert (default, replica) == (2, 1)

#!/usr/bin/env python3
"""Says, before the tests run, whether the PostgreSQL store tests will run or be skipped.

The tests themselves skip (with a SKIPPED line) when the server is unreachable,
except under CI=true or GONGHUI_REQUIRE_PG=1, where they fail instead.
"""
import os, socket, sys
from urllib.parse import urlparse

url = os.environ.get("GONGHUI_TEST_PG", "postgres://postgres@127.0.0.1:5432/postgres")
parsed = urlparse(url)
host, port = parsed.hostname or "127.0.0.1", parsed.port or 5432
try:
    socket.create_connection((host, port), timeout=2).close()
    print(f"PostgreSQL tests: on, against {host}:{port} (a fresh database per test)")
except OSError as error:
    required = os.environ.get("CI") == "true" or os.environ.get("GONGHUI_REQUIRE_PG") == "1"
    banner = "=" * 72
    print(f"{banner}\nPostgreSQL at {host}:{port} is unreachable ({error}).", file=sys.stderr)
    if required:
        print("CI=true / GONGHUI_REQUIRE_PG=1: the PostgreSQL tests are required and will FAIL.", file=sys.stderr)
    else:
        print("The PostgreSQL store tests will be SKIPPED; set GONGHUI_TEST_PG to run them.", file=sys.stderr)
    print(banner, file=sys.stderr)

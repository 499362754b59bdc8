"""Exit 0 when the test PostgreSQL answers, 1 when it does not (used by scripts/test)."""

import os
import sys

import psycopg
from sqlalchemy import make_url

url = make_url(
    os.environ.get("FEEDBACKBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
)
try:
    psycopg.connect(
        host=url.host,
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        dbname=url.database,
        connect_timeout=3,
    ).close()
except psycopg.Error:
    sys.exit(1)

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_home_page_says_what_the_app_does(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Amazon" in body
    assert "htmx-2.0.11.min.js" in body
    assert "https://" not in body.split("<body")[0], "no CDN links: the app must work offline"


@pytest.mark.django_db
def test_healthz_reports_database_and_redis_up(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert checks["database"] == {"ok": True, "detail": "postgresql"}
    assert checks["redis"]["ok"] is True


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_down(client: Client, settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_healthz_is_503_when_the_database_is_unreachable(client: Client) -> None:
    # Without the django_db mark pytest-django refuses every connection, as a dead server would.
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False

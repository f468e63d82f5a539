"""The dashboard is for staff only; everyone else is sent to the admin's sign-in."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = [
    "/staff/",
    "/staff/?minutes=1440",
    "/staff/panels/jobs/",
    "/staff/panels/throughput/",
    "/staff/panels/failures/",
    "/staff/panels/api/",
    "/staff/panels/workers/",
]


@pytest.mark.parametrize("path", PAGES)
def test_strangers_are_sent_to_the_admin_sign_in(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("path", PAGES)
def test_signed_in_people_who_are_not_staff_are_sent_away_too(client: Client, path: str) -> None:
    client.force_login(User.objects.create_user("alice"))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert b"Jobs by state" not in response.content


@pytest.mark.parametrize("path", PAGES)
def test_staff_see_it(staff: Client, path: str) -> None:
    assert staff.get(path).status_code == 200


def test_an_unknown_panel_is_not_found(staff: Client) -> None:
    assert staff.get("/staff/panels/secrets/").status_code == 404


def test_the_dashboard_changes_nothing_on_a_post(staff: Client) -> None:
    assert staff.post("/staff/").status_code == 405


def test_the_nav_links_the_dashboard_for_staff_only(staff: Client, client: Client) -> None:
    assert 'href="/staff/"' in staff.get("/syncs/").content.decode()
    client.force_login(User.objects.create_user("alice"))
    assert 'href="/staff/"' not in client.get("/syncs/").content.decode()

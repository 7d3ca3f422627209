"""Long dashboard tables written in the background: queued past a size, for their owner only,
for a while, with the owner's scope checked again when written, and never twice at once."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cms.accounts.models import Membership
from courses.dashboards import exports
from courses.models import DashboardExport

from ...factories import make_course
from .test_views import export_url, learn

LIST = reverse("courses:dashboard_exports")


def download_url(export):
    return reverse("courses:dashboard_export_download", args=[export.pk])


@pytest.fixture(autouse=True)
def small_limit(settings, tmp_path):
    """Tables of more than three rows are written in the background, into a private folder."""
    settings.FLIGHTPATH_EXPORT_STREAM_LIMIT = 3
    settings.FLIGHTPATH_EXPORT_ROOT = tmp_path / "exports"


@pytest.fixture
def course(db):
    return make_course(title="Document abuse", lessons=2)


@pytest.fixture
def four(organisation, course):
    """Four enrolments in the coordinator's organisation: one more than streams."""
    return learn(organisation, course, enrolled=4, completed=1)


def ask(client, url, params=None, *, capture):
    with capture(execute=True):
        return client.get(url, params or {})


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_a_short_table_streams_as_before(client, organisation, course, coordinator):
    learn(organisation, course, enrolled=3, completed=0)
    client.force_login(coordinator)
    response = client.get(export_url("learners", "csv"))
    assert response.streaming
    assert len(csv_rows(b"".join(response.streaming_content))) == 4
    assert not DashboardExport.objects.exists()


def test_a_long_table_is_written_in_the_background_for_its_owner(
    client, four, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    response = ask(
        client, export_url("learners", "csv"), capture=django_capture_on_commit_callbacks
    )
    export = DashboardExport.objects.get()
    assert response.status_code == 302
    assert response.url == f"{LIST}#export-{export.pk}"
    assert (export.owner, export.table, export.format) == (coordinator, "learners", "csv")
    assert (export.status, export.rows) == ("ready", 4)
    listed = client.get(LIST)
    assert download_url(export) in listed.content.decode()
    download = client.get(download_url(export))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    rows = csv_rows(b"".join(download.streaming_content))
    assert len(rows) == 5
    assert sorted(row[1] for row in rows[1:]) == sorted(p.email for p in four)


def test_the_file_is_kept_outside_the_public_media_folder(
    client, four, coordinator, settings, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    ask(client, export_url("learners", "xlsx"), capture=django_capture_on_commit_callbacks)
    path = Path(DashboardExport.objects.get().file.path)
    assert path.is_relative_to(settings.FLIGHTPATH_EXPORT_ROOT)
    assert not path.is_relative_to(settings.MEDIA_ROOT)
    assert not list((Path(settings.FLIGHTPATH_EXPORT_ROOT) / "partial").iterdir())


def test_a_background_export_applies_the_filters_and_escapes_formulas(
    client, organisation, other_organisation, course, django_capture_on_commit_callbacks
):
    from ...factories import UserFactory

    learn(organisation, course, enrolled=4, completed=0, first_name='=HYPERLINK("x")')
    learn(other_organisation, course, enrolled=4, completed=0, first_name="@SUM(A1)")
    client.force_login(UserFactory(is_staff=True))
    ask(
        client,
        export_url("learners", "xlsx"),
        {"country": "KE"},
        capture=django_capture_on_commit_callbacks,
    )
    export = DashboardExport.objects.get()
    assert export.filters == "by=organisation&country=KE"
    sheet = load_workbook(io.BytesIO(b"".join(client.get(download_url(export))))).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(names) == 4
    assert all(name.startswith("'=HYPERLINK") for name in names)


def test_someone_elses_export_is_not_found(
    client, four, coordinator, organisation, django_capture_on_commit_callbacks
):
    from ...conftest import _member

    client.force_login(coordinator)
    ask(client, export_url("learners", "csv"), capture=django_capture_on_commit_callbacks)
    export = DashboardExport.objects.get()
    colleague = _member(organisation, role=Membership.Role.COORDINATOR)
    client.force_login(colleague)
    assert client.get(download_url(export)).status_code == 404
    assert download_url(export) not in client.get(LIST).content.decode()


def test_people_who_are_not_coordinators_cannot_list_or_download(client, officer, coordinator):
    export = DashboardExport.objects.create(
        owner=officer, table="learners", format="csv", expires_at=timezone.now()
    )
    client.force_login(officer)
    assert client.get(LIST).status_code == 403
    assert client.get(download_url(export)).status_code == 403


def test_an_expired_export_says_so_and_its_file_is_deleted(
    client, four, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    ask(client, export_url("learners", "csv"), capture=django_capture_on_commit_callbacks)
    export = DashboardExport.objects.get()
    path = Path(export.file.path)
    later = export.expires_at + datetime.timedelta(seconds=1)
    DashboardExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())
    response = client.get(download_url(export))
    assert response.status_code == 410
    assert "This export has expired" in response.content.decode()
    assert path.exists()
    assert exports.export_expire(now=later) == 1
    assert not path.exists()
    export.refresh_from_db()
    assert (export.status, export.file.name) == ("expired", "")
    assert client.get(download_url(export)).status_code == 410
    assert "Expired" in client.get(LIST).content.decode()


def test_the_expiry_command_deletes_only_expired_files(
    client, four, coordinator, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    client.force_login(coordinator)
    ask(client, export_url("learners", "csv"), capture=django_capture_on_commit_callbacks)
    export = DashboardExport.objects.get()
    call_command("expire_dashboard_exports", stdout=io.StringIO())
    assert Path(export.file.path).exists()
    assert client.get(download_url(export)).status_code == 200


def test_a_coordinator_who_lost_the_role_before_it_ran_gets_nothing(
    client, four, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.get(export_url("learners", "csv"))
    membership = Membership.objects.get(user=coordinator)
    membership.role = Membership.Role.LEARNER
    membership.save()
    for callback in queued:
        callback()
    export = DashboardExport.objects.get()
    assert (export.status, export.file.name, export.rows) == ("failed", "", None)
    assert export.error == exports.NO_ACCESS


def test_a_filter_outside_the_owners_scope_when_it_runs_writes_nothing(
    client, four, staff_user, other_organisation, django_capture_on_commit_callbacks
):
    """Staff who asked for an organisation's learners and are staff no longer, but coordinate
    another organisation, get no file of the first."""
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.get(export_url("learners", "csv"), {"country": "KE"})
    staff_user.is_staff = False
    staff_user.save()
    Membership.objects.create(
        user=staff_user,
        organisation=other_organisation,
        role=Membership.Role.COORDINATOR,
        status=Membership.Status.VERIFIED,
    )
    for callback in queued:
        callback()
    export = DashboardExport.objects.get()
    assert (export.status, export.error, export.file.name) == ("failed", "out_of_scope", "")
    client.force_login(staff_user)
    page = client.get(LIST).content.decode()
    assert "no longer yours to use" in page


@pytest.fixture
def staff_user(db):
    from ...factories import UserFactory

    return UserFactory(is_staff=True)


def test_a_double_click_queues_one_export(
    client, four, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = client.get(export_url("learners", "csv"))
        second = client.get(export_url("learners", "csv"))
    assert first.url == second.url
    assert DashboardExport.objects.count() == 1
    assert len(queued) == 1
    for callback in queued:
        callback()
    # Once written, asking again writes a new file (the learners may have moved on).
    ask(client, export_url("learners", "csv"), capture=django_capture_on_commit_callbacks)
    assert DashboardExport.objects.count() == 2
    # Another format or other filters are another export.
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.get(export_url("learners", "xlsx"))
        client.get(export_url("learners", "csv"), {"country": "KE", "by": "organisation"})
        client.get(export_url("learners", "csv"), {"by": "organisation", "country": "ke"})
    assert DashboardExport.objects.count() == 4
    assert len(queued) == 2


def test_a_failure_leaves_a_message_and_no_file(
    client, four, coordinator, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from cms import spreadsheets

    def broken(rows, *, output, **kwargs):
        for n, row in enumerate(rows):
            output.write(repr(row).encode())
            if n == 2:
                raise OSError("disk full")

    monkeypatch.setattr(spreadsheets, "csv_write", broken)
    client.force_login(coordinator)
    ask(client, export_url("learners", "csv"), capture=django_capture_on_commit_callbacks)
    export = DashboardExport.objects.get()
    assert (export.status, export.error, export.file.name) == ("failed", "write_failed", "")
    assert not [p for p in Path(settings.FLIGHTPATH_EXPORT_ROOT).rglob("*") if p.is_file()]
    assert "could not be written" in client.get(LIST).content.decode()
    assert client.get(download_url(export)).status_code == 302


def test_the_list_costs_the_same_queries_with_more_exports(
    client, coordinator, django_assert_num_queries
):
    client.force_login(coordinator)
    client.get(LIST)
    sizes = []
    for count in (1, 10):
        DashboardExport.objects.bulk_create(
            DashboardExport(
                owner=coordinator,
                table="learners",
                format="csv",
                filters=f"page={n}-{count}",
                status="ready",
                expires_at=timezone.now() + datetime.timedelta(hours=1),
            )
            for n in range(count)
        )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        sizes.append(len(captured))
    assert sizes[0] == sizes[1]
    with django_assert_num_queries(sizes[1]):
        client.get(LIST)


def test_a_long_stalled_list_is_written_in_the_background_with_its_own_days(
    client, organisation, course, coordinator, django_capture_on_commit_callbacks
):
    from courses.models import LearnerProgress

    learn(organisation, course, enrolled=5, completed=1)
    LearnerProgress.objects.update(last_activity_at=timezone.now() - datetime.timedelta(days=40))
    client.force_login(coordinator)
    capture = django_capture_on_commit_callbacks
    response = ask(client, export_url("stalled", "csv"), {"days": "30"}, capture=capture)
    export = DashboardExport.objects.get()
    assert response.status_code == 302
    assert (export.table, export.status, export.rows) == ("stalled", "ready", 4)
    assert "days=30" in export.filters
    listed = client.get(LIST).content.decode()
    assert "Stalled learners (CSV)" in listed
    assert (
        f"{reverse('courses:dashboard_stalled')}?{export.filters}".replace("&", "&amp;") in listed
    )
    rows = csv_rows(b"".join(client.get(download_url(export)).streaming_content))
    assert len(rows) == 1 + 4
    # Quiet for sixty days: nobody, so the (empty) list streams.
    quiet = ask(client, export_url("stalled", "csv"), {"days": "60"}, capture=capture)
    assert quiet.streaming and len(csv_rows(b"".join(quiet.streaming_content))) == 1
    assert client.get(export_url("stalled", "csv"), {"days": "0"}).status_code == 404

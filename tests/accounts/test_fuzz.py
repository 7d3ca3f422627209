"""Whatever is posted to the organisation forms, the answer is never a server error."""

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from ..fuzzing import FUZZ, field, form, long_text, row_id, slug

pytestmark = pytest.mark.django_db

csv_text = st.lists(st.lists(field, max_size=4).map(",".join), max_size=5).map("\r\n".join)
csv_file = st.one_of(
    st.binary(max_size=2_000),
    csv_text.map(lambda text: text.encode("utf-8", "surrogatepass")),
    long_text().map(lambda text: f"{text}@example.org,learner".encode("utf-8", "surrogatepass")),
)


@FUZZ
@given(data=form("organisation"))
def test_any_request_to_join_gets_no_server_error(client, stranger, organisation, data):
    client.force_login(stranger)
    assert client.post("/organisations/", data).status_code < 500


@FUZZ
@given(data=form())
def test_any_request_to_leave_gets_no_server_error(client, officer, data):
    client.force_login(officer)
    assert client.post("/organisations/leave/", data).status_code < 500


@FUZZ
@given(data=form("email", "role"), where=st.none() | slug)
def test_any_invitation_gets_no_server_error(client, coordinator, organisation, data, where):
    client.force_login(coordinator)
    url = f"/organisations/{where or organisation.slug}/invite/"
    assert client.post(url, data).status_code < 500


@FUZZ
@given(content=csv_file, name=st.sampled_from(["people.csv", "x", "../../etc/passwd"]))
def test_any_invitation_file_gets_no_server_error(client, coordinator, organisation, content, name):
    client.force_login(coordinator)
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    url = f"/organisations/{organisation.slug}/invite/csv/"
    assert client.post(url, {"file": upload}).status_code < 500


@FUZZ
@given(data=form("file"))
def test_an_invitation_form_without_a_file_gets_no_server_error(
    client, coordinator, organisation, data
):
    client.force_login(coordinator)
    url = f"/organisations/{organisation.slug}/invite/csv/"
    assert client.post(url, data).status_code < 500


@FUZZ
@given(data=form("decision"), member=st.none() | row_id)
def test_any_decision_gets_no_server_error(
    client, coordinator, newcomer, organisation, data, member
):
    client.force_login(coordinator)
    member = member if member is not None else newcomer.memberships.get().pk
    url = f"/organisations/{organisation.slug}/members/{member}/decide/"
    assert client.post(url, data).status_code < 500


@FUZZ
@given(data=form("role"), member=st.none() | row_id)
def test_any_role_change_gets_no_server_error(
    client, coordinator, officer, organisation, data, member
):
    client.force_login(coordinator)
    member = member if member is not None else officer.memberships.get().pk
    url = f"/organisations/{organisation.slug}/members/{member}/role/"
    assert client.post(url, data).status_code < 500


@FUZZ
@given(token=st.text(min_size=1, max_size=200) | long_text(), post=st.booleans())
def test_any_invitation_link_gets_no_server_error(client, stranger, token, post):
    client.force_login(stranger)
    url = f"/organisations/invitations/{quote(token, safe='')}/"
    response = client.post(url) if post else client.get(url)
    assert response.status_code < 500

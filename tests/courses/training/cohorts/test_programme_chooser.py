"""The cohort form's programme chooser: the programme is typed (its IATI identifier) or chosen
from up to twenty suggestions served as JSON, never offered as a select of the whole registry.

The rule, for the suggestions and the form alike: a cohort may be delivered under a published
programme its manager can see in the registry (public ones; partners-only ones for verified
members of member organisations). Drafts and submitted records are never offered, not even
their own organisation's; the programme a cohort is already under stays a choice."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.programs import services as registry
from cms.programs.models import Programme
from cms.programs.records import Text
from courses.models import Cohort

from ....programs.helpers import make_programme

pytestmark = pytest.mark.django_db

NEW = reverse("courses:cohort_new_programmes")


def _for(cohort):
    return reverse("courses:cohort_programmes", kwargs={"cohort_id": cohort.pk})


def _edit(cohort):
    return reverse("courses:cohort_edit", kwargs={"cohort_id": cohort.pk})


def _found(client, url, q):
    response = client.get(url, {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return [row["identifier"] for row in response.json()["results"]]


def _registry(organisation, size):
    """`size` published public programmes of `organisation`, in three languages."""
    titles = [
        ("en", "Document fraud at Nairobi airport"),
        ("fr", "Fraude documentaire à l’aéroport de Dakar"),
        ("ar", "تدريب على كشف التزوير في مطار عمّان"),
    ]
    return [
        make_programme(
            organisation,
            own_id=f"REG-{size}-{n}",
            texts=[Text(*titles[n % 3], "Training.")],
        )
        for n in range(size)
    ]


@pytest.fixture
def french(other_organisation):
    registry.alias_add(organisation=other_organisation, name="ONUDC", language="fr")
    return make_programme(
        other_organisation,
        own_id="DAKAR-2024",
        texts=[
            Text("fr", "Formation à la détection de la fraude documentaire", "Formation."),
            Text("en", "Document fraud detection training", "Training."),
        ],
    )


# What is suggested


def test_suggestions_match_an_identifier_a_title_in_any_language_or_an_alias(
    client, coordinator, french
):
    client.force_login(coordinator)
    for query in ("dakar-20", "fp-", "détection de la", "fraud detection", "onudc"):
        assert _found(client, NEW, query) == [french.identifier], query
    row = client.get(NEW, {"q": "dakar"}).json()["results"][0]
    assert row == {
        "identifier": french.identifier,
        "title": "Document fraud detection training",  # the reader's language first
        "language": "en",
        "organisation": french.reporting_org.name,
    }
    assert _found(client, NEW, "nothing like it") == []


def test_an_exact_identifier_comes_first(client, coordinator, organisation):
    longer = make_programme(organisation, own_id="AB-1-LONGER")
    exact = make_programme(organisation, own_id="AB-1")
    client.force_login(coordinator)
    assert _found(client, NEW, exact.identifier.lower()) == [exact.identifier, longer.identifier]


def test_at_most_twenty_and_nothing_under_two_characters(client, coordinator, organisation):
    _registry(organisation, 22)
    client.force_login(coordinator)
    assert len(_found(client, NEW, "REG-22")) == 20
    assert _found(client, NEW, "R") == []
    assert _found(client, NEW, "") == []
    assert _found(client, NEW, "\x00R") == []  # PostgreSQL refuses a NUL: never a 500


def test_drafts_and_hidden_records_are_never_suggested(
    client, coordinator, organisation, other_organisation
):
    make_programme(organisation, own_id="RULE-OWN-DRAFT", published=False)
    make_programme(other_organisation, own_id="RULE-OTHER-DRAFT", published=False)
    submitted = make_programme(other_organisation, own_id="RULE-SUBMITTED", published=False)
    Programme.objects.filter(pk=submitted.pk).update(workflow_status="submitted")
    partners = make_programme(other_organisation, own_id="RULE-PARTNERS", visibility="partners")
    public = make_programme(other_organisation, own_id="RULE-PUBLIC")
    client.force_login(coordinator)
    assert _found(client, NEW, "RULE-") == sorted([partners.identifier, public.identifier])


def test_the_programme_a_cohort_is_under_stays_a_suggestion_for_it(
    client, cohort, coordinator, other_organisation
):
    withdrawn = make_programme(other_organisation, own_id="WITHDRAWN")
    Cohort.objects.filter(pk=cohort.pk).update(programme=withdrawn)
    Programme.objects.filter(pk=withdrawn.pk).update(workflow_status="draft")
    client.force_login(coordinator)
    assert _found(client, _for(cohort), "withdrawn") == [withdrawn.identifier]
    assert _found(client, NEW, "withdrawn") == []


# Who may ask


def test_visitors_are_sent_to_sign_in(client, cohort, french):
    for url in (NEW, _for(cohort)):
        response = client.get(url, {"q": "dakar"})
        assert response.status_code == 302
        assert french.identifier not in response.text


@pytest.mark.parametrize("who", ["stranger", "officer", "newcomer"])
def test_people_who_cannot_open_a_cohort_get_403(client, request, who, french):
    client.force_login(request.getfixturevalue(who))
    response = client.get(NEW, {"q": "dakar"})
    assert response.status_code == 403
    assert french.identifier not in response.text


@pytest.mark.parametrize("who", ["other_coordinator", "stranger", "officer"])
def test_people_outside_the_cohort_get_404(client, cohort, request, who, french):
    client.force_login(request.getfixturevalue(who))
    response = client.get(_for(cohort), {"q": "dakar"})
    assert response.status_code == 404
    assert french.identifier not in response.text


def test_only_get(client, coordinator):
    client.force_login(coordinator)
    assert client.post(NEW, {"q": "dakar"}).status_code == 405


# What it costs


@pytest.mark.parametrize("size", [3, 30])
def test_the_suggestions_cost_the_same_for_3_and_30_programmes(
    client, coordinator, cohort, organisation, django_assert_num_queries, size
):
    _registry(organisation, size)
    client.force_login(coordinator)
    client.get(_for(cohort), {"q": "reg-"})
    # Session, user, cohort, co-trainers, the programmes with their reporting organisations,
    # their texts (whether the reader moderates the registry is kept under the accounts
    # generation).
    with django_assert_num_queries(6):
        response = client.get(_for(cohort), {"q": "reg-"})
    assert len(response.json()["results"]) == min(size, 20)


@pytest.mark.parametrize("size", [3, 30])
def test_the_form_costs_the_same_for_3_and_30_programmes(
    client, certified_trainer, organisation, django_assert_num_queries, size
):
    _registry(organisation, size)
    client.force_login(certified_trainer)
    url = reverse("courses:cohort_create")
    client.get(url)
    # Whatever the registry's size: none of its programmes is read to show the form.
    with django_assert_num_queries(9):
        response = client.get(url)
    assert "REG-" not in response.text  # no programme is listed in the page
    assert 'name="programme"' in response.text and '<select name="programme"' not in response.text


# The form


def _opening(course, trainer, **changes):
    values = {
        "course": course.pk,
        "name": "Under a programme",
        "language": "en",
        "starts_on": timezone.localdate().isoformat(),
        "ends_on": timezone.localdate().isoformat(),
        "trainer": trainer.pk,
    }
    return {**values, **changes}


def test_the_field_is_a_chooser_with_its_endpoint_and_script(client, certified_trainer):
    client.force_login(certified_trainer)
    page = client.get(reverse("courses:cohort_create")).text
    assert f'data-programme-chooser="{NEW}"' in page
    assert '<label for="id_programme">' in page
    # The input is described by its help, which says how to type or choose a programme.
    assert 'aria-describedby="id_programme_helptext"' in page
    assert '<p class="help" id="id_programme_helptext">' in page
    assert "js/programme-chooser.js" in page


def test_a_typed_identifier_opens_the_cohort_under_its_programme(
    client, certified_trainer, course, french
):
    client.force_login(certified_trainer)
    typed = f"  {french.identifier.lower()} "  # any case, spaces around
    response = client.post(
        reverse("courses:cohort_create"), _opening(course, certified_trainer, programme=typed)
    )
    assert response.status_code == 302
    assert Cohort.objects.get(name="Under a programme").programme == french


@pytest.mark.parametrize("typed", ["FP-NOWHERE-1", "OTHER-DRAFT", "PK"])
def test_an_unknown_or_forged_identifier_names_the_field_and_saves_nothing(
    client, certified_trainer, course, other_organisation, typed
):
    draft = make_programme(other_organisation, own_id="OTHER-DRAFT", published=False)
    typed = {"OTHER-DRAFT": draft.identifier, "PK": str(draft.pk)}.get(typed, typed)
    client.force_login(certified_trainer)
    response = client.post(
        reverse("courses:cohort_create"), _opening(course, certified_trainer, programme=typed)
    )
    assert response.status_code == 200
    assert (
        f"Delivered under a programme: no published programme of the registry that you can see "
        f"has the identifier “{typed}”." in response.text
    )
    assert not Cohort.objects.filter(name="Under a programme").exists()


def test_editing_shows_the_current_identifier_and_an_empty_field_removes_it(
    client, cohort, coordinator, french
):
    Cohort.objects.filter(pk=cohort.pk).update(programme=french)
    client.force_login(coordinator)
    assert f'value="{french.identifier}"' in client.get(_edit(cohort)).text
    values = {
        "name": cohort.name,
        "language": cohort.language,
        "starts_on": cohort.starts_on.isoformat(),
        "ends_on": cohort.ends_on.isoformat(),
        "trainer": cohort.trainer_id,
        "programme": "",
    }
    assert client.post(_edit(cohort), values).status_code == 302
    cohort.refresh_from_db()
    assert cohort.programme is None

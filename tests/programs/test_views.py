import datetime
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cms.accounts.models import Organisation
from cms.programs import services
from cms.programs.models import OverlapDecision, Programme, ProgrammeRelation
from cms.programs.records import CountryShare, Participation, Text

from ..factories import MembershipFactory, UserFactory
from .helpers import draft, international, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_record(organisation):
    return make_programme(organisation, visibility="public", own_id="PUB")


@pytest.fixture
def partners_record(organisation):
    return make_programme(organisation, visibility="partners", own_id="PART")


@pytest.fixture
def draft_record(organisation):
    return make_programme(organisation, published=False, own_id="DRAFT")


@pytest.fixture
def moderator(db):
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name="Registry moderators")[0])
    return user


def _detail(programme):
    return reverse("programs:detail", args=[programme.identifier])


def test_visitors_see_only_public_published_records(
    client, public_record, partners_record, draft_record
):
    response = client.get(reverse("programs:list"))
    assert list(response.context["page"]) == [public_record]
    assert client.get(_detail(public_record)).status_code == 200
    assert client.get(_detail(partners_record)).status_code == 404
    assert client.get(_detail(draft_record)).status_code == 404


def test_verified_members_of_any_organisation_see_partners_records(
    client, partners_record, other_coordinator
):
    client.force_login(other_coordinator)
    assert client.get(_detail(partners_record)).status_code == 200


def test_an_unverified_member_does_not_see_partners_records(client, partners_record, db):
    from cms.accounts.models import Membership

    newcomer = MembershipFactory(status=Membership.Status.REQUESTED).user
    client.force_login(newcomer)
    assert client.get(_detail(partners_record)).status_code == 404


def test_another_organisations_draft_stays_hidden(client, draft_record, other_coordinator):
    client.force_login(other_coordinator)
    assert client.get(_detail(draft_record)).status_code == 404
    assert draft_record not in client.get(reverse("programs:list")).context["page"]


def test_members_see_their_own_organisations_drafts(client, draft_record, officer):
    client.force_login(officer)
    assert client.get(_detail(draft_record)).status_code == 200


def test_members_of_another_organisation_cannot_edit(client, public_record, other_coordinator):
    client.force_login(other_coordinator)
    edit = reverse("programs:edit", args=[public_record.identifier])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {}).status_code == 403


def test_members_cannot_publish(client, draft_record, coordinator):
    client.force_login(coordinator)
    url = reverse("programs:publish", args=[draft_record.identifier])
    assert client.post(url).status_code == 403
    draft_record.refresh_from_db()
    assert draft_record.workflow_status == "draft"


def test_members_submit_and_moderators_publish(client, draft_record, coordinator, moderator):
    client.force_login(coordinator)
    client.post(reverse("programs:submit", args=[draft_record.identifier]))
    client.force_login(moderator)
    client.post(reverse("programs:publish", args=[draft_record.identifier]))
    draft_record.refresh_from_db()
    assert draft_record.workflow_status == "published"
    assert [r.note for r in draft_record.revisions.all()] == ["published", "submitted", "created"]


def test_someone_without_an_organisation_cannot_create(client, stranger):
    client.force_login(stranger)
    assert client.get(reverse("programs:create")).status_code == 403


def test_the_menu_links_to_the_programmes(client, officer):
    client.force_login(officer)
    assert reverse("programs:list") in client.get(reverse("programs:list")).content.decode()


def _form(organisation, **overrides):
    data = {
        "own_id": "NBO-2011",
        "language": "en",
        "title": "SLTD training at Nairobi airport",
        "description": "Training.",
        "activity_status": "4",
        "planned_start": "2011-07-11",
        "planned_end": "2011-07-15",
        "countries": "KE",
        "airports": "NBO",
        "sectors": "15190",
        "themes": ["documents"],
        "agencies": ["police"],
        "modality": "classroom",
        "participants_planned": "40",
        "participating_orgs": f"{organisation.name}, implementing",
        "visibility": "public",
        "token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_a_record_without_matches_is_saved_at_once(client, coordinator, organisation):
    client.force_login(coordinator)
    response = client.post(reverse("programs:create"), _form(organisation))
    programme = Programme.objects.get()
    assert response.status_code == 302
    assert programme.identifier == f"FP-{organisation.slug.upper()}-NBO-2011"
    assert programme.created_by == coordinator
    assert programme.revisions.count() == 1


def test_bad_input_names_the_field_and_writes_nothing(client, coordinator, organisation):
    client.force_login(coordinator)
    response = client.post(
        reverse("programs:create"),
        _form(organisation, countries="KE 60, UG 30", planned_end="2011-07-01"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["countries"] == ["Recipient countries: the percentages add up to 90, not 100."]
    assert errors["planned_end"] == ["Planned end: the end date comes before the start date."]
    assert not Programme.objects.exists()


@pytest.fixture
def french_record(db):
    """The same Nairobi training, reported in French by a funder."""
    funder = international("Bailleur de démonstration")
    return make_programme(
        funder,
        texts=[Text("fr", "Formation SLTD à l'aéroport de Nairobi", "Formation.")],
        default_language="fr",
    )


def test_matches_are_shown_with_their_reasons_before_anything_is_saved(
    client, coordinator, organisation, french_record
):
    client.force_login(coordinator)
    response = client.post(reverse("programs:create"), _form(organisation))
    assert response.status_code == 200
    (match,) = response.context["matches"]
    assert match.programme == french_record and match.kind == "same"
    page = response.content.decode()
    assert "same airport NBO" in page and "dates overlap 5 of 5 days" in page
    assert Programme.objects.count() == 1


def test_the_decisions_are_saved_with_the_record_and_a_double_submit_writes_once(
    client, coordinator, organisation, french_record
):
    client.force_login(coordinator)
    data = _form(organisation)
    data |= {"shown": [str(french_record.pk)], f"decision-{french_record.pk}": "same"}
    first = client.post(reverse("programs:create"), data)
    second = client.post(reverse("programs:create"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Programme.objects.count() == 2
    decision = OverlapDecision.objects.get()
    assert (decision.decision, decision.decided_by) == ("same", coordinator)
    created = Programme.objects.exclude(pk=french_record.pk).get()
    assert ProgrammeRelation.objects.filter(programme=created, related=french_record).exists()
    assert "dates overlap 5 of 5 days" in decision.reasons


def test_a_missing_decision_saves_nothing(client, coordinator, organisation, french_record):
    client.force_login(coordinator)
    data = _form(organisation) | {"shown": [str(french_record.pk)]}
    response = client.post(reverse("programs:create"), data)
    assert response.status_code == 200
    assert Programme.objects.count() == 1


def test_the_record_page_shows_the_same_activity_link(
    client, coordinator, organisation, french_record
):
    own = services.programme_create(draft=draft(organisation), user=coordinator)
    services.decision_record(
        programme=own, decision=services.Decision(other=french_record, decision="same"), user=None
    )
    client.force_login(coordinator)
    page = client.get(_detail(own)).content.decode()
    assert french_record.identifier in page


def _records(organisation, n):
    for i in range(n):
        make_programme(
            organisation,
            own_id=f"Q{n}-{i}",
            planned_start=datetime.date(2011, 1, 1) + datetime.timedelta(days=30 * i),
            planned_end=None,
        )


@pytest.mark.parametrize("size", [1, 6])
def test_the_list_costs_the_same_queries_at_any_size(
    client, officer, organisation, django_assert_num_queries, size
):
    _records(organisation, size)
    client.force_login(officer)
    client.get(reverse("programs:list"))
    # The session and user, membership, count, page, texts, countries and seven facet counts.
    with django_assert_num_queries(13):
        response = client.get(reverse("programs:list"))
    assert len(response.context["rows"]) == size


@pytest.mark.parametrize("size", [1, 6])
def test_the_record_page_costs_the_same_queries_at_any_size(
    client, officer, organisation, django_assert_num_queries, size
):
    _records(organisation, size)
    programme = Programme.objects.first()
    for other in Programme.objects.exclude(pk=programme.pk):
        services.decision_record(
            programme=programme,
            decision=services.Decision(other=other, decision="related", relation="sibling"),
            user=None,
        )
    client.force_login(officer)
    client.get(_detail(programme))
    # With one for the results (no cohort under it) and one for its coordinators, shown to
    # the members of its organisations.
    with django_assert_num_queries(14):
        response = client.get(_detail(programme))
    assert len(response.context["relations"]) == size - 1


def test_members_edit_their_own_records_and_keep_other_languages(client, coordinator, organisation):
    programme = make_programme(
        organisation,
        published=False,
        texts=[Text("en", "SLTD training", "Training."), Text("fr", "Formation SLTD", "Form.")],
    )
    client.force_login(coordinator)
    edit = reverse("programs:edit", args=[programme.identifier])
    form = client.get(edit).context["form"]
    data = {
        name: value for name, value in form.initial.items() if value is not None and name != "token"
    }
    data |= {"title": "SLTD training, Nairobi", "token": str(uuid.uuid4())}
    data["planned_start"], data["planned_end"] = "2011-07-11", "2011-07-15"
    response = client.post(edit, data)
    assert response.status_code == 302
    titles = dict(programme.texts.values_list("language", "title"))
    assert titles == {"en": "SLTD training, Nairobi", "fr": "Formation SLTD"}
    assert programme.revisions.count() == 2


def test_members_of_another_organisation_cannot_submit(client, public_record, other_coordinator):
    client.force_login(other_coordinator)
    url = reverse("programs:submit", args=[public_record.identifier])
    assert client.post(url).status_code == 403


@pytest.mark.parametrize("path", ["aliases", "merges", "decisions", "revisions"])
def test_the_registry_records_open_in_the_cms_for_administrators(client, path, db):
    from cms.accounts.models import User

    admin = User.objects.create_superuser("root@example.org", "x")
    client.force_login(admin)
    assert client.get(f"/admin/registry/{path}/").status_code == 200


def test_an_organisation_named_for_the_first_time_is_checked_and_then_created(
    client, coordinator, organisation, french_record
):
    client.force_login(coordinator)
    orgs = "Bailleur de démonstration, funding\nA brand new fund, funding"
    data = _form(organisation, participating_orgs=orgs)
    response = client.post(reverse("programs:create"), data)
    (match,) = response.context["matches"]
    assert "same organisation Bailleur de démonstration" in match.reasons
    data |= {"shown": [str(french_record.pk)], f"decision-{french_record.pk}": "different"}
    assert client.post(reverse("programs:create"), data).status_code == 302
    assert Organisation.objects.filter(name="A brand new fund").exists()


def test_moderators_decide_on_the_pairs_the_registry_raises(
    client, moderator, organisation, french_record
):
    own = make_programme(organisation)
    client.force_login(moderator)
    (pair,) = client.get(reverse("programs:duplicates")).context["pairs"]
    assert {pair["a"], pair["b"]} == {own.identifier, french_record.identifier}
    response = client.post(
        reverse("programs:duplicate_decide"),
        {"a": pair["a"], "b": pair["b"], "decision": "related", "relation": "sibling"},
    )
    assert response.status_code == 302
    decision = OverlapDecision.objects.get()
    assert (decision.decision, decision.relation, decision.decided_by) == (
        "related",
        "sibling",
        moderator,
    )
    assert "same airport NBO" in decision.reasons
    assert client.get(reverse("programs:duplicates")).context["pairs"] == []


def test_a_related_decision_without_its_relation_is_refused(
    client, moderator, organisation, french_record
):
    own = make_programme(organisation)
    client.force_login(moderator)
    data = {"a": french_record.identifier, "b": own.identifier, "decision": "related"}
    client.post(reverse("programs:duplicate_decide"), data)
    assert not OverlapDecision.objects.exists()


def test_joining_or_leaving_the_moderators_counts_from_the_next_request(client, coordinator):
    """Being a moderator is kept between requests (the registry asks on every page), and
    every change of groups leaves the kept answer behind: added, renamed, removed, deleted."""
    client.force_login(coordinator)
    page = reverse("programs:duplicates")
    assert client.get(page).status_code == 403
    group = Group.objects.get_or_create(name="Registry moderators")[0]
    coordinator.groups.add(group)
    assert client.get(page).status_code == 200
    group.name = "Former moderators"
    group.save()
    assert client.get(page).status_code == 403
    group.name = "Registry moderators"
    group.save()
    assert client.get(page).status_code == 200
    coordinator.groups.remove(group)
    assert client.get(page).status_code == 403
    group.user_set.add(coordinator)  # from the group's side
    assert client.get(page).status_code == 200
    group.delete()
    assert client.get(page).status_code == 403


def test_members_do_not_review_duplicates(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("programs:duplicates")).status_code == 403
    data = {"a": "X", "b": "Y", "decision": "different"}
    assert client.post(reverse("programs:duplicate_decide"), data).status_code == 403


def test_a_related_decision_without_its_relation_is_asked_again_keeping_the_choice(
    client, coordinator, organisation, french_record
):
    client.force_login(coordinator)
    data = _form(organisation) | {
        "shown": [str(french_record.pk)],
        f"decision-{french_record.pk}": "related",
    }
    response = client.post(reverse("programs:create"), data)
    assert response.status_code == 200
    assert "Relation: say how the programmes are related." in response.content.decode()
    assert 'value="related" checked' in response.content.decode()
    assert Programme.objects.count() == 1


@pytest.mark.parametrize("signed_in", [False, True])
def test_visitors_and_members_find_the_programmes_in_the_main_menu(client, officer, signed_in):
    if signed_in:
        client.force_login(officer)
    page = client.get(reverse("courses:search")).content.decode()
    menu = page[page.index('<nav class="site-nav"') : page.index("</nav>")]
    assert f'href="{reverse("programs:list")}"' in menu
    assert (f'href="{reverse("courses:training")}"' in menu) is False  # not a trainer


# The overlap check on an edit -----------------------------------------------------------------


@pytest.fixture
def dakar_record(organisation):
    """The organisation's own draft of a course at Dakar: nothing in the registry matches it."""
    return make_programme(
        organisation,
        published=False,
        own_id="DSS-2011",
        texts=[Text("en", "Document fraud course at Dakar airport", "Course.")],
        airports=["DSS"],
        countries=[CountryShare("SN")],
    )


def _edit_data(client, programme, **changes):
    """What the edit form posts: the record as the form shows it, with `changes`."""
    edit = reverse("programs:edit", args=[programme.identifier])
    form = client.get(edit).context["form"]
    data = {
        name: value for name, value in form.initial.items() if value is not None and name != "token"
    }
    data["token"] = str(uuid.uuid4())
    for name in ("planned_start", "planned_end", "actual_start", "actual_end"):
        if data.get(name):
            data[name] = data[name].isoformat()
        else:
            data.pop(name, None)
    data.update(changes)
    return edit, data


def test_an_edit_that_moves_a_record_onto_another_is_checked_before_it_is_saved(
    client, coordinator, dakar_record, french_record
):
    client.force_login(coordinator)
    edit, data = _edit_data(client, dakar_record, airports="NBO", countries="KE")
    response = client.post(edit, data)
    assert response.status_code == 200
    (match,) = response.context["matches"]
    assert match.programme == french_record and match.kind == "same"
    assert "same airport NBO" in response.content.decode()
    dakar_record.refresh_from_db()
    assert list(dakar_record.airports.values_list("iata", flat=True)) == ["DSS"]
    assert dakar_record.revisions.count() == 1

    data |= {"shown": [str(french_record.pk)], f"decision-{french_record.pk}": "same"}
    assert client.post(edit, data).status_code == 302
    assert list(dakar_record.airports.values_list("iata", flat=True)) == ["NBO"]
    decision = OverlapDecision.objects.get()
    assert (decision.decision, decision.decided_by) == ("same", coordinator)
    assert ProgrammeRelation.objects.filter(
        programme=dakar_record, related=french_record, kind="same"
    ).exists()


def test_an_edit_without_a_decision_on_every_match_saves_nothing(
    client, coordinator, dakar_record, french_record
):
    client.force_login(coordinator)
    edit, data = _edit_data(client, dakar_record, airports="NBO", countries="KE")
    data["shown"] = [str(french_record.pk)]
    response = client.post(edit, data)
    assert response.status_code == 200
    assert "Decide on every match before saving." in response.content.decode()
    assert list(dakar_record.airports.values_list("iata", flat=True)) == ["DSS"]
    assert not OverlapDecision.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"airports": "NBO", "countries": "KE"},
        {"title": "SLTD training at Nairobi airport", "airports": "NBO", "countries": "KE"},
        {"airports": "NBO", "countries": "KE", "planned_start": "2011-07-12"},
    ],
)
def test_a_dismissed_pair_is_not_raised_again_when_the_record_is_edited(
    client, coordinator, dakar_record, french_record, changes
):
    client.force_login(coordinator)
    edit, data = _edit_data(client, dakar_record, airports="NBO", countries="KE")
    data |= {"shown": [str(french_record.pk)], f"decision-{french_record.pk}": "different"}
    assert client.post(edit, data).status_code == 302
    edit, data = _edit_data(client, dakar_record, **changes)
    assert client.post(edit, data).status_code == 302
    assert OverlapDecision.objects.count() == 1
    assert dakar_record.revisions.count() == 3


def test_an_edit_of_what_the_check_does_not_read_is_saved_at_once(
    client, coordinator, organisation, french_record
):
    """A record created beside an undecided match (an import, say) is not held up by it when
    only its contact changes; dates, places, themes, agencies, titles, participants or
    organisations would raise it."""
    own = make_programme(organisation, published=False, own_id="NBO-OWN")
    client.force_login(coordinator)
    edit, data = _edit_data(client, own, contact_name="Desk officer")
    assert client.post(edit, data).status_code == 302
    edit, data = _edit_data(client, own, planned_end="2011-07-16")
    response = client.post(edit, data)
    assert response.status_code == 200
    assert [m.programme for m in response.context["matches"]] == [french_record]


def test_submitting_a_record_with_an_undecided_match_asks_for_the_decision_first(
    client, coordinator, organisation, french_record
):
    own = make_programme(organisation, published=False, own_id="NBO-SUBMIT")
    client.force_login(coordinator)
    url = reverse("programs:submit", args=[own.identifier])
    response = client.post(url)
    assert response.status_code == 200
    assert [m.programme for m in response.context["matches"]] == [french_record]
    own.refresh_from_db()
    assert own.workflow_status == "draft"
    data = {"shown": [str(french_record.pk)], f"decision-{french_record.pk}": "related"}
    data[f"relation-{french_record.pk}"] = "sibling"
    assert client.post(url, data).status_code == 302
    own.refresh_from_db()
    assert own.workflow_status == "submitted"
    assert OverlapDecision.objects.get().decision == "related"
    assert client.post(url).status_code == 302  # decided: never asked again


# Budget lines and document links on the form --------------------------------------------------


def _lines(budgets=(), documents=(), initial=0):
    """The form's budget and document lines, as its formsets post them."""
    data = {
        "budget-TOTAL_FORMS": str(len(budgets)),
        "budget-INITIAL_FORMS": str(initial),
        "document-TOTAL_FORMS": str(len(documents)),
        "document-INITIAL_FORMS": "0",
    }
    for prefix, lines in (("budget", budgets), ("document", documents)):
        for n, line in enumerate(lines):
            data |= {f"{prefix}-{n}-{name}": value for name, value in line.items()}
    return data


def test_budget_lines_and_documents_are_saved_with_the_record(client, coordinator, organisation):
    international("ONUDC de démonstration")
    client.force_login(coordinator)
    data = _form(organisation) | _lines(
        budgets=[
            {"funder": "ONUDC de démonstration", "amount": "25000", "currency": "eur"},
            {"funder": "A fund named for the first time", "amount": "1200.50", "currency": "KES"},
            {"funder": "", "amount": "", "currency": ""},  # the blank line the form offers
        ],
        documents=[
            {
                "title": "Evaluation report",
                "url": "https://example.org/evaluation.pdf",
                "category": "A07",
            }
        ],
    )
    response = client.post(reverse("programs:create"), data)
    assert response.status_code == 302
    programme = Programme.objects.get()
    budgets = sorted((b.funder.name, str(b.amount), b.currency) for b in programme.budgets.all())
    assert budgets == [
        ("A fund named for the first time", "1200.50", "KES"),
        ("ONUDC de démonstration", "25000.00", "EUR"),
    ]
    (document,) = programme.documents.all()
    assert (document.title, document.url, document.category) == (
        "Evaluation report",
        "https://example.org/evaluation.pdf",
        "A07",
    )


@pytest.mark.parametrize(
    "lines, field, message",
    [
        (
            {"budgets": [{"funder": "EU", "amount": "-5", "currency": "EUR"}]},
            "amount",
            "Budget amount: more than zero.",
        ),
        (
            {"budgets": [{"funder": "EU", "amount": "many", "currency": "EUR"}]},
            "amount",
            "Budget amount: a number, e.g. 25000 or 1200.50.",
        ),
        (
            {"budgets": [{"funder": "EU", "amount": "100", "currency": "EUROS"}]},
            "currency",
            "Budget currency: “EUROS” is not an ISO 4217 code such as EUR, USD or KES.",
        ),
        (
            {"budgets": [{"funder": "", "amount": "100", "currency": "EUR"}]},
            "funder",
            "Funder: name the organisation that funds this line.",
        ),
        (
            {"documents": [{"title": "Report", "url": "not a link", "category": "A07"}]},
            "url",
            "Document address: a full web address, starting with https://.",
        ),
        (
            {"documents": [{"title": "", "url": "https://example.org/r.pdf", "category": "A07"}]},
            "title",
            "Document title: give the document a title.",
        ),
        (
            {"documents": [{"title": "R", "url": "https://example.org/r.pdf", "category": "Z9"}]},
            "category",
            "Document category: choose one of the categories.",
        ),
    ],
)
def test_a_bad_line_names_its_field_and_nothing_is_written(
    client, coordinator, organisation, lines, field, message
):
    client.force_login(coordinator)
    organisations = Organisation.objects.count()
    data = _form(organisation) | _lines(**lines)
    response = client.post(reverse("programs:create"), data)
    assert response.status_code == 200
    formset = response.context["budgets" if "budgets" in lines else "documents"]
    assert formset.forms[0].errors[field] == [message]
    assert message in response.content.decode()
    assert not Programme.objects.exists()
    assert Organisation.objects.count() == organisations


def test_the_edit_form_shows_the_lines_and_replaces_or_removes_them(
    client, coordinator, organisation
):
    from cms.programs.records import Budget, Document

    funder = international("EU de démonstration")
    programme = make_programme(
        organisation,
        published=False,
        budgets=[Budget(funder, Decimal("5000"), "EUR"), Budget(funder, Decimal("10"), "USD")],
        documents=[Document("https://example.org/a", "Agenda", category="A02")],
    )
    client.force_login(coordinator)
    edit, data = _edit_data(client, programme)
    page = client.get(edit)
    budgets = page.context["budgets"]
    assert [f.initial["currency"] for f in budgets.initial_forms] == ["EUR", "USD"]
    assert 'value="Agenda"' in page.content.decode()
    data |= _lines(
        budgets=[
            {"funder": "EU de démonstration", "amount": "7500", "currency": "EUR"},
            {"funder": "EU de démonstration", "amount": "10", "currency": "USD", "DELETE": "on"},
        ],
        documents=[{"title": "Agenda", "url": "https://example.org/a", "category": "A02"}],
        initial=2,
    )
    data["document-INITIAL_FORMS"] = "1"
    assert client.post(edit, data).status_code == 302
    assert [(str(b.amount), b.currency) for b in programme.budgets.all()] == [("7500.00", "EUR")]
    assert programme.documents.get().category == "A02"


def test_a_form_posted_without_lines_keeps_the_records_lines(client, coordinator, organisation):
    """Lines the form did not send (an older page, a script) are left as they are."""
    from cms.programs.records import Budget

    funder = international("EU de démonstration")
    programme = make_programme(
        organisation, published=False, budgets=[Budget(funder, Decimal("5000"), "EUR")]
    )
    client.force_login(coordinator)
    edit, data = _edit_data(client, programme, contact_name="Desk")
    assert client.post(edit, data).status_code == 302
    assert programme.budgets.count() == 1


def test_the_form_marks_the_themes_a_record_holds(client, coordinator, dakar_record):
    client.force_login(coordinator)
    page = client.get(reverse("programs:edit", args=[dakar_record.identifier]))
    assert 'value="documents" id="id_themes_1" checked' in page.content.decode()


@pytest.mark.parametrize("size", [1, 6])
def test_the_check_on_creation_costs_the_same_queries_at_any_size(
    client, coordinator, organisation, django_assert_num_queries, size
):
    """Every record matches: the candidates, their scoring and the page showing them are read
    in a fixed number of queries, however many there are."""
    funder = international("Bailleur de démonstration")
    for i in range(size):
        make_programme(
            funder,
            own_id=f"C{size}-{i}",
            texts=[Text("fr", f"Formation SLTD {i} à Nairobi", "Formation.")],
            default_language="fr",
            participations=[Participation(funder, 1)],
        )
    client.force_login(coordinator)
    data = _form(organisation, participating_orgs="Bailleur de démonstration, funding")
    client.post(reverse("programs:create"), data)
    # Session and user, the membership, the form's one-time token, and the candidates with
    # their summaries (which hold the titles the page shows). Whether the person moderates is
    # kept under the accounts generation; the funder's name and the identifier's prefix (for
    # the form and for its validation) were looked up by the first post and kept under the
    # registry generation.
    with django_assert_num_queries(4):
        response = client.post(reverse("programs:create"), data)
    assert len(response.context["matches"]) == size
    assert not Programme.objects.filter(reporting_org=organisation).exists()


def _many_matches(count):
    funder = international("Bailleur de démonstration")
    return [
        make_programme(
            funder,
            own_id=f"MANY-{i}",
            texts=[Text("fr", f"Formation SLTD {i} à Nairobi", "Formation.")],
            default_language="fr",
            participants_planned=40 + i,  # scores fall as the count drifts from 40
        )
        for i in range(count)
    ]


def test_the_strongest_matches_are_shown_in_full_and_the_rest_a_line_each(
    client, coordinator, organisation
):
    _many_matches(13)
    client.force_login(coordinator)
    response = client.post(reverse("programs:create"), _form(organisation))
    page = response.content.decode()
    matches = response.context["matches"]
    assert len(matches) == 13
    assert page.count('class="match match--') == 10
    assert page.count('class="match-line match-line--') == 3
    assert "3 more matches, with lower scores" in page
    assert page.count('name="shown"') == 13
    weakest = matches[-1].programme
    assert f'<select id="decision-{weakest.pk}" name="decision-{weakest.pk}">' in page
    assert '<details class="matches__more">' in page  # closed until the person tries to save


def test_the_box_decides_different_only_for_the_lines_left_open(client, coordinator, organisation):
    _many_matches(13)
    client.force_login(coordinator)
    matches = client.post(reverse("programs:create"), _form(organisation)).context["matches"]
    shown = [str(m.programme.pk) for m in matches]
    full = {f"decision-{m.programme.pk}": "different" for m in matches[:10]}
    line = matches[10].programme
    data = _form(organisation) | {"shown": shown, "rest-different": "1"}
    # Without a decision on every match shown in full, nothing is saved.
    response = client.post(reverse("programs:create"), data | dict(list(full.items())[:9]))
    assert response.status_code == 200
    assert '<details class="matches__more" open>' in response.content.decode()
    assert not Programme.objects.filter(reporting_org=organisation).exists()
    data |= full | {f"decision-{line.pk}": "related", f"relation-{line.pk}": "sibling"}
    assert client.post(reverse("programs:create"), data).status_code == 302
    created = Programme.objects.get(reporting_org=organisation)
    decided = dict(
        OverlapDecision.objects.filter(high=created).values_list("low", "decision")
    ) | dict(OverlapDecision.objects.filter(low=created).values_list("high", "decision"))
    assert decided[line.pk] == "related"
    assert sorted(decided.values()) == ["different"] * 12 + ["related"]


def test_the_form_widgets_are_written_as_django_writes_them(organisation):
    """The registry's widget renderer is a faster copy of Django's templates: the same bytes."""
    from django.forms.renderers import DjangoTemplates

    from cms.programs.forms import ProgrammeForm, ProgrammeLines

    data = _form(organisation, title='Dakar <b>“quoted”</b> & "plain"', countries="KE 60, UG")
    data |= {"budget-TOTAL_FORMS": "1", "budget-INITIAL_FORMS": "0", "budget-0-funder": "A&B"}
    data |= {"document-TOTAL_FORMS": "1", "document-INITIAL_FORMS": "0"}
    django_renderer = DjangoTemplates()
    for bound in (None, data):
        form = ProgrammeForm(bound, organisation=None)
        lines = ProgrammeLines(bound)
        if bound:
            form.is_valid() and lines.is_valid()
        forms = [form, lines.budgets.management_form, lines.budgets.empty_form]
        forms += list(lines.budgets) + list(lines.documents) + [lines.documents.empty_form]
        for each in forms:
            for field in each:
                ours = field.as_widget()
                field.form.renderer = django_renderer
                assert ours == field.as_widget(), field.name
                field.form.renderer = each.default_renderer


def test_a_name_kept_by_the_form_follows_a_new_alias_and_a_merge(client, coordinator, organisation):
    """The form keeps the organisations its names stand for under the registry generation: an
    alias added, or an organisation merged away, is seen by the next form at once."""
    from cms.programs import cache

    funder = international("Bailleur de démonstration")
    assert cache.organisation_resolve(name="BdD") is None
    services.alias_add(organisation=funder, name="BdD", language="fr")
    assert cache.organisation_resolve(name="bdd") == funder
    other = international("Autre bailleur")
    assert cache.organisation_resolve(name="Autre bailleur") == other
    services.organisation_merge(keep=funder, merge=other, user=None)
    assert cache.organisation_resolve(name="Autre bailleur") == funder
    prefix = cache.identifier_prefix(funder)
    from cms.programs.models import OrganisationReference

    OrganisationReference.objects.create(organisation=funder, ref="XM-DAC-41119")
    funder.refresh_from_db()
    assert (prefix, cache.identifier_prefix(funder)) == (
        f"FP-{funder.slug.upper()}",
        "XM-DAC-41119",
    )


def test_blank_lines_kept_by_the_form_are_written_once_per_language(client, coordinator):
    client.force_login(coordinator)
    first = client.get(reverse("programs:create")).content.decode()
    second = client.get(reverse("programs:create")).content.decode()
    french = client.get("/fr" + reverse("programs:create")).content.decode()
    start, end = '<fieldset class="lines" data-lines="budget">', 'class="button button--secondary'

    def lines(page):
        return page[page.index(start) : page.index(end, page.index(start))]

    assert lines(first) == lines(second)
    assert 'name="budget-TOTAL_FORMS" value="1"' in lines(first)
    assert 'id="id_budget-0-funder"' in lines(first) and "lines__empty" in lines(first)
    assert "Budget line" in lines(first) and "Budget line" not in lines(french)


def _hidden_fields(page: str) -> list[tuple[str, str]]:
    """The hidden inputs a page carries of the record (not the CSRF token or the matches)."""
    from html import unescape
    from re import findall

    form = page.split('<form method="post" novalidate>', 1)[1].split("</form>", 1)[0]
    found = findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', form)
    skipped = {"shown", "csrfmiddlewaretoken"}
    return [(unescape(name), unescape(value)) for name, value in found if name not in skipped]


def test_the_matches_step_carries_what_was_typed_and_saves_it_with_the_decisions(
    client, coordinator, organisation, french_record
):
    client.force_login(coordinator)
    typed = _form(
        organisation,
        title="SLTD training at “Nairobi” & Jomo Kenyatta airport",
        themes=["documents", "indicators"],
        **{"budget-0-funder": "", "budget-0-amount": ""},
    )
    response = client.post(reverse("programs:create"), typed)
    page = response.content.decode()
    assert response.templates[0].name == "programs/programme_matches.html"
    assert 'name="title"' in page and "<textarea" not in page  # the form is not drawn again
    assert "Nothing is saved yet." in page
    carried = _hidden_fields(page)
    expected = [
        (k, v)
        for k, values in typed.items()
        for v in (values if isinstance(values, list) else [values])
    ]
    assert sorted(carried) == sorted(expected)

    data = {}
    for name, value in carried:
        data.setdefault(name, []).append(value)
    data |= {"shown": [str(french_record.pk)], f"decision-{french_record.pk}": "same"}
    assert client.post(reverse("programs:create"), data).status_code == 302
    created = Programme.objects.get(reporting_org=organisation)
    assert created.texts.get().title == typed["title"]
    assert sorted(created.tags.filter(kind="theme").values_list("code", flat=True)) == [
        "documents",
        "indicators",
    ]


def test_change_the_record_goes_back_to_the_form_as_it_was_filled_in(
    client, coordinator, organisation, french_record
):
    client.force_login(coordinator)
    typed = _form(organisation, participants_planned="38")
    step = client.post(reverse("programs:create"), typed).content.decode()
    data = {}
    for name, value in _hidden_fields(step):
        data.setdefault(name, []).append(value)
    data |= {"shown": [str(french_record.pk)], f"decision-{french_record.pk}": "same", "edit": "1"}
    response = client.post(reverse("programs:create"), data)
    assert response.templates[0].name == "programs/programme_form.html"
    form = response.context["form"]
    assert not form.errors
    assert form["participants_planned"].value() == "38"
    assert 'value="38"' in response.content.decode()
    assert not Programme.objects.filter(reporting_org=organisation).exists()
    assert not OverlapDecision.objects.exists()


def test_an_edit_meets_its_matches_on_the_same_step(
    client, coordinator, dakar_record, french_record
):
    client.force_login(coordinator)
    edit, data = _edit_data(client, dakar_record, airports="NBO", countries="KE")
    response = client.post(edit, data)
    assert response.templates[0].name == "programs/programme_matches.html"
    assert dakar_record.identifier in response.content.decode()
    back = client.post(edit, dict(data, edit="1"))
    assert back.templates[0].name == "programs/programme_form.html"
    assert back.context["form"]["airports"].value() == "NBO"

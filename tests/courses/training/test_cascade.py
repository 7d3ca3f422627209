"""The cascade: who trained whom, each trainer's reach, the page, the command and the demo."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cms.accounts.models import Membership
from courses import services
from courses.models import (
    ClassroomSession,
    Cohort,
    CohortMember,
    CourseCompletion,
    TrainerCertification,
    TrainerReach,
)
from courses.training import cascade
from tests.factories import MembershipFactory, make_course

pytestmark = pytest.mark.django_db

PAGE = reverse("courses:cascade")
TODAY = datetime.date(2026, 3, 1)


def person(organisation, role=Membership.Role.TRAINER):
    return MembershipFactory(organisation=organisation, role=role).user


def certified(user, by, level="trainer", organisation=None):
    """A certification row as `certification.certify` writes it (the rules are tested there)."""
    return TrainerCertification.objects.create(
        user=user,
        level=level,
        status="certified",
        valid_from=TODAY,
        valid_until=TODAY + datetime.timedelta(days=730),
        certified_by=by,
        organisation=organisation,
    )


def cohort_of(trainer, course, learners, *, airport="NBO", country="KE", completed=()):
    cohort = Cohort.objects.create(
        organisation=trainer.memberships.first().organisation,
        course=course,
        name=f"Cohort of {trainer.email}",
        language="en",
        starts_on=TODAY,
        ends_on=TODAY + datetime.timedelta(days=30),
        trainer=trainer,
    )
    ClassroomSession.objects.create(
        cohort=cohort,
        date=TODAY,
        starts_at=datetime.time(9),
        duration_minutes=90,
        airport=airport,
        country=country,
        language="en",
    )
    for learner in learners:
        CohortMember.objects.create(cohort=cohort, user=learner)
    for learner in completed:
        CourseCompletion.objects.get_or_create(user=learner, course=course)
    cascade.refresh_cohort_summary(cohort.pk)
    return cohort


def reach(user) -> TrainerReach:
    return TrainerReach.objects.get(trainer=user)


@pytest.fixture
def course(db):
    return make_course(title="Indicators", slug="indicators", lessons=1)


@pytest.fixture
def tree(organisation, course):
    """master → (trainer_a → trainer_c), trainer_b; one learner taught by both a and c, one
    by b and a."""
    master, a, b, c = (person(organisation) for _ in range(4))
    learners = [person(organisation, Membership.Role.LEARNER) for _ in range(5)]
    certified(master, None, "master")
    certified(a, master)
    certified(b, master)
    certified(c, a)
    cohort_of(a, course, learners[:3], completed=learners[:1])
    cohort_of(b, course, [learners[2], learners[3]], airport="COO", country="BJ")
    cohort_of(c, course, [learners[0], learners[4]], airport="", country="DZ")
    return {"master": master, "a": a, "b": b, "c": c, "learners": learners}


def test_reach_counts_each_learner_once_in_a_part_of_the_tree(tree):
    master, a, c = reach(tree["master"]), reach(tree["a"]), reach(tree["c"])
    assert (a.direct_learners, a.downstream_learners, a.learners) == (3, 2, 4)
    assert (c.direct_learners, c.downstream_learners, c.learners) == (2, 0, 2)
    assert (master.direct_learners, master.downstream_learners, master.learners) == (0, 5, 5)
    assert (master.parent_id, a.parent_id, c.parent_id) == (None, tree["master"].pk, a.pk)


def test_completion_counts_only_the_course_of_the_learners_cohort(tree, organisation):
    other = make_course(title="Other", slug="other", lessons=1)
    CourseCompletion.objects.create(user=tree["learners"][3], course=other)
    cascade.refresh_trainer_reach([tree["b"].pk])
    assert (reach(tree["b"]).completed, reach(tree["b"]).learners) == (0, 2)
    # learner 0 completed a's course, and is learner of c's cohort of the same course
    assert (reach(tree["c"]).completed, reach(tree["master"]).completed) == (1, 1)
    assert reach(tree["master"]).completion_rate == 0.2


def test_countries_and_airports_come_from_the_sessions_below(tree):
    assert reach(tree["master"]).countries == "BJ DZ KE"
    assert reach(tree["master"]).airports == "COO NBO"
    assert (reach(tree["a"]).countries, reach(tree["a"]).airports) == ("DZ KE", "NBO")


def test_completing_a_course_refreshes_the_trainers_above(tree, course):
    learner = tree["learners"][4]  # in c's cohort
    for lesson in course.lessons():
        services.lesson_complete(user=learner, lesson=lesson)
    assert reach(tree["c"]).completed == 2
    assert reach(tree["a"]).completed == 2
    assert reach(tree["master"]).completed == 2
    assert reach(tree["b"]).completed == 0


def test_a_completion_counts_once_above_two_cohorts_and_matches_a_rebuild(tree, course):
    learner = tree["learners"][2]  # in a's cohort and in b's
    for lesson in course.lessons():
        services.lesson_complete(user=learner, lesson=lesson)
    kept = {r.trainer_id: (r.completed, r.direct_completed) for r in TrainerReach.objects.all()}
    assert kept[tree["master"].pk] == (2, 0)
    assert kept[tree["a"].pk] == (2, 2) and kept[tree["b"].pk] == (1, 1)
    cascade.rebuild()
    assert kept == {
        r.trainer_id: (r.completed, r.direct_completed) for r in TrainerReach.objects.all()
    }


def test_a_new_certifier_moves_the_trainer_and_their_part_of_the_tree(tree):
    certified(tree["a"], tree["b"], "master")  # the signal refreshes the cascade
    assert reach(tree["a"]).parent_id == tree["b"].pk
    assert reach(tree["a"]).level == "master"
    assert (reach(tree["b"]).learners, reach(tree["b"]).downstream_learners) == (5, 4)
    assert reach(tree["master"]).learners == 5  # still all below, through b now


def test_a_certification_loop_is_broken_and_every_walk_ends(organisation, course):
    one, two = person(organisation), person(organisation)
    certified(one, two, "master")
    certified(two, one, "master")  # would close a loop: two stays a root
    cohort_of(one, course, [person(organisation, Membership.Role.LEARNER)])
    parents = dict(TrainerReach.objects.values_list("trainer_id", "parent_id"))
    assert parents[one.pk] == two.pk and parents[two.pk] is None
    rows, total = cascade.cascade_reach(scope=cascade.Scope("all"))
    assert total == 2 and [row.trainer_id for row in rows] == [two.pk, one.pk]
    assert reach(two).learners == 1
    # a loop already in the summary (written around the services): rebuilding breaks it
    TrainerReach.objects.filter(trainer=two).update(parent=one)
    cascade.rebuild()
    assert TrainerReach.objects.filter(parent=None).count() == 1
    rows, total = cascade.cascade_reach(scope=cascade.Scope("all"))
    assert total == 2 and rows[0].depth == 0 and rows[1].depth == 1


def test_rebuilding_gives_what_the_refreshes_kept(tree):
    kept = list(TrainerReach.objects.order_by("pk").values())
    TrainerReach.objects.all().delete()
    call_command("cascade_rebuild", stdout=io.StringIO())
    rebuilt = list(TrainerReach.objects.order_by("pk").values())
    strip = [{k: v for k, v in row.items() if k != "refreshed_at"} for row in kept]
    assert strip == [{k: v for k, v in row.items() if k != "refreshed_at"} for row in rebuilt]


def test_a_revoked_trainer_without_cohorts_leaves_the_tree_level(tree):
    TrainerCertification.objects.filter(user=tree["c"]).update(status="revoked")
    cascade.refresh_trainer_reach([tree["c"].pk])
    assert reach(tree["c"]).level == ""  # still in the tree: their cohort stays theirs
    assert reach(tree["a"]).learners == 4


# -- The command ----------------------------------------------------------------------------


def test_cascade_reach_prints_every_trainer_as_json(tree):
    out = io.StringIO()
    call_command("cascade_reach", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert list(data) == ["trainers"]
    first = data["trainers"][0]
    assert first == {
        "email": tree["master"].email,
        "level": "master",
        "direct_learners": 0,
        "downstream_learners": 5,
        "completion_rate": 0.2,
        "countries": ["BJ", "DZ", "KE"],
    }
    assert len(data["trainers"]) == 4


def test_cascade_reach_prints_one_trainer_as_a_table(tree):
    out = io.StringIO()
    call_command("cascade_reach", "--trainer", tree["a"].email.upper(), stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and lines[1].startswith(tree["a"].email)
    assert "DZ KE" in lines[1] and "25%" in lines[1]


def test_cascade_reach_refuses_an_unknown_email(tree):
    with pytest.raises(CommandError, match="nobody@example.org"):
        call_command("cascade_reach", "--trainer", "nobody@example.org", stdout=io.StringIO())


def test_cascade_reach_refuses_someone_outside_the_cascade(tree):
    with pytest.raises(CommandError, match="not in the cascade"):
        call_command("cascade_reach", "--trainer", tree["learners"][0].email, stdout=io.StringIO())


# -- The page -------------------------------------------------------------------------------


def names(response) -> str:
    return response.content.decode()


def test_staff_see_every_trainer(client, tree, other_organisation, course):
    elsewhere = person(other_organisation)
    certified(elsewhere, tree["master"])
    staff = tree["learners"][0]
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.context["total"] == 5
    assert elsewhere.display_name in names(response)


def test_a_coordinator_sees_their_organisations_trainers_only(
    client, tree, coordinator, other_organisation
):
    elsewhere = person(other_organisation)
    certified(elsewhere, tree["a"])
    client.force_login(coordinator)
    response = client.get(PAGE)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert {row.trainer_id for row in rows} == {tree[k].pk for k in ("master", "a", "b", "c")}
    assert [row.trainer_id for row in rows].index(tree["c"].pk) == 1 + [
        row.trainer_id for row in rows
    ].index(tree["a"].pk)  # depth first: c right below a
    assert elsewhere.display_name not in names(response)
    assert client.get(f"{PAGE}?trainer={elsewhere.pk}").status_code == 404


def test_a_coordinator_of_another_organisation_sees_none_of_it(client, tree, other_coordinator):
    client.force_login(other_coordinator)
    response = client.get(PAGE)
    assert response.status_code == 200 and response.context["total"] == 0
    assert tree["master"].display_name not in names(response)
    assert client.get(f"{PAGE}?trainer={tree['a'].pk}").status_code == 404


def test_a_trainer_sees_their_own_part_of_the_tree(client, tree):
    client.force_login(tree["a"])
    response = client.get(PAGE)
    assert [row.trainer_id for row in response.context["rows"]] == [tree["a"].pk, tree["c"].pk]
    assert tree["b"].display_name not in names(response)
    assert client.get(f"{PAGE}?trainer={tree['c'].pk}").status_code == 200
    assert client.get(f"{PAGE}?trainer={tree['b'].pk}").status_code == 404
    assert client.get(f"{PAGE}?trainer={tree['master'].pk}").status_code == 404


def test_a_learner_may_not_open_the_cascade(client, tree):
    client.force_login(tree["learners"][1])
    assert client.get(PAGE).status_code == 403


def test_a_visitor_is_asked_to_sign_in(client):
    assert client.get(PAGE).status_code == 302


@pytest.mark.parametrize("query", ["trainer=x", "trainer=0", "page=0", "page=-1", "page=99"])
def test_bad_or_past_the_end_queries_find_nothing(client, tree, query):
    client.force_login(tree["a"])
    assert client.get(f"{PAGE}?{query}").status_code == 404


def test_the_tree_is_nested_lists_beside_a_table(client, tree, coordinator):
    client.force_login(coordinator)
    html = names(client.get(PAGE))
    tree_part = html[html.index('class="cascade-tree"') : html.index("cascade__numbers")]
    a, c = tree["a"].display_name, tree["c"].display_name
    assert tree_part.index(a) < tree_part.index("<ul>", tree_part.index(a)) < tree_part.index(c)
    assert "<table>" in html and 'scope="row"' in html


def test_names_are_written_as_text_in_the_tree_and_the_table(client, tree, coordinator):
    tree["a"].first_name, tree["a"].last_name = '<b id="x">Ana', '"Ruiz" & Co'
    tree["a"].save()
    cascade.rebuild()
    client.force_login(coordinator)
    html = client.get(PAGE).content.decode()
    assert '<b id="x">' not in html
    written = "&lt;b id=&quot;x&quot;&gt;Ana &quot;Ruiz&quot; &amp; Co"
    assert html.count(written) == 3  # in the tree, in the table and as c's certifier
    assert '<abbr title="Kenya">KE</abbr>' in html and "<td>NBO</td>" in html


def test_the_hub_links_to_the_cascade(client, trainer):
    client.force_login(trainer)
    assert f'href="{PAGE}"' in client.get(reverse("courses:training")).content.decode()


def grow(organisation, course, *, trainers: int, depth: int):
    """A chain `depth` deep from a master, the rest of the trainers below its end, each with
    a cohort of two learners."""
    master = person(organisation)
    certified(master, None, "master")
    above, made = master, [master]
    for n in range(trainers - 1):
        trainer = person(organisation)
        certified(trainer, above, "master" if n < depth else "trainer")
        if n < depth:
            above = trainer
        made.append(trainer)
    for trainer in made:
        learners = [person(organisation, Membership.Role.LEARNER) for _ in range(2)]
        cohort_of(trainer, course, learners, completed=learners[:1])
    return made


# session, user, the tree; the coordinator's membership comes from the cache, and the menu asks
# a trainer's permissions (two queries)
@pytest.mark.parametrize("who,queries", [("coordinator", 3), ("trainer", 3)])
def test_the_page_costs_the_same_queries_at_two_sizes_and_depths(
    client, organisation, course, coordinator, django_assert_num_queries, who, queries
):
    small = grow(organisation, course, trainers=3, depth=1)
    reader = coordinator if who == "coordinator" else small[0]
    client.force_login(reader)
    client.get(PAGE)
    with django_assert_num_queries(queries):
        assert client.get(PAGE).status_code == 200
    big = grow(organisation, course, trainers=25, depth=8)
    if who == "trainer":
        client.force_login(big[0])
    client.get(PAGE)  # new memberships: the cached ones are read again once
    with django_assert_num_queries(queries):
        response = client.get(PAGE)
    assert response.context["total"] == (28 if who == "coordinator" else 25)
    assert max(row.depth for row in response.context["rows"]) == 9


def test_the_total_follows_every_change_to_the_tree_at_once(client, tree, coordinator):
    """The number of trainers is counted once per change to the tree and kept: a trainer
    certified, or one who leaves, shows in the very next page."""
    client.force_login(coordinator)
    assert client.get(PAGE).context["total"] == 4
    newcomer = person(tree["master"].memberships.first().organisation)
    certified(newcomer, tree["master"])
    cascade.certification_recorded(user=newcomer)
    assert client.get(PAGE).context["total"] == 5
    newcomer.delete()
    assert client.get(PAGE).context["total"] == 4
    assert client.get(f"{PAGE}?trainer={tree['a'].pk}").context["total"] == 2


def test_a_long_list_comes_in_pages(client, organisation, course, coordinator, monkeypatch):
    monkeypatch.setattr(cascade, "PAGE_SIZE", 4)
    grow(organisation, course, trainers=6, depth=2)
    client.force_login(coordinator)
    first = client.get(PAGE)
    assert len(first.context["rows"]) == 4 and first.context["next_page"] == "?page=2"
    second = client.get(f"{PAGE}?page=2")
    assert len(second.context["rows"]) == 2 and second.context["next_page"] is None
    seen = [r.trainer_id for r in first.context["rows"] + second.context["rows"]]
    assert len(set(seen)) == 6

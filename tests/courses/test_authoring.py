"""Trainers write drafts and submit them for review; moderators publish; revisions are kept."""

import pytest
from wagtail.models import Workflow
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return User.objects.create_superuser(email="moderator@example.org", password="x")


def edit_form(lesson, text, action):
    return nested_form_data(
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "objectives": "Spot a swapped boarding pass",
            "estimated_minutes": 12,
            "body": streamfield([("paragraph", rich_text(f"<p>{text}</p>"))]),
            "comments": inline_formset([]),
            action: "1",
        }
    )


def test_trainer_saves_a_draft_that_readers_do_not_see(client, trainer, public_course):
    lesson = public_course.get_children().first().specific
    client.force_login(trainer)
    response = client.post(
        f"/admin/pages/{lesson.pk}/edit/",
        edit_form(lesson, "Draft about transit zones", "action-save"),
    )
    assert response.status_code == 302, response.content[:2000]
    lesson.refresh_from_db()
    assert lesson.has_unpublished_changes
    assert lesson.revisions.count() >= 1
    client.logout()
    assert "Draft about transit zones" not in client.get(lesson.url).text


def test_trainer_cannot_publish(client, trainer, public_course):
    lesson = public_course.get_children().first().specific
    permissions = lesson.permissions_for_user(trainer)
    assert permissions.can_edit() and not permissions.can_publish()
    client.force_login(trainer)
    client.post(f"/admin/pages/{lesson.pk}/edit/", edit_form(lesson, "Sneaky", "action-publish"))
    client.logout()
    assert "Sneaky" not in client.get(lesson.url).text


def test_submitted_lesson_is_published_when_a_moderator_approves(
    client, trainer, moderator, public_course
):
    lesson = public_course.get_children().first().specific
    lesson.save_revision().publish()
    revisions_before = lesson.revisions.count()
    client.force_login(trainer)
    response = client.post(
        f"/admin/pages/{lesson.pk}/edit/",
        edit_form(lesson, "Reviewed text on escorts", "action-submit"),
    )
    assert response.status_code == 302
    lesson.refresh_from_db()
    workflow_state = lesson.current_workflow_state
    assert workflow_state is not None and workflow_state.status == "in_progress"
    assert workflow_state.workflow == Workflow.objects.get(name="Moderators approval")

    task_state = workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")
    lesson.refresh_from_db()
    assert not lesson.has_unpublished_changes
    assert "Reviewed text on escorts" in client.get(lesson.url).text
    assert lesson.revisions.count() == revisions_before + 1  # the earlier version is kept


def test_trainer_cannot_manage_organisations(client, trainer):
    client.force_login(trainer)
    response = client.get("/admin/snippets/accounts/organisation/")
    assert response.status_code in (302, 403)


class TestLearningRecordsInTheAdmin:
    def test_administrator_lists_enrolments_but_cannot_change_them(
        self, client, moderator, officer, public_course
    ):
        from courses.models import Enrolment

        enrolment = Enrolment.objects.create(user=officer, course=public_course)
        client.force_login(moderator)
        listing = client.get("/admin/learning/enrolments/")
        assert listing.status_code == 200 and officer.display_name in listing.text
        assert client.get(f"/admin/learning/enrolments/inspect/{enrolment.pk}/").status_code == 200
        refused = (302, 403, 404)
        assert client.get(f"/admin/learning/enrolments/edit/{enrolment.pk}/").status_code in refused
        assert (
            client.post(f"/admin/learning/enrolments/delete/{enrolment.pk}/").status_code in refused
        )
        assert Enrolment.objects.filter(pk=enrolment.pk).exists()
        client.post(
            "/admin/learning/enrolments/add/", {"user": moderator.pk, "course": public_course.pk}
        )
        assert Enrolment.objects.count() == 1

    def test_trainer_cannot_read_learning_records(self, client, trainer):
        client.force_login(trainer)
        assert client.get("/admin/learning/enrolments/").status_code in (302, 403)

"""The catalogue: course index → course → lesson."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    HelpPanel,
    InlinePanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from cms.accounts.models import Audience
from cms.accounts.selectors import audiences_for_user
from cms.home import cache as content_cache
from cms.home.mixins import ViewRestrictionsInOneQueryMixin
from cms.home.reader_pages import ReaderPageMixin
from cms.home.translations import page_in_language, reading_language

from ..blocks import LessonBodyBlock

# Where a page sits in the course tree is known here and nowhere else: a course is a child of
# its catalogue, and a lesson a direct child of its course.


def in_source_language(pages):
    """Only the pages in the site's source language. A translation words a course or lesson;
    it is not one of its own: enrolments, completions, cohorts and certificates belong to the
    page it translates."""
    from django.conf import settings

    return pages.filter(locale__language_code=settings.LANGUAGE_CODE)


def _parent_path(path: str) -> str:
    return path[: -Page.steplen]


class CourseIndexPage(ReaderPageMixin, ViewRestrictionsInOneQueryMixin, Page):
    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("introduction"),
        SynchronizedField("slug"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage", "courses.TrackPage"]

    class Meta:
        verbose_name = _("course catalogue")

    def get_reader(self, request):
        from ..selectors import catalogue_reader

        return catalogue_reader(user=request.user, index=self)


class CoursePage(ReaderPageMixin, ViewRestrictionsInOneQueryMixin, Page):
    summary = models.TextField(_("summary"), help_text=_("Shown in the catalogue."))
    learning_outcomes = models.TextField(
        _("learning outcomes"), help_text=_("One outcome per line.")
    )
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.PUBLIC
    )
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=30)
    final_quiz = models.ForeignKey(
        "assessments.Quiz",
        verbose_name=_("final scenario quiz"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("When set, passing it is part of completing the course."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("learning_outcomes"),
        FieldPanel("audience"),
        FieldPanel("estimated_minutes"),
        FieldPanel("final_quiz"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("learning_outcomes"),
        index.FilterField("audience"),
    ]
    # What a translator translates; the rest is the course's own in every language (the
    # audience above all: access is decided by the course, never by its translation).
    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("summary"),
        TranslatableField("learning_outcomes"),
        SynchronizedField("slug"),
        SynchronizedField("audience"),
        SynchronizedField("estimated_minutes"),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("course")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(audience__in=Audience.values),
                name="coursepage_audience_valid",
            )
        ]

    @property
    def outcome_list(self):
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]

    def is_open_to(self, user) -> bool:
        """Whether `user` may open the course: its audience, or, for a trainers' track, a
        trainer candidate's enrolment in it (courses.training.candidates)."""
        if self.audience in audiences_for_user(user=user):
            return True
        from ..training.candidates import opens_through_enrolment

        return opens_through_enrolment(user=user, track=self)

    @property
    def is_track(self) -> bool:
        """Whether this course is a track: true of a track's plain CoursePage row too (as
        lessons and listings find it), without a query."""
        return self.content_type_id == ContentType.objects.get_for_model(TrackPage).pk

    def refused_message(self) -> str:
        if self.audience == Audience.TRAINERS:
            return _("This is for certified trainers, and for trainer candidates in its track.")
        return _("This lesson is for verified officers of member organisations.")

    def permissions_for_user(self, user):
        """Wagtail's permissions, none at all when the course is closed to the user."""
        from ..permissions import page_permissions

        return page_permissions(user=user, page=self, course=self)

    def lessons(self):
        """This course's live lessons, in the order they are taken."""
        return LessonPage.of_courses([self])

    @property
    def catalogue(self) -> Page:
        """The catalogue the course sits in (from the content cache)."""
        path, language = _parent_path(self.path), reading_language()
        return content_cache.remember(
            f"page:{language}:{path}",
            lambda: page_in_language(Page.objects.get(path=path).specific, language),
        )

    @classmethod
    def audiences_of_pages(cls, paths) -> dict[str, str]:
        """The audience of the course each page is part of (the course itself, or one of its
        lessons), by the page's tree path, in one query; pages outside courses are left out."""
        candidates = {p for path in paths for p in (path, _parent_path(path))}
        courses = dict(cls.objects.filter(path__in=candidates).values_list("path", "audience"))
        audiences = {path: courses.get(path) or courses.get(_parent_path(path)) for path in paths}
        return {path: audience for path, audience in audiences.items() if audience}

    def get_shared_context(self, request) -> dict:
        from ..selectors import course_outline

        return {**super().get_shared_context(request), **course_outline(self)}

    def get_reader(self, request):
        from ..selectors import course_reader
        from ..training.notes import with_session_pack_link

        reader = course_reader(user=request.user, course=self)
        return with_session_pack_link(reader, request=request, course=self)


class TrackPageForm(WagtailAdminPageForm):
    """A track lists courses, each once: never itself, nor another track."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        formset = self.formsets.get("track_courses")
        if formset is not None:  # offer only courses; the check below refuses the rest
            courses = CoursePage.objects.filter(trackpage__isnull=True).order_by("path")
            formset.form.base_fields["course"].queryset = courses
            for form in formset.forms:
                form.fields["course"].queryset = courses

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("track_courses")
        if formset is None or not hasattr(formset, "cleaned_data"):
            return cleaned
        chosen = [
            form.cleaned_data["course"]
            for form in formset.forms
            if form.cleaned_data.get("course") and not form.cleaned_data.get("DELETE")
        ]
        for error in track_course_errors(self.instance, chosen):
            self.add_error(None, error)
        return cleaned


def track_course_errors(track, courses) -> list[str]:
    """What is wrong with a track listing these courses (empty when nothing is)."""
    errors = []
    if track.pk and any(course.pk == track.pk for course in courses):
        errors.append(_("A track cannot list itself among its courses."))
    tracks = [course for course in courses if course.pk != track.pk and course.is_track]
    if tracks:
        titles = ", ".join(course.title for course in tracks)
        errors.append(_("A track lists courses, not tracks: %(titles)s.") % {"titles": titles})
    if len({course.pk for course in courses}) != len(courses):
        errors.append(_("A track lists each course once."))
    return errors


class TrackPage(CoursePage):
    """A track: an ordered list of courses plus lessons of its own (its children, as a course's
    are). A track is a course to everything that counts lessons, enrolments and completions, so
    its own lessons, final quiz, audience and cohorts work as a course's do."""

    content_panels = CoursePage.content_panels + [
        InlinePanel("track_courses", label=_("courses, in the order they are taken"))
    ]
    base_form_class = TrackPageForm

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("track")

    def clean(self):
        super().clean()
        courses = [row.course for row in self.track_courses.all() if row.course_id]
        errors = track_course_errors(self, courses)
        if errors:
            raise ValidationError(errors)

    def get_reader(self, request):
        from ..selectors import track_reader

        return track_reader(user=request.user, track=self)


class TrackCourse(Orderable):
    track = ParentalKey(TrackPage, on_delete=models.CASCADE, related_name="track_courses")
    course = models.ForeignKey(
        CoursePage, on_delete=models.PROTECT, related_name="+", verbose_name=_("course")
    )

    panels = [FieldPanel("course")]

    class Meta(Orderable.Meta):
        verbose_name = _("course of a track")
        constraints = [
            models.UniqueConstraint(fields=["track", "course"], name="track_course_unique")
        ]


class LessonPage(ReaderPageMixin, ViewRestrictionsInOneQueryMixin, Page):
    """A lesson takes its audience from its course, checked each time it is served."""

    objectives = models.TextField(_("learning objectives"), help_text=_("One objective per line."))
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"))
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=10)
    # For trainers only: never indexed for search, and shown only by courses.training.notes.
    trainer_notes = models.TextField(
        _("trainer notes"),
        blank=True,
        help_text=_(
            "Markdown: ### headings, - and 1. lists, **bold**, *italic*. The session plan, "
            "discussion questions with model answers, the scenario to run, and how to adapt "
            "the lesson to national law. Shown only to certified trainers."
        ),
    )
    indicator_card = models.TextField(
        _("indicator card"),
        blank=True,
        help_text=_("One indicator or check per line, for the participant handout."),
    )
    handout_mrz_map = models.BooleanField(
        _("MRZ position map on the handout"),
        default=False,
        help_text=_("The handout shows which characters of a passport's MRZ hold which field."),
    )

    content_panels = Page.content_panels + [
        HelpPanel(_("Who may open this lesson is set on its course (audience).")),
        FieldPanel("objectives"),
        FieldPanel("body"),
        FieldPanel("estimated_minutes"),
    ]
    trainer_panels = [
        HelpPanel(_("Learners never see this tab: it feeds the trainer notes and session pack.")),
        FieldPanel("trainer_notes"),
        FieldPanel("indicator_card"),
        FieldPanel("handout_mrz_map"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(trainer_panels, heading=_("Trainer notes")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    search_fields = Page.search_fields + [
        index.SearchField("objectives"),
        index.SearchField("body"),
    ]
    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("objectives"),
        TranslatableField("body"),
        TranslatableField("trainer_notes"),
        TranslatableField("indicator_card"),
        SynchronizedField("slug"),
        SynchronizedField("estimated_minutes"),
        SynchronizedField("handout_mrz_map"),
    ]

    parent_page_types = ["courses.CoursePage", "courses.TrackPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")

    @property
    def objective_list(self):
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]

    @property
    def indicator_list(self):
        return [line.strip() for line in self.indicator_card.splitlines() if line.strip()]

    @classmethod
    def of_courses(cls, courses):
        """The live lessons of these courses, in tree order, in one query (group them by
        `course_path`)."""
        in_courses = models.Q(pk__in=[])
        for course in courses:
            in_courses |= models.Q(path__startswith=course.path, depth=course.depth + 1)
        return cls.objects.live().filter(in_courses).order_by("path")

    @property
    def course_path(self) -> str:
        """The tree path of this lesson's course."""
        return _parent_path(self.path)

    @property
    def course(self) -> CoursePage:
        """The lesson's course (from the content cache)."""
        if not hasattr(self, "_course"):
            path, language = self.course_path, reading_language()
            self._course = content_cache.remember(
                f"course:{language}:{path}",
                lambda: page_in_language(CoursePage.objects.get(path=path), language),
            )
        return self._course

    def permissions_for_user(self, user):
        """Wagtail's permissions, none at all when the lesson's course is closed to the user."""
        from ..permissions import page_permissions

        course = self.get_course() if self.path else None  # a new lesson has no course yet
        return page_permissions(user=user, page=self, course=course)

    def get_course(self) -> CoursePage:
        """The same as `course`."""
        return self.course

    def serve(self, request, *args, **kwargs):
        from ..locks import course_lock

        lock = course_lock(user=request.user, course=self.course)
        if lock is not None:
            return self.serve_locked(request, lock)
        return super().serve(request, *args, **kwargs)

    def serve_locked(self, request, lock) -> HttpResponse:
        """Who the lesson is for and what to do, and nothing of the lesson but its title: a
        refusal (403), so neither the page cache nor a browser keeps it."""
        context = {"page": self, "course": self.course, "lock": lock}
        response = TemplateResponse(request, "courses/locked.html", context, status=403)
        add_never_cache_headers(response)
        return response

    def get_shared_context(self, request) -> dict:
        from ..selectors import lesson_outline

        context = super().get_shared_context(request)
        context.update(lesson_outline(self))
        context["content_generation"] = content_cache.generation()  # key of the cached body
        return context

    def get_reader(self, request):
        from ..selectors import lesson_reader
        from ..training.notes import with_trainer_notes

        reader = lesson_reader(user=request.user, lesson=self)
        return with_trainer_notes(reader, request=request, lesson=self)

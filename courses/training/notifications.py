"""Telling people about their training by e-mail, in the background.

An event writes one `Notification` row, unique by what it is about, in the transaction that
causes it; the row's e-mail is queued once that transaction commits (django-tasks), and the
task sends it only if nobody has sent it yet. So an event that happens twice, a daily command
run twice, or a task the worker runs twice, never mails anyone twice.
"""

import datetime
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django_tasks import task

from ..models import ClassroomSession, CohortMember, Notification, TrainerCertification

Kind = Notification.Kind

# How long before a trainer certification ends its holder is told, and how long after it ended
# an expiry is still worth a message (older ones were the business of earlier days).
EXPIRING_NOTICE_DAYS = 60
EXPIRED_NOTICE_DAYS = 30


def notify(*, user, kind: str, key: str, language: str = "", **context) -> bool:
    """Record a message for `user` and queue its e-mail after commit; False when a message
    about `key` exists already. It is written in the language `user` chose, else in
    `language` (a cohort's or a session's), else in the site's."""
    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "user": user,
            "kind": kind,
            "language": user.language or language or settings.LANGUAGE_CODE,
            "context": context,
        },
    )
    if created:
        transaction.on_commit(partial(deliver.enqueue, notification.pk))
    return created


@task(backend="queue")
def deliver(notification_id: int) -> bool:
    """Send one notification's e-mail unless it was sent already (claimed by one UPDATE, so two
    workers never both send it); a failed send is released to be tried again."""
    claimed = Notification.objects.filter(pk=notification_id, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    try:
        subject, body = render(notification)
        send_mail(subject, body, None, [notification.user.email])
    except Exception:
        Notification.objects.filter(pk=notification_id).update(sent_at=None)
        raise
    return True


def render(notification: Notification) -> tuple[str, str]:
    """The subject and plain-text body, in the notification's language."""
    context = {
        **notification.context,
        "name": notification.user.get_full_name() or notification.user.email,
        "site": settings.FLIGHTPATH_SITE_ORIGIN,
    }
    # Links lead to the site in the same language as the message.
    for name in ("url", "verify_url"):
        if context.get(name):
            context[name] = _in_language(context[name], notification.language)
    with translation.override(notification.language):
        template = f"courses/notifications/{notification.kind}"
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    return " ".join(subject.split()), body


def _in_language(url: str, language: str) -> str:
    """`url`, one of Flightpath's addresses in any language, in `language`."""
    path = urlsplit(url).path
    with translation.override(translation.get_language_from_path(path) or settings.LANGUAGE_CODE):
        return translate_url(url, language)


def _url(path: str) -> str:
    return settings.FLIGHTPATH_SITE_ORIGIN + path


def cohort_learners_added(*, cohort, users) -> int:
    """Tell learners they were added to `cohort`; returns how many messages were new."""
    details = {
        "cohort": cohort.name,
        "course": cohort.course.title,
        "starts_on": cohort.starts_on.isoformat(),
        "ends_on": cohort.ends_on.isoformat(),
        "url": _url(reverse("courses:my_learning")),
    }
    return sum(
        notify(
            user=user,
            kind=Kind.COHORT_ADDED,
            key=f"cohort_added:{cohort.pk}:{user.pk}",
            language=cohort.language,
            **details,
        )
        for user in users
    )


def certificate_issued(*, user, key: str, achievement: str, verify_url: str, language="") -> bool:
    """Tell a holder their certificate is ready; `key` names the certificate."""
    return notify(
        user=user,
        kind=Kind.CERTIFICATE_ISSUED,
        key=f"certificate_issued:{key}",
        language=language,
        achievement=achievement,
        verify_url=verify_url,
        url=_url(reverse("courses:my_learning")),
    )


def membership_decided(*, membership) -> bool:
    """Tell a person a coordinator verified or rejected their request to join; each decision
    once (a request made again and decided again is a new decision)."""
    verified = membership.is_verified
    return notify(
        user=membership.user,
        kind=Kind.MEMBERSHIP_VERIFIED if verified else Kind.MEMBERSHIP_REJECTED,
        key=f"membership_decided:{membership.pk}:{membership.decided_at.isoformat()}",
        organisation=membership.organisation.name,
        url=_url(reverse("courses:my_learning" if verified else "accounts:my_organisation")),
    )


def session_reminders(*, day: datetime.date) -> int:
    """Remind every learner of a cohort with a classroom session on `day` (the date is in the
    key, so a session moved to another day reminds again); returns how many were new."""
    import airportsdata

    airports = airportsdata.load("IATA")
    sessions = list(ClassroomSession.objects.filter(date=day).select_related("cohort"))
    members = CohortMember.objects.filter(cohort__in={s.cohort_id for s in sessions})
    learners: dict[int, list] = {}
    for member in members.select_related("user"):
        learners.setdefault(member.cohort_id, []).append(member.user)
    sent = 0
    for session in sessions:
        airport = airports.get(session.airport, {}).get("name", "") if session.airport else ""
        details = {
            "cohort": session.cohort.name,
            "date": session.date.isoformat(),
            "starts_at": session.starts_at.strftime("%H:%M"),
            "duration": session.duration_minutes,
            "airport": f"{airport} ({session.airport})" if airport else "",
            "venue": session.venue,
            "url": _url(reverse("courses:my_learning")),
        }
        for user in learners.get(session.cohort_id, []):
            sent += notify(
                user=user,
                kind=Kind.SESSION_REMINDER,
                key=f"session_reminder:{session.pk}:{user.pk}:{session.date.isoformat()}",
                language=session.language,
                **details,
            )
    return sent


def certification_reminders(*, today: datetime.date) -> int:
    """Tell trainers whose certification ends within EXPIRING_NOTICE_DAYS, and those whose
    certification ended in the last EXPIRED_NOTICE_DAYS; each certified period once."""
    latest = TrainerCertification.objects.filter(
        user=OuterRef("user"), level=OuterRef("level")
    ).order_by("-recorded_at", "-pk")
    current = (
        TrainerCertification.objects.filter(
            status=TrainerCertification.Status.CERTIFIED,
            valid_until__gte=today - datetime.timedelta(days=EXPIRED_NOTICE_DAYS),
            valid_until__lte=today + datetime.timedelta(days=EXPIRING_NOTICE_DAYS),
        )
        .annotate(latest_id=Subquery(latest.values("pk")[:1]))
        .select_related("user")
    )
    sent = 0
    for row in current:
        if row.pk != row.latest_id:
            continue  # renewed, suspended or revoked since
        expired = row.valid_until < today
        kind = Kind.CERTIFICATION_EXPIRED if expired else Kind.CERTIFICATION_EXPIRING
        sent += notify(
            user=row.user,
            kind=kind,
            key=f"{kind}:{row.pk}",
            level=str(row.get_level_display()),
            valid_until=row.valid_until.isoformat(),
            renewal_window_days=settings.FLIGHTPATH_RENEWAL_WINDOW_DAYS,
            url=_url(reverse("courses:training")),
        )
    return sent

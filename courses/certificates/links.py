"""Absolute addresses of the public certificate pages, as printed and signed: the site's origin
(`FLIGHTPATH_SITE_ORIGIN`) and the path in the default language, whoever asks."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def site_url(name: str, *args) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return settings.FLIGHTPATH_SITE_ORIGIN + reverse(name, args=args)


def verify_url(certificate) -> str:
    return site_url("courses:certificate_verify", certificate.grouped_code)


def issuer_id() -> str:
    return site_url("courses:certificate_issuer")


def status_list_url() -> str:
    return site_url("courses:certificate_status_list", 1)

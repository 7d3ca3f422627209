"""Absolute addresses of the public certificate pages, as printed and signed: the site's origin
(`FLIGHTPATH_SITE_ORIGIN`) and the path in the default language, whoever asks; a certificate's
verification page in the language it was issued in."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def site_url(name: str, *args, language: str = settings.LANGUAGE_CODE) -> str:
    with translation.override(language):
        return settings.FLIGHTPATH_SITE_ORIGIN + reverse(name, args=args)


def verify_url(certificate) -> str:
    language = certificate.language or settings.LANGUAGE_CODE
    return site_url("courses:certificate_verify", certificate.grouped_code, language=language)


def issuer_id() -> str:
    return site_url("courses:certificate_issuer")


def status_list_url() -> str:
    return site_url("courses:certificate_status_list", 1)

from django.urls import path
from wagtail import hooks

from . import translation_review


@hooks.register("register_admin_urls")
def translation_review_urls():
    return [
        path(
            "translations/<int:page_id>/review/",
            translation_review.submit_for_review,
            name="flightpath_translation_review",
        )
    ]


hooks.register("register_page_header_buttons", translation_review.listing_buttons)
hooks.register("register_page_listing_more_buttons", translation_review.listing_buttons)

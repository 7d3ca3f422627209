from wagtail import hooks

from . import cache


@hooks.register("on_serve_page")
def serve_anonymous_from_cache(next_serve_page):
    def serve(page, request, args, kwargs):
        response = cache.cached_response(request)
        if response is None:
            response = next_serve_page(page, request, args, kwargs)
            cache.remember_response(request, response)
        return response

    return serve

from wagtail import hooks

from .media import audiences_using, may_see, refuse


@hooks.register("before_serve_document")
def check_document_audience(document, request):
    if not may_see(request.user, audiences_using(document)):
        return refuse(request)
    return None

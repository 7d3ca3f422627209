from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("site_nav_links")
def programmes_in_the_menu(request):
    return [(reverse("programs:list"), _("Programmes"))]

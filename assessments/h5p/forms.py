from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from ..models import H5PPackage
from .packages import PackageError
from .services import h5p_import


class H5PUploadForm(WagtailAdminModelForm):
    """Upload an .h5p file: it is checked, and stored only if it passes."""

    package = forms.FileField(label=_("H5P package (.h5p)"))

    class Meta:
        model = H5PPackage
        fields = ["title", "counting"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Leave empty to use the package's own title.")

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("package")
        if upload is not None and not self.errors:
            try:
                self.imported = h5p_import(
                    source=upload, title=cleaned.get("title", ""), user=self.for_user
                )
            except PackageError as e:
                raise forms.ValidationError(_("Refused: %(reason)s") % {"reason": e}) from e
        return cleaned

    def save(self, commit=True):
        self.imported.counting = self.cleaned_data.get("counting", self.imported.counting)
        self.imported.save(update_fields=["counting"])
        return self.imported

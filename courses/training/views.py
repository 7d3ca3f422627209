"""Pages for the people who teach: the training hub and what hangs from it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from . import access


@login_required
def training_home(request):
    """What a trainer or a coordinator can do: each part of train-the-trainer adds a section."""
    if not access.may_open_training(user=request.user):
        raise PermissionDenied
    return render(request, "courses/training/home.html", {})

"""Publishing a rubric version from the command line, and the demo trainer's certification,
which rests on the same requirements as anyone's."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from courses.models import Rubric
from courses.training import observations

pytestmark = pytest.mark.django_db


def test_a_new_rubric_version_is_published_from_a_file(tmp_path):
    observations.rubric_current()
    path = tmp_path / "rubric.json"
    criteria = [{"key": "accuracy", "label": "Accuracy", "description": "", "threshold": 3}]
    path.write_text(json.dumps({"overall_threshold": 3.5, "criteria": criteria}))
    out = io.StringIO()
    call_command("rubric_publish", str(path), stdout=out)
    assert "version 2" in out.getvalue()
    assert observations.rubric_current().criteria == criteria


def test_a_bad_rubric_file_publishes_nothing(tmp_path):
    path = tmp_path / "rubric.json"
    path.write_text(json.dumps({"overall_threshold": 7, "criteria": []}))
    with pytest.raises(CommandError, match="overall threshold"):
        call_command("rubric_publish", str(path))
    assert not Rubric.objects.exists()

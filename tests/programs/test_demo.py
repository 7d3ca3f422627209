import pytest

from cms.programs import demo
from cms.programs.models import Programme
from cms.programs.overlap import registry_pairs

pytestmark = pytest.mark.django_db


def test_the_seed_loads_once_and_shows_the_overlap_check_at_work():
    assert demo.load() == 10
    assert demo.load() == 0
    assert Programme.objects.filter(is_demo=False).count() == 6
    assert all(
        "(d" in t.title or "تجريبي" in t.title or "демо" in t.title
        for p in Programme.objects.filter(is_demo=True)
        for t in p.texts.all()
    )
    pairs = {(p["a"], p["b"]): p for p in registry_pairs()}
    cotonou = pairs[("FP-INTERPOL-STOP-COO-2011", "FP-DEMO-FONDS-COOPERATION-COO-2011")]
    assert cotonou["kind"] == "same"
    assert "same organisation INTERPOL" in cotonou["reasons"]
    algiers = pairs[("FP-INTERPOL-STOP-ALG-2012", "FP-DEMO-ARAB-TRAINING-CENTRE-ALG-2012")]
    assert algiers["kind"] == "same"
    nairobi = pairs[("FP-INTERPOL-STOP-NBO-2011", "FP-DEMO-BORDER-ACADEMY-NBO-2011-08")]
    assert nairobi["kind"] == "overlap"
    recurring = "FP-DEMO-BENIN-BORDER-SCHOOL-COO-2012"
    assert not any(recurring in pair for pair in pairs)

"""`{% translate %}` of a template's own words is translated once per catalogue and then
remembered (`cms.home.templatetags.remembered_i18n`): what it writes is what Django's tag
writes, in every language and form, and a catalogue replaced takes its translations with it."""

import pytest
from django.template import Context, Engine, engines
from django.test import override_settings
from django.utils import translation

from cms.home.templatetags import remembered_i18n

SOURCE = (
    "{% load i18n %}"
    '<p title="{% translate "Download this table:" %}">{% translate "Competency analytics" %}</p>'
    '{% translate "Share with full marks (%)" %}'  # a percent sign, doubled and restored
    '{% translate "Course" as course %}[{{ course }}]'
    '{% translate "Search"|upper %}'  # with a filter: Django's own path
    "{% translate word %}"  # a variable: Django's own path
    '{% translate "Flightpath: a message no catalogue holds" %}'
    '{% translate "May" context "month name" %}'
    '{% translate "Trainer" noop %}'
)


def _site(source=SOURCE, **context):
    return engines["django"].from_string(source).render(context)


def _django(source=SOURCE, **context):
    """The same template under Django's own `i18n` library."""
    engine = Engine(libraries={"i18n": "django.templatetags.i18n"})
    return engine.from_string(source).render(Context(context))


def test_the_site_loads_the_remembered_translations():
    template = engines["django"].from_string('{% load i18n %}{% translate "Course" %}')
    nodes = template.template.nodelist
    assert [type(node) for node in nodes][-1] is remembered_i18n.RememberedTranslateNode


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar", "ru"])
def test_what_is_written_is_what_djangos_tag_writes(language):
    with translation.override(language):
        expected = _django(word="Country")
        assert _site(word="Country") == expected
        assert _site(word="Country") == expected  # remembered the second time


def test_a_translated_word_is_written_in_the_readers_language():
    with translation.override("en"):
        english = _site('{% load i18n %}{% translate "Competency analytics" %}')
    with translation.override("ar"):
        arabic = _site('{% load i18n %}{% translate "Competency analytics" %}')
    with translation.override("en"):
        again = _site('{% load i18n %}{% translate "Competency analytics" %}')
    assert english == again == "Competency analytics"
    assert arabic != english and arabic.strip()


def test_translated_words_are_not_escaped_twice_nor_left_unescaped():
    source = '{% load i18n %}{% translate "A & B <b>" %}|{% translate text %}'
    for language in ("en", "ar"):
        with translation.override(language):
            assert _site(source, text="A & B <b>") == _django(source, text="A & B <b>")
    assert _site(source, text="<i>") == "A & B <b>|&lt;i&gt;"


def test_without_an_active_language_the_words_are_written_as_they_are():
    with translation.override("ar"):
        _site()
    with translation.override(None):  # no catalogue: the words as the template holds them
        assert _site('{% load i18n %}{% translate "Competency analytics" %}') == (
            "Competency analytics"
        )


def test_a_replaced_catalogue_takes_its_translations_with_it(tmp_path):
    """New locale paths (as a test or a deploy brings) make new catalogues: the words are
    translated afresh from them, not taken from the catalogue they replace."""
    with translation.override("fr"):
        before = _site('{% load i18n %}{% translate "Competency analytics" %}')
        folder = tmp_path / "fr" / "LC_MESSAGES"
        folder.mkdir(parents=True)
        _write_catalogue(folder / "django.mo", {"Competency analytics": "Analyse remplacée"})
        with override_settings(LOCALE_PATHS=[tmp_path]):
            translation.activate("fr")
            replaced = _site('{% load i18n %}{% translate "Competency analytics" %}')
        translation.activate("fr")
        after = _site('{% load i18n %}{% translate "Competency analytics" %}')
    assert replaced == "Analyse remplacée"
    assert after == before != replaced


def _write_catalogue(path, messages: dict[str, str]) -> None:
    """A GNU .mo file of `messages` (msgid -> msgstr), with its header."""
    import struct

    entries = {"": "Content-Type: text/plain; charset=UTF-8\n", **messages}
    ids = sorted(entries)
    keys = [k.encode() for k in ids]
    values = [entries[k].encode() for k in ids]
    start = 7 * 4 + 16 * len(ids)
    key_offsets, offset = [], start
    for key in keys:
        key_offsets.append((len(key), offset))
        offset += len(key) + 1
    value_offsets = []
    for value in values:
        value_offsets.append((len(value), offset))
        offset += len(value) + 1
    header = struct.pack("<7I", 0x950412DE, 0, len(ids), 7 * 4, 7 * 4 + 8 * len(ids), 0, 0)
    table = b"".join(struct.pack("<2I", *pair) for pair in key_offsets + value_offsets)
    body = b"".join(k + b"\0" for k in keys) + b"".join(v + b"\0" for v in values)
    path.write_bytes(header + table + body)


def test_the_checks_accept_the_sites_i18n_and_report_any_other_shared_label(settings):
    assert remembered_i18n.libraries_named_once(None) == []
    templates = [{**settings.TEMPLATES[0]}]
    templates[0]["OPTIONS"] = {
        **templates[0]["OPTIONS"],
        "libraries": {
            **templates[0]["OPTIONS"]["libraries"],
            "static": "cms.home.templatetags.flightpath_tags",
        },
    }
    settings.TEMPLATES = templates
    (warning,) = remembered_i18n.libraries_named_once(None)
    assert warning.id == "home.W001"
    assert "'static'" in warning.msg and "flightpath_tags" in warning.msg

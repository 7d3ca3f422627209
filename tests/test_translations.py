"""Every string Flightpath marks for translation is translated into each of its languages.

The strings are extracted afresh from the code and templates, as `make messages` extracts them,
into a folder of the test's own, and looked up in the shipped catalogues: a string added without
running `make messages` and translating it fails here, naming it."""

import ast
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# As the Makefile's `messages` target extracts them.
IGNORE = ["tests/*", "node_modules/*", "static/vendor/*", "var/*", "docs/*"]
DOMAINS = ["django", "djangojs"]
SOURCES = ["cms", "courses", "assessments", "static"]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The strings of the code as it stands: {domain: {(context, msgid), ...}}."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is needed to extract messages: install Debian's gettext package")
    # makemessages writes each file's strings to the locale folder of the tree it sits in:
    # a copy of the sources, so that the shipped catalogues are left alone.
    copy = tmp_path_factory.mktemp("sources")
    for top in SOURCES:
        shutil.copytree(ROOT / top, copy / top, ignore=shutil.ignore_patterns("__pycache__"))
    folder = copy / "locale"
    folder.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(copy)
        patch.setattr(settings, "LOCALE_PATHS", [folder])
        for domain in DOMAINS:
            call_command(
                "makemessages",
                locale=["fr"],
                domain=domain,
                ignore_patterns=IGNORE,
                no_obsolete=True,
                verbosity=0,
            )
    return {
        domain: {
            (entry.msgctxt, entry.msgid)
            for entry in polib.pofile(str(folder / "fr" / "LC_MESSAGES" / f"{domain}.po"))
        }
        for domain in DOMAINS
    }


def catalogue(language: str, domain: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / f"{domain}.po"))


def translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_every_string_of_the_code_is_translated(extracted, language, domain):
    entries = {
        (entry.msgctxt, entry.msgid): entry
        for entry in catalogue(language, domain)
        if not entry.obsolete and "fuzzy" not in entry.flags
    }
    missing = sorted(
        msgid
        for key in extracted[domain]
        if key not in entries or not translated(entries[key])
        for _context, msgid in [key]
    )
    assert not missing, f"{len(missing)} strings untranslated in {language}/{domain}.po: " + (
        "; ".join(repr(m[:70]) for m in missing[:15])
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_translations_keep_their_placeholders_and_plural_forms(language, domain):
    """msgfmt's own check: the same %(name)s placeholders as the English, a well-formed
    header, and as many plural forms as the language's rule asks for."""
    path = LOCALE / language / "LC_MESSAGES" / f"{domain}.po"
    result = subprocess.run(  # noqa: S603 a fixed program on a file of the repository
        ["msgfmt", "--check", "--output-file=/dev/null", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in catalogue(language, domain).metadata_as_entry().flags


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_translations_add_no_straight_double_quotes(language, domain):
    """Django writes translations out unescaped, and many sit inside an HTML attribute
    (`data-moved="{% translate '…' %}"`): a straight `"` the English does not have would end
    the attribute. Quotations take the language's own marks (« », “ ”) instead."""
    added = [
        entry.msgid
        for entry in catalogue(language, domain)
        for text in (list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr])
        if text.count('"') > (entry.msgid + entry.msgid_plural).count('"')
    ]
    assert not added, f"{language}/{domain}.po: " + "; ".join(repr(m[:60]) for m in added[:10])


TRANSLATION_FUNCTIONS = {
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def _unseen_calls(path: Path):
    """The places in one module where a string is marked in a way `xgettext` does not read:
    a translation function imported under a name of the module's own (only `_` and the
    functions' own names are keywords to it), or called inside an f-string."""
    tree = ast.parse(path.read_text(), filename=str(path))
    name = path.relative_to(ROOT)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in TRANSLATION_FUNCTIONS and alias.asname not in (None, "_"):
                    yield f"{name}:{node.lineno} imports {alias.name} as {alias.asname}"
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in TRANSLATION_FUNCTIONS | {"_"}
                ):
                    yield f"{name}:{inner.lineno} calls {inner.func.id} in an f-string"


def test_every_marked_string_is_one_makemessages_finds():
    """A string marked in a way `makemessages` cannot see never reaches the catalogues, and the
    check above cannot name it: readers in every language get it in English."""
    unseen = [
        place
        for top in ("cms", "courses", "assessments")
        for path in sorted((ROOT / top).rglob("*.py"))
        for place in _unseen_calls(path)
    ]
    assert not unseen, "; ".join(unseen)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_registry_s_forms_speak_the_reader_s_language(language):
    """The registry's labels and budget errors, once marked where `makemessages` missed them."""
    from cms.programs.forms import BudgetForm, ProgrammeForm

    with translation.override(language):
        form = BudgetForm(data={"funder": "EU", "amount": "-1", "currency": "EUR"})
        assert not form.is_valid()
        shown = [
            str(ProgrammeForm().fields["reporting_org"].label),
            str(ProgrammeForm().fields["participants_female"].label),
            form.errors["amount"][0],
        ]
    english = ["Reporting organisation", "Women", "Budget amount: more than zero."]
    assert all(text != plain for text, plain in zip(shown, english, strict=True)), shown

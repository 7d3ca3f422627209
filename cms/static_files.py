"""The storages of Flightpath's static files, each file's address worked out once per process.

Every page names the same few files (`{% static %}`: the style sheet, the icon, the
dashboards' scripts), and working out an address took 35 µs (joining it to `STATIC_URL`, and
in production looking up its hashed name in the manifest): a dashboard names six. The files a
process serves do not change under it, since a deploy starts new processes."""

from django.contrib.staticfiles import storage
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Names from templates are a few dozen; a name that came from elsewhere is worked out each time
# beyond this many, so that nothing grows without bound.
REMEMBERED = 512


class RememberedURLs:
    """A static files storage whose `url(name)` is remembered per name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, *args, **kwargs):
        if args or kwargs:  # (the manifest's `force`)
            return super().url(name, *args, **kwargs)
        found = self._urls.get(name)
        if found is None:
            found = super().url(name)
            if len(self._urls) < REMEMBERED:
                self._urls[name] = found
        return found


class StaticFilesStorage(RememberedURLs, storage.StaticFilesStorage):
    """Development, tests and the benchmarks: the files as they are."""


class ManifestStorage(RememberedURLs, CompressedManifestStaticFilesStorage):
    """Production: hashed and compressed names, served by WhiteNoise."""

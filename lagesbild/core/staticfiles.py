"""Static files: hashed names, gzip and Brotli copies, served by WhiteNoise with far-future caching.

`collectstatic` (run by `make setup`) writes each file under a name with its content hash
(`site.3f2a….css`) plus `.gz` and `.br` copies; WhiteNoise serves those names with
`Cache-Control: max-age=315360000, immutable` and picks the compressed copy the browser accepts.
A page then never waits for a stylesheet it already has, and a changed file gets a new name.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed manifest storage that degrades instead of failing.

    Before `collectstatic` has run (a fresh checkout started with `lagesbild serve`), or for a
    file added since, a page links the plain name (which WhiteNoise serves from the app folders,
    with a short cache time) instead of answering 500.
    """

    manifest_strict = False

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:  # not collected yet
            return name

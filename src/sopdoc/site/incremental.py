"""The site built only as far as it changed, with the same bytes as a full build.

After every successful site build, `SiteState` (beside the build state, in the output folder)
records what MkDocs read: a digest of each page and of the configuration, the stamp of each
published document, the front matter of each page, and the signature of site/ as it was left.
The next build compares and chooses:

- nothing changed (and site/ is as it was left): MkDocs does not run, site/ is not touched;
- only page bodies or published documents changed: a partial build. MkDocs' own dirty build
  renders the changed pages into an empty folder; the pages' search entries are merged into the
  previous index in MkDocs' page order; every other file of site/ is hard-linked beside them
  (MkDocs never writes into a linked file: its folder starts empty), and the folder replaces
  site/ as a full build's does;
- anything else (the set of pages, a title, tags or description, the configuration or the
  menu, the theme overrides, the stylesheet, a tag listing, no record, or a site/ that changed
  since): a full build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sopdoc.fileio import write_atomic
from sopdoc.site.result import FULL, PARTIAL, UNCHANGED

SITE_STATE_FILE = ".sopdoc-situs.json"  # in the output folder, beside .sopdoc-build.json
_STATE_VERSION = 2
ASSETS = "assets/"  # the stylesheet: a change rebuilds everything
LISTING_MARKER = b"<!-- material/tags"  # a page holding a tag listing (it lists every page)
_DIRTY_NOTICE = "A 'dirty' build is being performed"
SEARCH_INDEX = "search/search_index.json"


def front_matter_of(text: bytes) -> bytes:
    """The YAML front matter of a page ("---" to "---"), empty when it has none."""
    if not text.startswith(b"---\n"):
        return b""
    end = text.find(b"\n---\n", 3)
    return text[:end + 5] if end >= 0 else b""


@dataclass
class SiteState:
    """What the last successful site build read and left."""

    site_dir: str
    stamp: str  # everything the site is made from (see mkdocs_build.inputs_stamp)
    config: str  # the configuration, theme overrides, versions, the site's date
    files: dict[str, str]  # docs tree: page/asset -> digest of its bytes, document -> its file stamp
    fronts: dict[str, str]  # page -> digest of its front matter
    keys: dict[str, str]  # SOP and office page -> its key (its text's digest is in `files`)
    site: str  # signature of site/ after the build
    page_count: int = 0
    stale: list[str] = field(default_factory=list)  # stale signed copies, for the warning

    @staticmethod
    def read(path: Path) -> SiteState | None:
        try:
            values = json.loads(path.read_text(encoding="utf-8"))
            if values.pop("versi") != _STATE_VERSION:
                return None
            return SiteState(**values)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None

    def save(self, path: Path) -> None:
        values = {"versi": _STATE_VERSION, **self.__dict__}
        write_atomic(path, json.dumps(values, ensure_ascii=False, sort_keys=True, indent=0) + "\n")

    def page_text(self, docs: Path, name: str, key: str) -> bytes | None:
        """The page `name` as the last build wrote it for `key`, if it is still on disk as written."""
        if self.keys.get(name) != key or name not in self.files:
            return None
        try:
            text = (docs / name).read_bytes()
        except OSError:
            return None
        return text if hashlib.sha256(text).hexdigest() == self.files[name] else None


@dataclass(frozen=True)
class Plan:
    kind: str  # UNCHANGED (nothing to build), PARTIAL or FULL: what the site build then did
    read: frozenset[str] = frozenset()  # pages MkDocs reads (the changed ones and the tag listings)
    write: frozenset[str] = frozenset()  # files MkDocs writes: the changed pages and documents
    reason: str = ""


def plan_build(previous: SiteState | None, config: str, files: dict[str, str], fronts: dict[str, str],
               listings: set[str]) -> Plan:
    """What to build, given the last build's record (None: unknown, or site/ changed since)."""
    if previous is None:
        return Plan(FULL, reason="tidak ada catatan build sebelumnya")
    if previous.config != config:
        return Plan(FULL, reason="konfigurasi berubah")
    if files == previous.files:
        return Plan(UNCHANGED)
    if files.keys() != previous.files.keys():
        return Plan(FULL, reason="daftar halaman atau berkas berubah")
    changed = {name for name, value in files.items() if previous.files[name] != value}
    pages = {name for name in changed if name.endswith(".md")}
    if any(fronts.get(name) != previous.fronts.get(name) for name in pages):
        return Plan(FULL, reason="judul, deskripsi, atau kategori halaman berubah")
    if any(name.startswith(ASSETS) for name in changed) or changed & listings:
        return Plan(FULL, reason="aset atau halaman kategori berubah")
    return Plan(PARTIAL, frozenset(pages | listings), frozenset(changed))


class _DirtyNoticeFilter(logging.Filter):
    """MkDocs warns of every dirty build that its navigation may be inaccurate; here the pages
    that could be are always rebuilt in full, so only this one record is dropped (strict mode
    would fail on it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno == logging.WARNING and record.getMessage().startswith(_DIRTY_NOTICE))


@contextlib.contextmanager
def dirty_notice_dropped() -> Iterator[None]:
    logger = logging.getLogger("mkdocs.commands.build")
    found = _DirtyNoticeFilter()
    logger.addFilter(found)
    try:
        yield
    finally:
        logger.removeFilter(found)


_compiled: dict[str, bytes] = {}  # Jinja bucket key -> compiled template


def compiled_templates():
    """A Jinja bytecode cache in memory, kept between the builds of one process (`sopdoc serve`),
    so that a partial build does not compile Material's templates again. Jinja checks each entry
    against its template's source."""
    import jinja2

    class InMemory(jinja2.BytecodeCache):
        def load_bytecode(self, bucket) -> None:
            if bucket.key in _compiled:
                bucket.bytecode_from_string(_compiled[bucket.key])

        def dump_bytecode(self, bucket) -> None:
            _compiled[bucket.key] = bucket.bytecode_to_string()

    return InMemory()


def partial_plugin(plan: Plan):
    """A MkDocs plugin for a dirty build into an empty folder that reads exactly `plan.read`
    (a tag listing must be read for the pages' tags to link to it) and writes exactly
    `plan.write`. MkDocs asks `File.is_modified` both times; the answer is the plan's, never
    the files' times."""
    from material.plugins.tags.plugin import TagsPlugin
    from mkdocs.plugins import BasePlugin, event_priority

    class PartialBuild(BasePlugin):
        def __init__(self) -> None:
            super().__init__()
            self.writing = False
            self.kept: set[str] = set()  # what the tags plugin exports: the previous build's stays
            self.page_urls: list[str] = []  # every page, in the order a full build indexes them
            self.built: set[str] = set()  # the pages written

        def modified(self, name: str) -> bool:
            return name in (plan.write if self.writing else plan.read)

        @event_priority(100)  # before the search plugin, which renders a template of the theme
        def on_config(self, config):
            theme_env = config.theme.get_env

            def env_with_compiled_templates():
                env = theme_env()
                env.bytecode_cache = compiled_templates()
                return env

            config.theme.get_env = env_with_compiled_templates  # this build's theme only
            return config

        @event_priority(-100)  # after every other plugin's files
        def on_files(self, files, *, config):
            for file in files:
                file.is_modified = lambda name=file.src_uri: self.modified(name)
            return files

        @event_priority(-100)
        def on_env(self, env, *, config, files):
            self.writing = True  # pages are read; from here MkDocs writes
            # 404.html and sitemap.xml depend on the menu, the set of pages and the site's date
            # only, which a partial build has unchanged: site/'s stay.
            config.theme.static_templates.clear()
            self.kept = {plugin.config.export_file for plugin in config.plugins.values()
                         if isinstance(plugin, TagsPlugin) and plugin.config.enabled and plugin.config.export}
            self.page_urls = [file.page.url if file.page else file.url for file in files.documentation_pages()]
            return env

        def on_post_page(self, output, *, page, config):
            self.built.add(page.url)
            return output

    return PartialBuild()


class IndexMismatch(Exception):
    """The previous search index does not belong to these pages: build in full instead."""


def _by_page(docs: list[dict]) -> dict[str, list[dict]]:
    pages: dict[str, list[dict]] = {}
    for entry in docs:
        pages.setdefault(str(entry["location"]).split("#", 1)[0], []).append(entry)
    return pages


def merged_search_index(previous: bytes, partial: bytes, page_urls: list[str], built: set[str]) -> bytes:
    """The search index of the whole site: the rebuilt pages' entries from `partial`, the others'
    from `previous`, page after page in MkDocs' order, serialized as Material's search plugin
    does (material/plugins/search/plugin.py, generate_search_index): the bytes a full build writes."""
    try:
        old, new = json.loads(previous), json.loads(partial)
        old_pages, new_pages = _by_page(old["docs"]), _by_page(new["docs"])
    except (ValueError, KeyError, TypeError) as exc:
        raise IndexMismatch(str(exc)) from None
    if not set(old_pages) <= set(page_urls) or not set(new_pages) <= built:
        raise IndexMismatch("entri indeks pencarian untuk halaman yang tidak ada")
    docs = []
    for url in page_urls:
        docs.extend((new_pages if url in built else old_pages).get(url, []))
    return json.dumps({"config": new["config"], "docs": docs}, separators=(",", ":"), default=str).encode("utf-8")


def link_unchanged(site_dir: Path, staging: Path, kept: set[str],
                   site_files: dict[str, os.stat_result]) -> dict[str, os.stat_result]:
    """Complete the partial build in `staging` from site/ (whose files are `site_files`): every file
    it did not write, and every file it wrote with the bytes site/ has, hard-linked from site/
    (same bytes and time; copied where the file system cannot link). The files `kept` (the tags
    plugin's export, which lists every page's tags, and so only those that were read) are site/'s
    whatever was written. Returns the files of `staging`."""
    from sopdoc.site.stamps import folder_files

    written = folder_files(staging)
    folders = {""}
    result = dict(written)
    old_root, new_root = str(site_dir), str(staging)
    for name, stat in site_files.items():
        source, target = os.path.join(old_root, name), os.path.join(new_root, name)
        if name in written:
            if name not in kept and (written[name].st_size != stat.st_size or _read(target) != _read(source)):
                continue  # changed: the new file stays
            os.unlink(target)
        folder = os.path.dirname(name)
        if folder not in folders:
            os.makedirs(os.path.join(new_root, folder), exist_ok=True)
            folders.add(folder)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
            stat = os.stat(target)
        result[name] = stat
    return result


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()

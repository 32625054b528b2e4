"""Build the public site: write the docs tree (site_pages) under <out>/situs, then run MkDocs
(strict: any warning fails the build) into a fresh folder that replaces site/ only when it built.

The generated <out>/situs.yml inherits the project's mkdocs.yml and adds what comes from the
sources (the pages folder, the menu), so `mkdocs build --strict -f build/situs.yml` by hand builds
the same site.

Only what changed is built again (see incremental.py): when nothing the site is made from
changed, neither the pages nor MkDocs run and site/ is left as it is; when only pages' bodies or
documents changed, MkDocs renders only those pages.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import gc
import hashlib
import os
import shutil
import tempfile
from importlib.metadata import version
from pathlib import Path

import yaml

from sopdoc.build.outputs import SITE_CONFIG_FILE, SITE_DOCS_FOLDER, SITE_LOCK_FILE, SITE_THEME_FOLDER
from sopdoc.errors import SopdocError
from sopdoc.build.lock import FolderLock
from sopdoc.fileio import replace_folder, write_atomic
from sopdoc.fingerprint import code_fingerprint, digest_of, stat_stamp
from sopdoc.logs import collected_log
from sopdoc.model import Project
from sopdoc.reproducible import epoch_of, source_date_epoch
from sopdoc.site.config import site_dir_of
from sopdoc.site.incremental import (
    LISTING_MARKER, SEARCH_INDEX, SITE_STATE_FILE, IndexMismatch, Plan, SiteState, dirty_notice_dropped,
    front_matter_of, link_unchanged, merged_search_index, partial_plugin, plan_build,
)
from sopdoc.site.pages import SiteTree, model_key, navigation, site_pages
from sopdoc.site.result import FULL, PARTIAL, UNCHANGED, SiteResult
from sopdoc.site.stamps import file_stamp, folder_files, signature_of

THEME_OVERRIDES = Path(__file__).resolve().parent / "templates" / "tema"
_STAMP_VERSION = "1"


class SiteError(SopdocError):
    pass


def site_name_of(config: Path) -> str:
    """site_name of mkdocs.yml, for the home page heading. Only this key is read, with a loader
    that ignores MkDocs' own tags (!ENV, !relative)."""
    class _Lenient(yaml.SafeLoader):
        pass

    _Lenient.add_multi_constructor("!", lambda loader, suffix, node: None)
    try:
        values = yaml.load(config.read_text(encoding="utf-8"), Loader=_Lenient) or {}
    except OSError as exc:
        raise SiteError(f"{config}: tidak dapat dibaca ({exc.strerror})") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{config}:{mark.line + 1}:{mark.column + 1}" if mark else str(config)
        raise SiteError(f"{where}: mkdocs.yml tidak valid ({exc.problem or exc.context})") from None
    if not isinstance(values, dict):
        raise SiteError(f"{config}:1:1: mkdocs.yml tidak valid (isinya harus berupa pasangan kunci: nilai)")
    return str(values.get("site_name") or "Standar Operasional Prosedur")


def sync_tree(root: Path, files: dict[str, bytes | Path], known: frozenset[str] = frozenset()) -> None:
    """Make `root` hold exactly `files`: rewrite what changed, link built documents in, remove the
    rest. Unchanged files keep their mtime, so MkDocs and rsync see no change. `known`: files
    already read back from `root` as they are given, not compared again."""
    root.mkdir(parents=True, exist_ok=True)
    present = folder_files(root)
    base = str(root)
    for relative, content in files.items():
        target = os.path.join(base, relative)
        current = present.get(relative)
        if isinstance(content, Path):
            source = os.stat(content)
            if current is not None and (current.st_ino, current.st_dev) == (source.st_ino, source.st_dev):
                continue
            os.makedirs(os.path.dirname(target), exist_ok=True)
            staging = os.path.join(os.path.dirname(target), f".{os.path.basename(target)}.{os.getpid()}.tmp")
            with contextlib.suppress(FileNotFoundError):
                os.unlink(staging)
            try:
                os.link(content, staging)
            except OSError:  # another file system: copy instead
                shutil.copyfile(content, staging)
            os.replace(staging, target)
        elif relative in known and current is not None:
            continue
        elif current is None or current.st_size != len(content) or Path(target).read_bytes() != content:
            write_atomic(Path(target), content)
    unwanted = [relative for relative in present if relative not in files]
    for relative in unwanted:
        os.unlink(os.path.join(base, relative))
    if unwanted:
        for folder, subfolders, names in os.walk(root, topdown=False):
            if not subfolders and not names and Path(folder) != root:
                with contextlib.suppress(OSError):  # not empty after all: a subfolder is left
                    os.rmdir(folder)


def write_config(out: Path, project_config: Path, site_dir: Path, nav: list) -> Path:
    config = out / SITE_CONFIG_FILE
    values = {
        "INHERIT": os.path.relpath(project_config, out),
        "docs_dir": SITE_DOCS_FOLDER,
        "theme": {"custom_dir": SITE_THEME_FOLDER},  # merged into mkdocs.yml's theme by INHERIT
        "site_dir": os.path.relpath(site_dir, out),
        "nav": nav,
    }
    header = "# Written by `sopdoc build` from the sources; edit mkdocs.yml instead.\n"
    write_atomic(config, (header + yaml.safe_dump(values, allow_unicode=True, sort_keys=False)).encode())
    return config


def newest_date(project: Project) -> _dt.date:
    """The site's date (MkDocs stamps sitemap.xml with it): the newest SOP or decree date."""
    dates = [sop.tanggal_revisi or sop.tanggal_efektif for sop in project.sops]
    dates += [decree.tanggal for entry in project.offices for decree in entry.office.keputusan]
    return max(dates, default=_dt.date(2000, 1, 1))


def _versions() -> str:
    return f"mkdocs {version('mkdocs')}, mkdocs-material {version('mkdocs-material')}"


def _theme_files() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(THEME_OVERRIDES.iterdir())}


def inputs_stamp(project: Project, out: Path, project_config: Path, site_dir: Path, theme_parts: list[bytes | str],
                 sop_keys: dict[tuple[str, str], str], versions: str, config_bytes: bytes) -> str:
    """A digest of everything the site is made from, cheap enough for every build: sopdoc's code
    and the site packages' versions, mkdocs.yml, the theme overrides, each office and the key of
    each SOP's model, and the stamp of every file in each office's output folder (the documents
    and their signed copies). `theme_parts`, `versions`, `config_bytes`: the theme's names and
    bytes, the site packages' versions and mkdocs.yml's bytes, read once for both digests."""
    parts: list[bytes | str] = [_STAMP_VERSION, code_fingerprint(), versions, str(project_config),
                                config_bytes, str(site_dir), str(out.resolve()), *theme_parts]
    for entry in project.offices:
        office = entry.office
        parts.append(repr(office))
        parts += [f"{sop.slug} {sop_keys[(office.slug, sop.slug)]} {sop.is_draft}" for sop in entry.sops]
        parts += [f"{name} {stat_stamp(stat)}"
                  for name, stat in sorted(folder_files(out / office.slug).items())]
    return digest_of(*parts)


def _describe(tree: SiteTree, previous: SiteState | None) -> tuple[dict[str, str], dict[str, str], set[str]]:
    """What MkDocs reads of the docs tree: each file's digest (a document's stamp), each page's
    front matter, and the pages holding a tag listing. A page the tree reused from the `previous`
    build has the digests recorded then (its bytes were checked against them)."""
    files, fronts, listings = {}, {}, set()
    for name, content in tree.files.items():
        if isinstance(content, Path):
            files[name] = "berkas " + file_stamp(content)
            continue
        reused = previous is not None and name in tree.reused
        files[name] = previous.files[name] if reused else hashlib.sha256(content).hexdigest()
        if name.endswith(".md"):
            fronts[name] = previous.fronts[name] if reused else hashlib.sha256(front_matter_of(content)).hexdigest()
            if LISTING_MARKER in content:
                listings.add(name)
    return files, fronts, listings


def _mkdocs_failed(exc: BaseException, messages: list[str]) -> SiteError:
    details = "; ".join(messages) or str(exc)
    return SiteError(f"situs gagal dibangun dengan MkDocs: {details}")


def _run_mkdocs(config_path: Path, site_dir: Path, plan: Plan,
                site_files: dict[str, os.stat_result]) -> tuple[int | None, dict[str, os.stat_result]]:
    """MkDocs into a fresh folder beside site/ that then replaces it: every page (a full build),
    or only `plan.write` with the rest of site/ (whose files are `site_files`) linked in (a
    partial one). Returns the pages a partial build rendered, and the files of the new site/."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.", suffix=".new", dir=site_dir.parent))
    try:
        with collected_log("mkdocs") as log:
            try:
                config = load_config(str(config_path), site_dir=str(staging), strict=True)
                if plan.kind == FULL:
                    mkdocs_build(config)
                    rebuilt = None
                else:
                    partial = config.plugins["sopdoc/sebagian"] = partial_plugin(plan)
                    with dirty_notice_dropped():
                        mkdocs_build(config, dirty=True)
                    rebuilt = len(partial.built)
            except (MkDocsException, SystemExit, OSError) as exc:
                raise _mkdocs_failed(exc, log.messages) from None
        if plan.kind == PARTIAL:
            index = staging / SEARCH_INDEX
            if index.is_file() or (site_dir / SEARCH_INDEX).is_file():
                try:
                    previous = (site_dir / SEARCH_INDEX).read_bytes()
                except OSError as exc:
                    raise IndexMismatch(str(exc)) from None
                merged = merged_search_index(previous, index.read_bytes(), partial.page_urls, partial.built)
                index.write_bytes(merged)  # MkDocs just wrote it into the empty folder: no other name links it
            files = link_unchanged(site_dir, staging, partial.kept, site_files)
        else:
            files = folder_files(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    replace_folder(staging, site_dir)
    return rebuilt, files


@contextlib.contextmanager
def _long_lived_objects_frozen():
    """The model of a thousand SOPs is millions of objects that outlive the site build; the cycle
    collector's full passes over them took a fifth of a partial build. Frozen, they are not
    scanned (nothing is freed that would have been: they are all still referenced)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def build_site(project: Project, out: Path, project_config: Path, *,
               sop_keys: dict[tuple[str, str], str] | None = None, force: bool = False) -> SiteResult:
    """Write the docs tree from `project` and the documents under `out`, then build the site
    into site/ beside mkdocs.yml, as far as it changed since the last build (all of it with
    `force`). `sop_keys`: (office, SOP) -> a digest of that SOP's model (the build's input keys);
    computed here when not given."""
    with _long_lived_objects_frozen():
        return _build_site(project, out, project_config, sop_keys, force)


def _build_site(project: Project, out: Path, project_config: Path, sop_keys: dict[tuple[str, str], str] | None,
                force: bool) -> SiteResult:
    site_dir = site_dir_of(project_config)
    site_name = site_name_of(project_config)
    theme = _theme_files()
    theme_parts = [part for name, data in theme.items() for part in (name, data)]
    versions, config_bytes = _versions(), project_config.read_bytes()
    given = sop_keys or {}
    keys = {(sop.office.slug, sop.slug): given.get((sop.office.slug, sop.slug)) or model_key(sop)
            for sop in project.sops}
    stamp = inputs_stamp(project, out, project_config, site_dir, theme_parts, keys, versions, config_bytes)
    state_path = out / SITE_STATE_FILE

    # One site build at a time beside mkdocs.yml (two output folders may share it); under the lock,
    # what a killed build left behind can go.
    with FolderLock(site_dir.parent, SITE_LOCK_FILE, wait=lambda holder: None):
        for leftover in site_dir.parent.glob(f".{site_dir.name}.*.new"):
            shutil.rmtree(leftover, ignore_errors=True)
        previous = None if force else SiteState.read(state_path)
        site_files = folder_files(site_dir)
        signature = signature_of(site_files) if site_dir.is_dir() else "-"
        if previous is not None and (previous.site_dir != str(site_dir) or previous.site != signature):
            previous = None  # site/ is not the one recorded: another build or a hand replaced it
        if previous is not None and previous.stamp == stamp:
            return SiteResult(site_dir, previous.page_count, tuple(Path(path) for path in previous.stale), UNCHANGED)

        docs = out / SITE_DOCS_FOLDER
        cached = (lambda name, key: previous.page_text(docs, name, key)) if previous is not None else None
        tree = site_pages(project, out, site_name, sop_keys=keys, cached=cached)
        sync_tree(docs, tree.files, tree.reused)
        sync_tree(out / SITE_THEME_FOLDER, theme)
        config_path = write_config(out, project_config, site_dir, navigation(project))
        epoch = epoch_of(newest_date(project))
        config = digest_of(versions, code_fingerprint(), config_path.read_bytes(), config_bytes, *theme_parts,
                           str(epoch), str(site_dir))
        files, fronts, listings = _describe(tree, previous)
        plan = plan_build(previous, config, files, fronts, listings)
        rebuilt = 0
        if plan.kind != UNCHANGED:
            with source_date_epoch(epoch):
                try:
                    rebuilt, site_files = _run_mkdocs(config_path, site_dir, plan, site_files)
                except IndexMismatch as exc:
                    plan = Plan(FULL, reason=f"indeks pencarian tidak cocok ({exc})")
                    rebuilt, site_files = _run_mkdocs(config_path, site_dir, plan, site_files)
            signature = signature_of(site_files)
        pages = sum(1 for name in tree.files if name.endswith(".md"))
        rebuilt = pages if rebuilt is None else rebuilt
        SiteState(str(site_dir), stamp, config, files, fronts, dict(tree.keys),
                  signature, pages, [str(path) for path in tree.stale_signatures]).save(state_path)
    return SiteResult(site_dir, pages, tree.stale_signatures, plan.kind, rebuilt, plan.reason)

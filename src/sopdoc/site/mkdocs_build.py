"""Build the public site: write the docs tree (site_pages) under <out>/situs, then run MkDocs
(strict: any warning fails the build) into a fresh folder that replaces site/ only when it built.

The generated <out>/situs.yml inherits the project's mkdocs.yml and adds what comes from the
sources (the pages folder, the menu), so `mkdocs build --strict -f build/situs.yml` by hand builds
the same site.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from sopdoc.build.outputs import SITE_CONFIG_FILE, SITE_DOCS_FOLDER, SITE_LOCK_FILE, SITE_THEME_FOLDER
from sopdoc.errors import SopdocError
from sopdoc.build.lock import FolderLock
from sopdoc.fileio import replace_folder, write_atomic
from sopdoc.logs import collected_log
from sopdoc.model import Project
from sopdoc.reproducible import epoch_of, source_date_epoch
from sopdoc.site.config import site_dir_of
from sopdoc.site.pages import navigation, site_pages

THEME_OVERRIDES = Path(__file__).resolve().parent / "templates" / "tema"


class SiteError(SopdocError):
    pass


@dataclass(frozen=True)
class SiteResult:
    site_dir: Path
    pages: int
    stale_signatures: tuple[Path, ...] = ()  # published unsigned: the signature is of an older build


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


def sync_tree(root: Path, files: dict[str, bytes | Path]) -> None:
    """Make `root` hold exactly `files`: rewrite what changed, link built documents in, remove the
    rest. Unchanged files keep their mtime, so MkDocs and rsync see no change."""
    root.mkdir(parents=True, exist_ok=True)
    for relative, content in files.items():
        target = root / relative
        if isinstance(content, Path):
            if target.exists() and os.path.samefile(target, content):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            with contextlib.suppress(FileNotFoundError):
                staging.unlink()
            try:
                os.link(content, staging)
            except OSError:  # another file system: copy instead
                shutil.copyfile(content, staging)
            os.replace(staging, target)
        elif not (target.is_file() and target.read_bytes() == content):
            write_atomic(target, content)
    wanted = {root / relative for relative in files}
    for path in sorted(root.rglob("*"), reverse=True):  # children before their folders
        if path.is_file() and path not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


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


def build_site(project: Project, out: Path, project_config: Path) -> SiteResult:
    """Write the docs tree from `project` and the documents under `out`, then build the site
    into site/ beside mkdocs.yml."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    site_dir = site_dir_of(project_config)
    tree = site_pages(project, out, site_name_of(project_config))
    sync_tree(out / SITE_DOCS_FOLDER, tree.files)
    sync_tree(out / SITE_THEME_FOLDER, {p.name: p.read_bytes() for p in sorted(THEME_OVERRIDES.iterdir())})
    config_path = write_config(out, project_config, site_dir, navigation(project))

    # One site build at a time beside mkdocs.yml (two output folders may share it); under the lock,
    # what a killed build left behind can go.
    with FolderLock(site_dir.parent, SITE_LOCK_FILE, wait=lambda holder: None):
        for leftover in site_dir.parent.glob(f".{site_dir.name}.*.new"):
            shutil.rmtree(leftover, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.", suffix=".new", dir=site_dir.parent))
        with collected_log("mkdocs") as log, source_date_epoch(epoch_of(newest_date(project))):
            try:
                config = load_config(str(config_path), site_dir=str(staging), strict=True)
                mkdocs_build(config)
            except (MkDocsException, SystemExit, OSError) as exc:
                shutil.rmtree(staging, ignore_errors=True)
                details = "; ".join(log.messages) or str(exc)
                raise SiteError(f"situs gagal dibangun dengan MkDocs: {details}") from None
        replace_folder(staging, site_dir)
    return SiteResult(site_dir, sum(1 for name in tree.files if name.endswith(".md")), tree.stale_signatures)

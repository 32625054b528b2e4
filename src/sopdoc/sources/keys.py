"""The two source files, `instansi.yml` and an SOP file, as the Records their model classes
declare (see `sopdoc.model`): what the loader checks and what `sopdoc schema` exports."""

from __future__ import annotations

from sopdoc.model import Instansi, Sop
from sopdoc.sources.records import record_of

INSTANSI = record_of(Instansi)
SOP = record_of(Sop)

"""Files -> validated model: located YAML, value kinds and records, the loader, flow checks, the
check cache, scaffolding and synthetic sources."""

"""Revisions of an SOP: what changed between two validated versions (`compare`), read from two
files or from git (`history`), told in Bahasa Indonesia (`report`)."""

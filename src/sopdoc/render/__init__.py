"""Geometry -> bytes. `content` decides what every document shows; `pdf`, `docx` and `graphviz` format it."""

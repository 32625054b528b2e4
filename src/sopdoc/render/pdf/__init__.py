"""The lampiran and the Keputusan as PDF: HTML from Jinja2 templates, then WeasyPrint (PDF/A-3b)."""

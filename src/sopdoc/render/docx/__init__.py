"""The lampiran and the Keputusan as DOCX (python-docx); `wordml` alone touches raw WordprocessingML."""

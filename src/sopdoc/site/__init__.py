"""The public site: pages written from the model, the downloads, the MkDocs build, the local server."""

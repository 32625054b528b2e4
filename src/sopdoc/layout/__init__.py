"""Model -> geometry, no I/O: text metrics, the page plan, the flowchart on each page, the swimlane."""

"""Many SOPs built in parallel and incrementally; `outputs` is the registry of formats and paths."""

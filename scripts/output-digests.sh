#!/usr/bin/env bash
# Prints the SHA-256 of every document and site file sopdoc builds from the corpus and from the
# test projects, one "digest  path" line each, sorted. Run it before and after a change that must
# not change any output (a refactoring) and compare:
#
#   scripts/output-digests.sh > before.txt; ...change...; scripts/output-digests.sh | diff before.txt -
#
# Caches (.sopdoc-*) are left out: they describe the build, they are not its outputs.
set -euo pipefail
cd "$(dirname "$0")/.."
sopdoc=${SOPDOC:-$PWD/.venv/bin/sopdoc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The corpus with its site: a copy of the project layout (mkdocs.yml beside sop_sources/).
mkdir -p "$work/corpus"
cp -r mkdocs.yml sop_sources "$work/corpus/"
(cd "$work/corpus" && "$sopdoc" build sop_sources --out build --jobs 2 >/dev/null) || { echo "output-digests: the corpus did not build" >&2; exit 1; }

# The test projects that build (documents only: they have no mkdocs.yml).
for root in valid a4-paper long-flow; do
  cp -r "tests/roots/$root" "$work/$root"
  "$sopdoc" build "$work/$root" --out "$work/$root-build" --jobs 2 >/dev/null \
    || { echo "output-digests: tests/roots/$root did not build" >&2; exit 1; }
done

cd "$work"
find corpus/build corpus/site ./*-build -type f ! -path '*/.sopdoc-*' -print0 \
  | sort -z | xargs -0 sha256sum

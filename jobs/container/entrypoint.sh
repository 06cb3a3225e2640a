#!/bin/sh
# chunkbench writer: claims and writes tasks of $HS_WRITE_TEST_DOMAIN (an
# hdf5:// domain made by `chunkbench create`) until none is pending, then
# prints the status report. Arguments are passed on to `chunkbench write`.
# HSDS: HS_ENDPOINT, HS_USERNAME, HS_PASSWORD, HS_BUCKET (or ~/.hscfg).
set -eu
if [ -z "${HS_WRITE_TEST_DOMAIN:-}" ]; then
  echo "chunkbench-entrypoint: HS_WRITE_TEST_DOMAIN not set (the hdf5:// domain to write)" >&2
  exit 2
fi
echo "chunkbench writer on $(hostname): ${HS_WRITE_TEST_DOMAIN} at ${HS_ENDPOINT:-the endpoint in .hscfg}"
exec chunkbench write "$HS_WRITE_TEST_DOMAIN" --schedule server "$@"

#!/bin/bash
# Stores the HSDS credentials the pods use as the secret hs-perf-keys (keys
# hs_username, hs_password) in namespace $K8S_NAMESPACE (default hsperf).
# Run again to change them. The password never appears on a command line or
# in a file.
#   HS_USERNAME=me HS_PASSWORD=... jobs/k8s/make_secrets.sh
set -euo pipefail
NS=${K8S_NAMESPACE:-hsperf}
[ -n "${HS_USERNAME:-}" ] || { echo "HS_USERNAME not set" >&2; exit 1; }
[ -n "${HS_PASSWORD:-}" ] || { echo "HS_PASSWORD not set" >&2; exit 1; }
kubectl create secret generic hs-perf-keys --namespace "$NS" \
  --from-file=hs_username=<(printf '%s' "$HS_USERNAME") \
  --from-file=hs_password=<(printf '%s' "$HS_PASSWORD") \
  --dry-run=client --output=yaml |
  kubectl apply --namespace "$NS" -f -

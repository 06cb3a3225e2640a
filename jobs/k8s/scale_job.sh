#!/bin/bash
# Sets how many writer pods the job chunkbench-write runs at once.
#   jobs/k8s/scale_job.sh N        (namespace: $K8S_NAMESPACE, default hsperf)
set -euo pipefail
NS=${K8S_NAMESPACE:-hsperf}
if [ $# -ne 1 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 N   (number of writer pods; 0 pauses the job)" >&2
  exit 2
fi
kubectl patch job chunkbench-write --namespace "$NS" --type=merge -p "{\"spec\":{\"parallelism\":$((10#$1))}}"

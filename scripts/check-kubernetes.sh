#!/usr/bin/env bash
# `make check-kubernetes`: renders the Kubernetes manifests for 1 and 3 shards and validates them
# offline against the schemas of one Kubernetes version (kubernetes-validate ships them; only its
# first install reaches PyPI), checks that the validator refuses a broken manifest, then runs the
# renderer's tests (deploy/tests).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-/usr/bin/python3}
KUBERNETES_VERSION=${KUBERNETES_VERSION:-1.34.0}
VALIDATE_VERSION=1.37.0
venv=.build/kubernetes-validate-$VALIDATE_VERSION
validate=(env PYTHONNOUSERSITE=1 "$venv/bin/kubernetes-validate" --kubernetes-version "$KUBERNETES_VERSION" --strict --quiet)

if [ ! -e "$venv/.installed" ]; then
  echo "installing kubernetes-validate $VALIDATE_VERSION into $venv"
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==$VALIDATE_VERSION"
  touch "$venv/.installed"
fi

out=.build/kubernetes
rm -rf "$out"
for shards in 1 3; do
  "$PYTHON" scripts/render-kubernetes.py --shards "$shards" --out "$out/$shards"
  "$PYTHON" scripts/render-kubernetes.py --shards "$shards" --namespace reviews > "$out/$shards-stdout.yaml"
  "${validate[@]}" "$out/$shards"/*.yaml "$out/$shards-stdout.yaml"
  echo "kubernetes-validate $VALIDATE_VERSION, Kubernetes $KUBERNETES_VERSION, strict: $shards shard(s): $(ls "$out/$shards" | tr '\n' ' ')and the stdout form valid"
done
"${validate[@]}" deploy/kubernetes/*.yaml
echo "kubernetes-validate: deploy/kubernetes/*.yaml valid"

# A pass means something only if a broken manifest fails.
sed 's/^  replicas: 3$/  replicas: three/' "$out/3/statefulset.yaml" > "$out/broken.yaml"
if "${validate[@]}" --no-warn "$out/broken.yaml" > "$out/broken.log" 2>&1; then
  echo "kubernetes-validate accepted a StatefulSet with replicas: three" >&2
  exit 1
fi
echo "kubernetes-validate refuses a broken StatefulSet: $(head -c 200 "$out/broken.log")"

"$PYTHON" -m pytest -q -p no:cacheprovider deploy/tests

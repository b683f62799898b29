#!/usr/bin/env python3
"""Renders the Kubernetes manifests of FindReviewer for N shards (standard library only).

    scripts/render-kubernetes.py --shards 3                      # every manifest to stdout
    scripts/render-kubernetes.py --shards 3 --out DIR            # one file per object in DIR
    scripts/render-kubernetes.py --shards 3 --no-secret --out deploy/kubernetes   # the committed copy

One StatefulSet pod and one PersistentVolumeClaim per shard; pod NAME-i serves shard-i,
reached at NAME-i.NAME[.NAMESPACE.svc.CLUSTER-DOMAIN]:7450 through the headless Service. The
shard map (a ConfigMap) splits the 16384 slots evenly exactly as ShardMap.evenly does
(Sources/Runtime/Sharding/ShardMap.swift): shard i owns i*16384//N ... (i+1)*16384//N - 1.

The keys Secret holds a fresh keys.json (one key per role, as the server generates them) unless
--keys-file gives one; --no-secret leaves it out (re-rendering after a scale must not replace
the keys the clients already hold).
"""

import argparse
import hashlib
import json
import os
import re
import secrets
import sys

SLOT_COUNT = 16384
ROLES = ("admin", "business-portal", "consumer-site", "reviews-ingest")
RPC_PORT = 7450
METRICS_PORT = 7451
SHARD_MAP_DIR = "/etc/findreviewer/shard-map"
KEYS_DIR = "/etc/findreviewer/keys"
DATA_DIR = "/data"
# Seconds the server may need after the drain: stop the timer, the last delivery pass, the last
# journal commit (ServerApp's shutdown order), with room for a slow disk or SMTP relay.
AFTER_DRAIN_SECONDS = 15


def evenly(count):
    """The slot ranges of ShardMap.evenly(count:): [(first, last)] per ordinal."""
    if not 1 <= count <= SLOT_COUNT:
        raise ValueError(f"a map holds 1 to {SLOT_COUNT} shards, not {count}")
    return [(i * SLOT_COUNT // count, (i + 1) * SLOT_COUNT // count - 1) for i in range(count)]


def shard_address(name, ordinal, namespace, cluster_domain):
    """The stable DNS name of pod NAME-ORDINAL under the headless Service NAME, with the RPC port."""
    host = f"{name}-{ordinal}.{name}"
    if namespace:
        host += f".{namespace}.svc.{cluster_domain}"
    return f"{host}:{RPC_PORT}"


def shard_map(count, name, namespace, cluster_domain):
    """The shard map as the JSON object the server and the tools read."""
    return {
        "shards": [
            {
                "name": f"shard-{ordinal}",
                "address": shard_address(name, ordinal, namespace, cluster_domain),
                "slots": [f"{first}-{last}" if first != last else f"{first}"],
            }
            for ordinal, (first, last) in enumerate(evenly(count))
        ]
    }


def shard_map_json(document):
    """Keys sorted like ShardMap.encoded(), one shard a line so that a diff shows what moved."""
    lines = [json.dumps(shard, sort_keys=True, separators=(",", ":")) for shard in document["shards"]]
    return '{"shards":[\n' + ",\n".join(lines) + "\n]}\n"


def generated_keys():
    """One key per role, named after it: `frk_` and 256 random bits in hex (KeysFile.generated)."""
    return {"keys": [{"name": role, "role": role, "key": "frk_" + secrets.token_hex(32)} for role in ROLES]}


def indent(text, spaces):
    pad = " " * spaces
    return "".join(pad + line if line.strip() else line for line in text.splitlines(True))


def metadata(args, name):
    namespace = f"\n  namespace: {args.namespace}" if args.namespace else ""
    return f"""metadata:
  name: {name}{namespace}
  labels:
    app.kubernetes.io/name: {args.name}
    app.kubernetes.io/component: shard"""


def render_service(args):
    return f"""# The headless Service: no virtual IP, one stable DNS name per pod
# ({args.name}-0.{args.name}, {args.name}-1.{args.name}, ...), which the shard map uses as the shards'
# addresses. Clients route each call to its business's shard themselves.
apiVersion: v1
kind: Service
{metadata(args, args.name)}
spec:
  clusterIP: None
  selector:
    app.kubernetes.io/name: {args.name}
    app.kubernetes.io/component: shard
  ports:
    - name: rpc
      port: {RPC_PORT}
      targetPort: rpc
      protocol: TCP
    - name: metrics
      port: {METRICS_PORT}
      targetPort: metrics
      protocol: TCP
"""


def render_shard_map(args, text):
    return f"""# The shard map: which shard (name, address) owns which of the 16384 slots, split evenly over
# {args.shards} shard(s) as ShardMap.evenly does. Every pod reads it at start (--shard-map);
# clients read the same file (findreviewer --shard-map FILE, or FINDREVIEWER_SHARD_MAP).
apiVersion: v1
kind: ConfigMap
{metadata(args, args.name + "-shard-map")}
data:
  shard-map.json: |
{indent(text, 4)}"""


def render_secret(args, keys_text):
    return f"""# The API keys (keys.json: Sources/Runtime/Credentials/KeysFile.swift; README "Keys file"). Every shard
# accepts the same keys, so a client holds one key per role for the whole cluster.
apiVersion: v1
kind: Secret
{metadata(args, args.name + "-keys")}
type: Opaque
stringData:
  keys.json: |
{indent(keys_text, 4)}"""


def render_pdb(args):
    return f"""# At most one shard down at a time for voluntary disruptions (node drains, upgrades). Each
# shard is the only owner of its slots: while its pod is away, its businesses' calls fail
# with UNAVAILABLE and the other shards keep serving theirs.
apiVersion: policy/v1
kind: PodDisruptionBudget
{metadata(args, args.name)}
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: {args.name}
      app.kubernetes.io/component: shard
"""


def server_script(args):
    """The container's `sh -c` script: the shard name from the pod's ordinal, then exec the server
    (so that it is PID 1 and receives SIGTERM itself)."""
    return (
        'exec findreviewer-server --shard "shard-${POD_NAME##*-}"'
        f" --shard-map {SHARD_MAP_DIR}/shard-map.json"
        f" --listen 0.0.0.0:{RPC_PORT} --metrics-listen 0.0.0.0:{METRICS_PORT}"
        f" --data-dir {DATA_DIR} --keys-file {KEYS_DIR}/keys.json"
        f" --shutdown-delay {args.shutdown_delay} --drain-timeout {args.drain_timeout}"
        f" --event-loops {args.event_loops} --log-format json"
    )


def render_statefulset(args, map_text):
    grace = args.shutdown_delay + args.drain_timeout + AFTER_DRAIN_SECONDS
    map_digest = hashlib.sha256(map_text.encode()).hexdigest()
    storage_class = f"\n        storageClassName: {args.storage_class}" if args.storage_class else ""
    return f"""# One pod and one volume per shard: pod {args.name}-i serves shard-i (the name comes from the
# pod's ordinal, the suffix of its name), with its journal and snapshots on its own
# PersistentVolumeClaim data-{args.name}-i, which survives restarts, rescheduling and scaling.
apiVersion: apps/v1
kind: StatefulSet
{metadata(args, args.name)}
spec:
  serviceName: {args.name}
  replicas: {args.shards}
  # Shards are independent: start and stop them all at once rather than one after another.
  podManagementPolicy: Parallel
  updateStrategy:
    type: RollingUpdate
  # Scaling down or deleting the StatefulSet keeps the volumes (and the businesses on them).
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  selector:
    matchLabels:
      app.kubernetes.io/name: {args.name}
      app.kubernetes.io/component: shard
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {args.name}
        app.kubernetes.io/component: shard
      annotations:
        # A new shard map rolls the pods (each reads the map once, at start).
        findreviewer/shard-map-sha256: "{map_digest}"
        prometheus.io/scrape: "true"
        prometheus.io/port: "{METRICS_PORT}"
    spec:
      # SIGTERM, then --shutdown-delay {args.shutdown_delay} s still serving with /readyz at 503,
      # then GOAWAY and --drain-timeout {args.drain_timeout} s for the calls in flight, then the
      # timer stops, the last delivery pass and the last journal commit ({AFTER_DRAIN_SECONDS} s allowed):
      # {args.shutdown_delay} + {args.drain_timeout} + {AFTER_DRAIN_SECONDS} = {grace} s before the kubelet's SIGKILL.
      terminationGracePeriodSeconds: {grace}
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        # The image's user (deploy/Dockerfile); fsGroup makes the volume writable to it.
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        fsGroup: 10001
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: server
          image: {args.image}
          imagePullPolicy: IfNotPresent
          command:
            - sh
            - -c
            - >-
              {server_script(args)}
          env:
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            # For `kubectl exec {args.name}-0 -- findreviewer ...`: this pod's server and the map.
            - name: FINDREVIEWER_SERVER
              value: "127.0.0.1:{RPC_PORT}"
            - name: FINDREVIEWER_SHARD_MAP
              value: {SHARD_MAP_DIR}/shard-map.json
          ports:
            - name: rpc
              containerPort: {RPC_PORT}
              protocol: TCP
            - name: metrics
              containerPort: {METRICS_PORT}
              protocol: TCP
          # /readyz: 200 "serving"; 503 while starting, recovering (snapshot and journal
          # replay) and draining. /healthz: 200 while the process runs, recovery included.
          readinessProbe:
            httpGet:
              path: /readyz
              port: metrics
            periodSeconds: 2
            timeoutSeconds: 2
            failureThreshold: 1
          livenessProbe:
            httpGet:
              path: /healthz
              port: metrics
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources:
            # Starting points; the state is in memory (README "Data directory").
            requests:
              cpu: {args.cpu}
              memory: {args.memory}
            limits:
              memory: {args.memory_limit}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: {DATA_DIR}
            - name: shard-map
              mountPath: {SHARD_MAP_DIR}
              readOnly: true
            - name: keys
              mountPath: {KEYS_DIR}
              readOnly: true
      volumes:
        - name: shard-map
          configMap:
            name: {args.name}-shard-map
        - name: keys
          secret:
            secretName: {args.name}-keys
            defaultMode: 0440
  volumeClaimTemplates:
    - metadata:
        name: data
        labels:
          app.kubernetes.io/name: {args.name}
          app.kubernetes.io/component: shard
      spec:
        accessModes:
          - ReadWriteOnce{storage_class}
        resources:
          requests:
            storage: {args.storage}
"""


def render(args):
    """[(file name, YAML text)] in the order they are applied."""
    if not re.fullmatch(r"[a-z]([-a-z0-9]{0,40}[a-z0-9])?", args.name):
        raise ValueError(f"--name {args.name!r} must be a DNS label (a-z, 0-9, -), at most 42 characters")
    if args.namespace and not re.fullmatch(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", args.namespace):
        raise ValueError(f"--namespace {args.namespace!r} must be a DNS label")
    map_text = shard_map_json(shard_map(args.shards, args.name, args.namespace, args.cluster_domain))
    files = [
        ("service.yaml", render_service(args)),
        ("configmap-shard-map.yaml", render_shard_map(args, map_text)),
    ]
    if not args.no_secret:
        if args.keys_file:
            with open(args.keys_file, encoding="utf-8") as handle:
                keys_text = handle.read()
            json.loads(keys_text)  # fail here, not in the pods, when it is not JSON
        else:
            keys_text = json.dumps(generated_keys(), indent=2) + "\n"
        files.append(("secret-keys.yaml", render_secret(args, keys_text)))
    files.append(("statefulset.yaml", render_statefulset(args, map_text)))
    files.append(("poddisruptionbudget.yaml", render_pdb(args)))
    return files


def parser():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--shards", type=int, required=True, help="number of shards (pods), 1 to 16384")
    p.add_argument("--out", help="write one file per object into this directory (default: stdout)")
    p.add_argument("--name", default="findreviewer", help="StatefulSet and headless Service name")
    p.add_argument("--namespace", help="namespace of every object; the addresses become NAME-i.NAME.NAMESPACE.svc.DOMAIN")
    p.add_argument("--cluster-domain", default="cluster.local")
    p.add_argument("--image", default="findreviewer-server:0.1.0", help="image built with deploy/Dockerfile")
    p.add_argument("--storage", default="10Gi", help="volume size per shard")
    p.add_argument("--storage-class", help="storage class of the volumes (default: the cluster's)")
    p.add_argument("--cpu", default="500m", help="CPU request per shard")
    p.add_argument("--memory", default="512Mi", help="memory request per shard")
    p.add_argument("--memory-limit", default="2Gi", help="memory limit per shard")
    p.add_argument("--event-loops", type=int, default=2, help="--event-loops of each server")
    p.add_argument("--shutdown-delay", type=int, default=5, help="--shutdown-delay of each server, seconds")
    p.add_argument("--drain-timeout", type=int, default=10, help="--drain-timeout of each server, seconds")
    keys = p.add_mutually_exclusive_group()
    keys.add_argument("--keys-file", help="put this keys.json in the Secret (default: fresh keys)")
    keys.add_argument("--no-secret", action="store_true", help="leave the keys Secret out")
    return p


def main(argv):
    args = parser().parse_args(argv)
    try:
        files = render(args)
    except (ValueError, OSError) as error:
        print(f"render-kubernetes: {error}", file=sys.stderr)
        return 2
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        for file_name, text in files:
            path = os.path.join(args.out, file_name)
            # The Secret only readable by its owner, like keys.json itself.
            mode = 0o600 if file_name.startswith("secret") else 0o644
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
    else:
        sys.stdout.write("---\n".join(text for _, text in files))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The Kubernetes manifests that scripts/render-kubernetes.py renders (run by `make check-kubernetes`)."""

import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "render-kubernetes.py"

ROLES = {"admin", "business-portal", "consumer-site", "reviews-ingest"}


def rendered(*arguments):
    """The objects the script prints for these arguments, by kind."""
    result = subprocess.run([sys.executable, str(SCRIPT), *arguments], capture_output=True, text=True, check=True)
    objects = {}
    for document in yaml.safe_load_all(result.stdout):
        assert document["kind"] not in objects
        objects[document["kind"]] = document
    return objects


def shard_map_of(objects):
    return json.loads(objects["ConfigMap"]["data"]["shard-map.json"])


def slot_range(text):
    first, _, last = text.partition("-")
    return int(first), int(last or first)


def server_script(objects):
    container = objects["StatefulSet"]["spec"]["template"]["spec"]["containers"][0]
    assert container["command"][:2] == ["sh", "-c"]
    return container["command"][2]


def flag(script, name):
    match = re.search(rf"(?:^|\s){re.escape(name)} (\S+)", script)
    assert match, f"{name} not in {script!r}"
    return match.group(1)


@pytest.mark.parametrize("shards", [1, 2, 3, 7, 100])
def test_every_slot_has_exactly_one_owner_split_as_evenly_splits(shards):
    objects = rendered("--shards", str(shards), "--no-secret")
    document = shard_map_of(objects)
    owners = [None] * 16384
    for ordinal, shard in enumerate(document["shards"]):
        assert shard["name"] == f"shard-{ordinal}"
        for text in shard["slots"]:
            first, last = slot_range(text)
            for slot in range(first, last + 1):
                assert owners[slot] is None, f"slot {slot} twice"
                owners[slot] = ordinal
        # ShardMap.evenly: ordinal * 16384 / count ... (ordinal + 1) * 16384 / count - 1
        assert shard["slots"] == [f"{ordinal * 16384 // shards}-{(ordinal + 1) * 16384 // shards - 1}"]
    assert None not in owners
    assert owners == sorted(owners)


def test_three_shards_give_the_ranges_of_the_swift_evenly():
    # The same figures as ShardingTests' "three shards evenly" (ShardMap.evenly(count: 3)).
    document = shard_map_of(rendered("--shards", "3", "--no-secret"))
    assert [shard["slots"] for shard in document["shards"]] == [["0-5460"], ["5461-10921"], ["10922-16383"]]


def test_the_map_is_what_shardmap_decodes():
    # ShardMap's JSON form: {"shards":[{"name","address","slots"}]}, nothing else; HOST:PORT.
    for shard in shard_map_of(rendered("--shards", "3", "--no-secret"))["shards"]:
        assert set(shard) == {"name", "address", "slots"}
        assert re.fullmatch(r"[a-z0-9-]{1,64}", shard["name"])
        host, _, port = shard["address"].rpartition(":")
        assert host and 1 <= int(port) <= 65535


@pytest.mark.parametrize("shards", [1, 3])
def test_addresses_are_the_pods_names_under_the_headless_service(shards):
    objects = rendered("--shards", str(shards), "--no-secret")
    service, statefulset = objects["Service"], objects["StatefulSet"]
    assert service["spec"]["clusterIP"] == "None"
    assert statefulset["spec"]["serviceName"] == service["metadata"]["name"]
    assert statefulset["spec"]["replicas"] == shards
    rpc = next(port for port in service["spec"]["ports"] if port["name"] == "rpc")
    container = statefulset["spec"]["template"]["spec"]["containers"][0]
    assert {"name": "rpc", "containerPort": rpc["port"], "protocol": "TCP"} in container["ports"]
    assert flag(server_script(objects), "--listen") == f"0.0.0.0:{rpc['port']}"
    name = statefulset["metadata"]["name"]
    addresses = [shard["address"] for shard in shard_map_of(objects)["shards"]]
    assert addresses == [f"{name}-{i}.{service['metadata']['name']}:{rpc['port']}" for i in range(shards)]
    # The Service selects exactly the StatefulSet's pods.
    labels = statefulset["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert statefulset["spec"]["selector"]["matchLabels"].items() <= labels.items()


def test_a_namespace_gives_fully_qualified_addresses():
    objects = rendered("--shards", "2", "--no-secret", "--namespace", "reviews", "--cluster-domain", "k8s.internal")
    addresses = [shard["address"] for shard in shard_map_of(objects)["shards"]]
    assert addresses == [f"findreviewer-{i}.findreviewer.reviews.svc.k8s.internal:7450" for i in range(2)]
    assert {obj["metadata"]["namespace"] for obj in objects.values()} == {"reviews"}


@pytest.mark.parametrize("pod", [0, 2])
def test_the_entrypoint_names_the_pods_shard_from_its_ordinal(pod):
    # Runs the container's `sh -c` script with a stand-in server that prints its arguments.
    objects = rendered("--shards", "3", "--no-secret")
    with tempfile.TemporaryDirectory() as directory:
        stand_in = pathlib.Path(directory, "findreviewer-server")
        stand_in.write_text('#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n')
        stand_in.chmod(0o755)
        environment = {"PATH": f"{directory}:/usr/bin:/bin", "POD_NAME": f"findreviewer-{pod}"}
        result = subprocess.run(["sh", "-c", server_script(objects)], env=environment, capture_output=True, text=True, check=True)
    arguments = result.stdout.splitlines()
    shard = arguments[arguments.index("--shard") + 1]
    assert shard == f"shard-{pod}"
    assert shard_map_of(objects)["shards"][pod]["name"] == shard


def test_mounts_match_the_flags():
    objects = rendered("--shards", "3")
    spec = objects["StatefulSet"]["spec"]["template"]["spec"]
    mounts = {mount["name"]: mount["mountPath"] for mount in spec["containers"][0]["volumeMounts"]}
    volumes = {volume["name"]: volume for volume in spec["volumes"]}
    script = server_script(objects)
    assert flag(script, "--shard-map") == mounts["shard-map"] + "/shard-map.json"
    assert volumes["shard-map"]["configMap"]["name"] == objects["ConfigMap"]["metadata"]["name"]
    assert flag(script, "--keys-file") == mounts["keys"] + "/keys.json"
    assert volumes["keys"]["secret"]["secretName"] == objects["Secret"]["metadata"]["name"]
    assert flag(script, "--data-dir") == mounts["data"]
    claim = objects["StatefulSet"]["spec"]["volumeClaimTemplates"][0]
    assert claim["metadata"]["name"] == "data" and "data" not in volumes
    assert spec["containers"][0]["env"][0] == {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}


def test_probes_use_the_metrics_port():
    objects = rendered("--shards", "1", "--no-secret")
    container = objects["StatefulSet"]["spec"]["template"]["spec"]["containers"][0]
    metrics = next(port for port in container["ports"] if port["name"] == "metrics")
    assert flag(server_script(objects), "--metrics-listen") == f"0.0.0.0:{metrics['containerPort']}"
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "metrics"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "metrics"}


@pytest.mark.parametrize("delay,drain", [(5, 10), (0, 0), (30, 120)])
def test_the_grace_period_outlasts_the_shutdown_delay_and_the_drain(delay, drain):
    objects = rendered("--shards", "1", "--no-secret", "--shutdown-delay", str(delay), "--drain-timeout", str(drain))
    script = server_script(objects)
    assert int(flag(script, "--shutdown-delay")) == delay
    assert int(flag(script, "--drain-timeout")) == drain
    grace = objects["StatefulSet"]["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
    assert grace > delay + drain


def test_one_shard_down_at_most_and_non_root():
    objects = rendered("--shards", "3", "--no-secret")
    budget, statefulset = objects["PodDisruptionBudget"], objects["StatefulSet"]
    assert budget["spec"]["maxUnavailable"] == 1
    labels = statefulset["spec"]["template"]["metadata"]["labels"]
    assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items()
    pod = statefulset["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] != 0
    container = pod["containers"][0]
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert set(container["resources"]["requests"]) == {"cpu", "memory"}


def test_a_new_map_rolls_the_pods():
    def digest(shards):
        annotations = rendered("--shards", str(shards), "--no-secret")["StatefulSet"]["spec"]["template"]["metadata"]["annotations"]
        return annotations["findreviewer/shard-map-sha256"]

    assert digest(3) == digest(3)
    assert digest(3) != digest(4)


def test_the_generated_keys_are_what_the_server_accepts():
    keys = json.loads(rendered("--shards", "1")["Secret"]["stringData"]["keys.json"])["keys"]
    assert {key["role"] for key in keys} == ROLES
    assert all(re.fullmatch(r"frk_[0-9a-f]{64}", key["key"]) for key in keys)
    assert len({key["key"] for key in keys}) == len(keys)
    again = json.loads(rendered("--shards", "1")["Secret"]["stringData"]["keys.json"])["keys"]
    assert {key["key"] for key in keys}.isdisjoint(key["key"] for key in again)


def test_a_keys_file_goes_into_the_secret_as_it_is(tmp_path):
    text = '{"keys": [{"name": "admin", "role": "admin", "key": "frk_0123456789abcdef"}]}\n'
    (tmp_path / "keys.json").write_text(text)
    assert rendered("--shards", "1", "--keys-file", str(tmp_path / "keys.json"))["Secret"]["stringData"]["keys.json"] == text
    assert "Secret" not in rendered("--shards", "1", "--no-secret")


def test_bad_arguments_are_refused_with_status_2(tmp_path):
    for arguments in (["--shards", "0"], ["--shards", "16385"], ["--shards", "1", "--name", "Find_Reviewer"]):
        result = subprocess.run([sys.executable, str(SCRIPT), *arguments], capture_output=True, text=True)
        assert result.returncode == 2, arguments
        assert result.stdout == ""
    (tmp_path / "keys.json").write_text("not json")
    result = subprocess.run([sys.executable, str(SCRIPT), "--shards", "1", "--keys-file", str(tmp_path / "keys.json")], capture_output=True)
    assert result.returncode != 0 and result.stdout == b""


def test_out_writes_one_file_per_object_and_the_secret_private(tmp_path):
    subprocess.run([sys.executable, str(SCRIPT), "--shards", "2", "--out", str(tmp_path)], check=True)
    names = sorted(os.listdir(tmp_path))
    assert names == ["configmap-shard-map.yaml", "poddisruptionbudget.yaml", "secret-keys.yaml", "service.yaml", "statefulset.yaml"]
    assert (tmp_path / "secret-keys.yaml").stat().st_mode & 0o077 == 0


def test_the_committed_manifests_are_the_rendering_for_three_shards(tmp_path):
    subprocess.run([sys.executable, str(SCRIPT), "--shards", "3", "--no-secret", "--out", str(tmp_path)], check=True)
    committed = ROOT / "deploy" / "kubernetes"
    for path in sorted(tmp_path.iterdir()):
        assert (committed / path.name).read_text() == path.read_text(), (
            f"deploy/kubernetes/{path.name} is stale: scripts/render-kubernetes.py --shards 3 --no-secret --out deploy/kubernetes"
        )
    assert sorted(p.name for p in committed.glob("*.yaml")) == sorted(p.name for p in tmp_path.iterdir())


def test_every_server_flag_the_pods_use_exists():
    # The flags of Sources/Runtime/FindReviewerServer's option table, --shard and --shard-map included.
    sources = "".join(path.read_text() for path in (ROOT / "Sources" / "Runtime" / "FindReviewerServer").glob("*.swift"))
    defined = set(re.findall(r'"(--[a-z][a-z0-9-]*)"', sources))
    used = set(re.findall(r"(?:^|\s)(--[a-z][a-z0-9-]*)", server_script(rendered("--shards", "1", "--no-secret"))))
    assert {"--listen", "--metrics-listen", "--data-dir", "--keys-file", "--drain-timeout", "--shutdown-delay", "--shard", "--shard-map"} <= used
    assert used <= defined, used - defined

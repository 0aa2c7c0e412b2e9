#!/usr/bin/env bash
# Offline checks of k8s/ (no cluster needed; `kubectl create --dry-run=client` needs an API server for discovery):
#  1. `kubectl kustomize` builds each overlay;
#  2. every object parses into fabric8's typed Kubernetes model (the orchestrator's own client) with no unknown
#     field anywhere (Validate.java);
#  3. the orchestrator's real property records bind from the jar's application*.yml plus the overlay's mounted
#     files and environment, and its real KubernetesJobFactory renders the trainer Job (RenderTrainerJob.java),
#     which is checked like the rest;
#  4. least privilege (least_privilege.py): the Pod Security Standards' fields of every pod against the level the
#     namespace enforces and of every Deployment against "restricted", NetworkPolicies that select existing pods
#     and named ports, a service account token only in the orchestrator;
#  5. a few expectations per overlay (GPU limits, node selection, access mode, policies, labels, image tags);
#  6. where docker/build-images.sh has built the trainer image here, that image started once with the rendered
#     Job's command and environment (run_trainer_job.py).
# Needs kubectl, python3 with PyYAML, unzip, Java 17, and the orchestrator jar (mvn -B -ntp install -DskipTests).
#
#   bash k8s/check/check.sh            # prints the bound settings and "k8s check: OK"
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jar=$root/training-orchestrator/target/training-orchestrator-0.1.0-SNAPSHOT-exec.jar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unzip -q "$jar" 'BOOT-INF/*' -d "$work/jar"
classpath="$work/jar/BOOT-INF/classes:$work/jar/BOOT-INF/lib/*"

expect() {  # expect FILE COUNT PATTERN
    local found
    found=$(grep -c -- "$3" "$1" || true)
    if [ "$found" != "$2" ]; then
        echo "FAIL: $(basename "$1"): expected $2 line(s) matching '$3', found $found" >&2
        exit 1
    fi
}

for overlay in gpu cpu; do
    echo "== overlay $overlay"
    kubectl kustomize "$root/k8s/overlays/$overlay" > "$work/$overlay.yaml"
    mkdir -p "$work/config-$overlay"
    cp "$root/k8s/base/orchestrator/application.yml" "$root/k8s/overlays/$overlay/application-$overlay.yml" \
        "$work/config-$overlay/"
    # The orchestrator pod's environment: the rendered recap-config ConfigMap plus what its Deployment sets.
    (
        eval "$(python3 - "$work/$overlay.yaml" <<'PY'
import shlex, sys, yaml
for doc in yaml.safe_load_all(open(sys.argv[1])):
    if doc and doc["kind"] == "ConfigMap" and doc["metadata"]["name"].startswith("recap-config"):
        for key, value in doc["data"].items():
            print(f"export {key}={shlex.quote(value)}")
PY
)"
        export RECAP_NAMESPACE=recap SPRING_PROFILES_ACTIVE="postgres,$overlay" \
            SPRING_CONFIG_ADDITIONAL_LOCATION="optional:file:$work/config-$overlay/" POSTGRES_USER=u POSTGRES_PASSWORD=p
        java -XX:TieredStopAtLevel=1 -cp "$classpath" "$root/k8s/check/RenderTrainerJob.java" \
            > "$work/job-$overlay.yaml"
    )
    java -XX:TieredStopAtLevel=1 -cp "$classpath" "$root/k8s/check/Validate.java" \
        "$work/$overlay.yaml" "$work/job-$overlay.yaml"
    expect "$work/$overlay.yaml" 4 '^kind: Deployment'
    expect "$work/$overlay.yaml" 3 '^kind: HorizontalPodAutoscaler'
    expect "$work/$overlay.yaml" 4 '/actuator/health/readiness'
    expect "$work/$overlay.yaml" 4 'claimName: recap-store'
    # The store mounted read-only by the three services that only read it (the fourth is the orchestrator's config),
    # and the API key Secret in all four.
    expect "$work/$overlay.yaml" 8 'readOnly: true'
    expect "$work/$overlay.yaml" 4 'secretName: recap-api-keys'
    # Probes on the management port, where only liveness and readiness are open.
    expect "$work/$overlay.yaml" 12 '^ *port: management'
    expect "$work/job-$overlay.yaml" 1 'claimName: "recap-store"'
    expect "$work/job-$overlay.yaml" 1 'mountPath: "/recap-data"'
    python3 "$root/k8s/check/least_privilege.py" "$work/$overlay.yaml" "$work/job-$overlay.yaml"
    # The trainer image, where it has been built here (docker/build-images.sh), started once as this Job would.
    trainer_image=$(python3 -c "import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); \
print(d['spec']['template']['spec']['containers'][0]['image'])" "$work/job-$overlay.yaml")
    if docker image inspect "$trainer_image" > /dev/null 2>&1; then
        python3 "$root/k8s/check/run_trainer_job.py" "$work/job-$overlay.yaml" "$trainer_image"
    else
        echo "trainer image $trainer_image not built here: not started (docker/build-images.sh builds it)"
    fi
    # Default deny, DNS, API ingress, management ingress, Kafka, PostgreSQL and Kubernetes API egress.
    expect "$work/$overlay.yaml" 7 '^kind: NetworkPolicy'
    expect "$work/$overlay.yaml" 1 '^  name: default-deny$'
    expect "$work/$overlay.yaml" 1 'pod-security.kubernetes.io/enforce: restricted'
    expect "$work/$overlay.yaml" 1 'pod-security.kubernetes.io/warn: restricted'
    expect "$work/$overlay.yaml" 1 'pod-security.kubernetes.io/audit: restricted'
    # No service account token in the three services (pod specs) nor in recap-trainer and recap-service.
    expect "$work/$overlay.yaml" 5 'automountServiceAccountToken: false'
    expect "$work/job-$overlay.yaml" 1 'serviceAccountName: "recap-trainer"'
    # The orchestrator's Role: only the verbs its fabric8 calls send (rbac.yaml).
    expect "$work/$overlay.yaml" 1 '  - create$'
    expect "$work/$overlay.yaml" 0 '  - get$'
    expect "$work/$overlay.yaml" 0 'pods/log'
    # Fixed image tags: none floating, every image tagged with the project version.
    expect "$work/$overlay.yaml" 0 ':latest'
    expect "$work/job-$overlay.yaml" 0 ':latest'
    expect "$work/$overlay.yaml" 4 'image: recap/.*:0\.1\.0-SNAPSHOT'
    expect "$work/$overlay.yaml" 1 'RECAP_TRAINER_IMAGE: recap/trainer:0\.1\.0-SNAPSHOT'
done
expect "$work/gpu.yaml" 3 'nvidia.com/gpu: 1'
expect "$work/gpu.yaml" 3 'nvidia.com/gpu.present: "true"'
expect "$work/gpu.yaml" 1 '- ReadWriteMany'
expect "$work/job-gpu.yaml" 1 'nvidia.com/gpu: "1"'
expect "$work/job-gpu.yaml" 1 'image: "recap/trainer:0.1.0-SNAPSHOT-gpu"'
expect "$work/gpu.yaml" 3 'image: recap/.*:0\.1\.0-SNAPSHOT-gpu$'
expect "$work/job-cpu.yaml" 1 'image: "recap/trainer:0.1.0-SNAPSHOT"'
expect "$work/cpu.yaml" 0 'nvidia.com/gpu'
expect "$work/cpu.yaml" 1 '- ReadWriteOnce'
expect "$work/job-cpu.yaml" 0 'nvidia.com/gpu'
echo "k8s check: OK"

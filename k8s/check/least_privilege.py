#!/usr/bin/env python3
"""Offline least-privilege checks of a rendered overlay plus the rendered trainer Job (check.sh runs it):

 1. Pod Security Standards, the fields they name (not the admission plugin itself, which needs a cluster): every
    pod meets the level the namespace enforces, and every Deployment meets "restricted". The trainer Job's gaps to
    "restricted" are printed, so that the day it has none the namespace can enforce restricted.
 2. NetworkPolicies select pods that exist: every app.kubernetes.io/name a policy names is a Deployment's or the
    trainer's pod label, and every named port an ingress rule allows is a container port of each selected pod.
 3. Only the orchestrator's pods get a service account token.

    python3 least_privilege.py OVERLAY.yaml JOB.yaml
"""
import sys

import yaml

# Kubernetes' Pod Security Standards (https://kubernetes.io/docs/concepts/security/pod-security-standards/).
BASELINE_CAPABILITIES = {"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
                         "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"}
RESTRICTED_VOLUMES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
                      "projected", "secret"}
NAME = "app.kubernetes.io/name"


def containers(pod):
    return pod.get("initContainers", []) + pod.get("containers", []) + pod.get("ephemeralContainers", [])


def baseline_gaps(pod):
    gaps = []
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        if pod.get(key):
            gaps.append(key)
    for volume in pod.get("volumes", []):
        if "hostPath" in volume:
            gaps.append(f"hostPath volume {volume['name']}")
    pod_sc = pod.get("securityContext", {})
    for c in containers(pod):
        sc = c.get("securityContext", {})
        if sc.get("privileged"):
            gaps.append(f"{c['name']}: privileged")
        extra = set(sc.get("capabilities", {}).get("add", [])) - BASELINE_CAPABILITIES
        if extra:
            gaps.append(f"{c['name']}: adds {sorted(extra)}")
        if any(p.get("hostPort") for p in c.get("ports", [])):
            gaps.append(f"{c['name']}: hostPort")
        if sc.get("procMount", "Default") != "Default":
            gaps.append(f"{c['name']}: procMount")
        if sc.get("seccompProfile", {}).get("type") == "Unconfined":
            gaps.append(f"{c['name']}: seccomp Unconfined")
    if pod_sc.get("seccompProfile", {}).get("type") == "Unconfined":
        gaps.append("pod: seccomp Unconfined")
    if pod_sc.get("sysctls"):
        gaps.append("pod: sysctls (check them against the safe set)")
    return gaps


def restricted_gaps(pod):
    gaps = baseline_gaps(pod)
    pod_sc = pod.get("securityContext", {})
    for volume in pod.get("volumes", []):
        kinds = set(volume) - {"name"}
        if not kinds <= RESTRICTED_VOLUMES:
            gaps.append(f"volume {volume['name']}: {sorted(kinds)}")
    if pod_sc.get("runAsUser") == 0:
        gaps.append("pod: runAsUser 0")
    for c in containers(pod):
        sc = c.get("securityContext", {})
        name = c["name"]
        if sc.get("allowPrivilegeEscalation") is not False:
            gaps.append(f"{name}: allowPrivilegeEscalation not false")
        if not sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot")):
            gaps.append(f"{name}: runAsNonRoot not true")
        if sc.get("runAsUser") == 0:
            gaps.append(f"{name}: runAsUser 0")
        seccomp = sc.get("seccompProfile", pod_sc.get("seccompProfile", {})).get("type")
        if seccomp not in ("RuntimeDefault", "Localhost"):
            gaps.append(f"{name}: seccompProfile {seccomp or 'unset'}")
        capabilities = sc.get("capabilities", {})
        if "ALL" not in capabilities.get("drop", []):
            gaps.append(f"{name}: capabilities.drop lacks ALL")
        if set(capabilities.get("add", [])) - {"NET_BIND_SERVICE"}:
            gaps.append(f"{name}: adds capabilities")
    return gaps


def main(overlay, job_file):
    objects = [d for d in yaml.safe_load_all(open(overlay)) if d]
    job = yaml.safe_load(open(job_file))
    problems = []

    namespace = next(o for o in objects if o["kind"] == "Namespace")
    enforce = namespace["metadata"].get("labels", {}).get("pod-security.kubernetes.io/enforce", "privileged")

    # (name label, pod spec) of every pod the overlay runs, the trainer included.
    pods = [(d["spec"]["template"]["metadata"]["labels"][NAME], d["spec"]["template"]["spec"])
            for d in objects if d["kind"] == "Deployment"]
    trainer_labels = job["spec"]["template"]["metadata"]["labels"]
    pods.append((trainer_labels[NAME], job["spec"]["template"]["spec"]))

    # 1. Pod Security Standards.
    if enforce not in ("baseline", "restricted"):
        problems.append(f"namespace enforces {enforce!r}, not baseline or restricted")
    for name, pod in pods:
        enforced = baseline_gaps(pod) if enforce == "baseline" else restricted_gaps(pod)
        problems.extend(f"{name} fails {enforce}: {gap}" for gap in enforced)
        restricted = restricted_gaps(pod)
        if name == trainer_labels[NAME]:
            print(f"{name}: " + ("meets restricted" if not restricted else "restricted gaps: " + "; ".join(restricted)))
        else:
            problems.extend(f"{name} fails restricted: {gap}" for gap in restricted)
    if not problems:
        print(f"namespace enforces {enforce}; all {len(pods) - 1} Deployments meet restricted")
    found = len(problems)

    # 2. NetworkPolicies.
    by_name = {name: pod for name, pod in pods}
    policies = [o for o in objects if o["kind"] == "NetworkPolicy"]
    for policy in policies:
        selector = policy["spec"]["podSelector"]
        names = []
        if NAME in selector.get("matchLabels", {}):
            names.append(selector["matchLabels"][NAME])
        for expression in selector.get("matchExpressions", []):
            if expression["key"] == NAME and expression["operator"] == "In":
                names.extend(expression["values"])
        selected = list(by_name) if not selector else names
        if selector and not names:
            problems.append(f"NetworkPolicy {policy['metadata']['name']}: selects pods by something other than {NAME}")
        for name in names:
            if name not in by_name:
                problems.append(f"NetworkPolicy {policy['metadata']['name']}: no pod labelled {NAME}={name}")
        for rule in policy["spec"].get("ingress", []):
            for port in rule.get("ports", []):
                if not isinstance(port.get("port"), str):
                    continue
                for name in (n for n in selected if n in by_name):
                    declared = {p.get("name") for c in by_name[name].get("containers", [])
                                for p in c.get("ports", [])}
                    if port["port"] not in declared:
                        problems.append(f"NetworkPolicy {policy['metadata']['name']}: {name} has no port "
                                        f"named {port['port']}")
    if len(problems) == found:
        print(f"{len(policies)} NetworkPolicies select existing pods and named ports")
    found = len(problems)

    # 3. Service account tokens.
    accounts = {o["metadata"]["name"]: o for o in objects if o["kind"] == "ServiceAccount"}
    for name, pod in pods:
        account = accounts.get(pod.get("serviceAccountName", "default"), {})
        mounted = pod.get("automountServiceAccountToken", account.get("automountServiceAccountToken", True))
        if mounted != (name == "training-orchestrator"):
            problems.append(f"{name}: service account token {'mounted' if mounted else 'not mounted'}")
    if len(problems) == found:
        print("a service account token only in training-orchestrator")

    for problem in problems:
        print("FAIL:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))

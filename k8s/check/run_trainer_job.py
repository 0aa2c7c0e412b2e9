"""Starts the trainer image once the way the rendered trainer Job would: the Job's container command and its
literal environment (Secret-sourced variables left out), its user, a read-only root with tmpfs where the Job has
emptyDirs, and an empty store. There is no Kafka here, so the trainer must get past reading its environment and
start its task, then fail to reach the broker; an "invalid environment" or a missing class fails the check.

    python3 run_trainer_job.py JOB.yaml IMAGE
"""
import subprocess
import sys
import tempfile

import yaml


def main(job_file, image):
    job = yaml.safe_load(open(job_file))
    pod = job["spec"]["template"]["spec"]
    container = pod["containers"][0]
    user = pod.get("securityContext", {}).get("runAsUser", 10001)
    with tempfile.TemporaryDirectory() as store:
        args = ["docker", "run", "--rm", "--read-only", "--user", f"{user}:{user}"]
        for mount in container.get("volumeMounts", []):
            if mount["name"] == "store":
                args += ["-v", f"{store}:{mount['mountPath']}"]
            else:
                args += ["--tmpfs", f"{mount['mountPath']}:rw,exec,uid={user},gid={user}"]
        for variable in container.get("env", []):
            if "value" in variable:
                args += ["-e", f"{variable['name']}={variable['value']}"]
        subprocess.run(["chmod", "0777", store], check=True)
        args += ["--entrypoint", container["command"][0], image] + container["command"][1:]
        out = subprocess.run(args, capture_output=True, text=True, timeout=300)
    log = out.stdout + out.stderr
    started = [line for line in log.splitlines() if "TrainerMain" in line and "starting (" in line]
    if "invalid environment" in log or "ClassNotFoundException" in log or not started:
        print(log[-3000:], file=sys.stderr)
        sys.exit(f"FAIL: the trainer image did not start the Job's task (exit {out.returncode})")
    print(f"trainer image {image} with the Job's command and environment: {started[0].split(' -- ')[-1]}"
          f" (then exit {out.returncode}: no broker here)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

#!/usr/bin/env bash
# Makes an API key for the RECAP services and appends its hash to a key file (default secrets/api-keys, the file
# docker-compose.yml hands the services; for Kubernetes: kubectl -n recap create secret generic recap-api-keys
# --from-file=api-keys=secrets/api-keys). Prints the key once: only its SHA-256 is stored.
#
#   docker/new-api-key.sh NAME ROLE [FILE]        # ROLE: viewer, user, operator or admin (docs/security.md)
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    sed -n '2,7p' "$0" >&2
    exit 2
fi
name=$1 role=$2 file=${3:-secrets/api-keys}
case "$role" in viewer|user|operator|admin) ;; *) echo "ROLE must be viewer, user, operator or admin" >&2; exit 2;; esac
if ! [[ "$name" =~ ^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$ ]]; then
    echo "NAME: 1-64 letters, digits, '.', '_', '@' or '-'" >&2
    exit 2
fi
key="recap_$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')"
hash=$(printf '%s' "$key" | sha256sum | cut -d' ' -f1)
mkdir -p "$(dirname "$file")"
if [ ! -e "$file" ]; then
    echo "# RECAP API keys: name role sha256:HEX (only hashes; see docs/security.md)" > "$file"
    chmod 0644 "$file"
fi
echo "$name $role sha256:$hash" >> "$file"
echo "$key"
echo "key '$name' ($role) added to $file; the line above is the key, shown only now" >&2

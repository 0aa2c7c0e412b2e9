#!/usr/bin/env bash
# Builds the base images the RECAP Dockerfiles and docker-compose.yml need, from Debian's packages only (no
# registry pull): a root file system made by debootstrap, loaded with `docker import`, then finished by a small
# Dockerfile under docker/base/. Needs root (debootstrap), a running Docker daemon and Debian's package mirror.
#
#   docker/build-base-images.sh [jre] [postgres] [kafka]      # all three when none is named
#
# Images (what the Dockerfiles' BASE_IMAGE build argument and compose's image variables name, see
# docs/deployment.md; elsewhere the defaults stay the public images):
#   recap/base-jre:17         Debian bookworm, openjdk-17-jre-headless, curl, passwd
#   recap/base-postgres:15    Debian bookworm's postgresql-15, with the official image's POSTGRES_* variables
#   recap/base-kafka:KAFKA    Kafka (KRaft) from the Maven jars recap-local-broker uses, with the scripts compose runs
#
# Idempotent and cached: each image is tagged with a hash of what it is made from (the package list, its
# docker/base files, the jars); when that tag exists nothing is rebuilt.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
suite=bookworm
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
work=${RECAP_BASE_WORK:-/var/tmp/recap-base-images}
mkdir -p "$work"

# Bump when the way a root file system is made changes (the debootstrap options, what is removed after it).
recipe=1

hash_of() {  # hash_of FILES... -> 12 hex digits over the files' contents
    cat "$@" | sha256sum | cut -c1-12
}

have() {
    docker image inspect "$1" > /dev/null 2>&1
}

rootfs() {  # rootfs NAME PACKAGES -> imports a debootstrapped root file system as recap/rootfs-NAME:HASH
    local name=$1 packages=$2 hash tag dir
    hash=$(printf '%s %s %s %s' "$recipe" "$suite" "$mirror" "$packages" | sha256sum | cut -c1-12)
    tag=recap/rootfs-$name:$hash
    if ! have "$tag"; then
        dir=$work/rootfs-$name
        rm -rf "$dir"
        echo "debootstrap $suite ($packages) -> $dir" >&2
        debootstrap --variant=minbase --include="$packages" "$suite" "$dir" "$mirror" > "$work/debootstrap-$name.log"
        # What a container never needs: package lists, caches, docs.
        rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/usr/share/doc/* "$dir"/usr/share/man/*
        tar -C "$dir" -c . | docker import - "$tag" > /dev/null
        rm -rf "$dir"
    fi
    echo "$tag"
}

build_jre() {
    local from hash
    from=$(rootfs jre "openjdk-17-jre-headless,curl,passwd,ca-certificates")
    hash=$(hash_of "$root/docker/base/jre.Dockerfile" <(echo "$from"))
    if ! have "recap/base-jre:17-$hash"; then
        docker build -q -f "$root/docker/base/jre.Dockerfile" --build-arg ROOTFS="$from" \
            -t "recap/base-jre:17-$hash" "$root/docker/base" > /dev/null
    fi
    docker tag "recap/base-jre:17-$hash" recap/base-jre:17
    echo "recap/base-jre:17 = recap/base-jre:17-$hash"
}

build_postgres() {
    local from hash
    from=$(rootfs postgres "postgresql-15")
    hash=$(hash_of "$root/docker/base/postgres.Dockerfile" "$root/docker/base/postgres-entrypoint.sh" <(echo "$from"))
    if ! have "recap/base-postgres:15-$hash"; then
        docker build -q -f "$root/docker/base/postgres.Dockerfile" --build-arg ROOTFS="$from" \
            -t "recap/base-postgres:15-$hash" "$root/docker/base" > /dev/null
    fi
    docker tag "recap/base-postgres:15-$hash" recap/base-postgres:15
    echo "recap/base-postgres:15 = recap/base-postgres:15-$hash"
}

build_kafka() {
    local libs=$work/kafka-libs version hash
    build_jre > /dev/null
    rm -rf "$libs"
    # The broker and the command-line tools, at the Kafka version of the project's own broker (the Spring Boot
    # parent's kafka.version), resolved from a pom of their own so that nothing of the project must be built first.
    local boot
    boot=$(sed -n '/<artifactId>spring-boot-starter-parent<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;}' \
        "$root/pom.xml")
    mkdir -p "$work/kafka-pom"
    cat > "$work/kafka-pom/pom.xml" << POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>$boot</version>
    <relativePath/>
  </parent>
  <groupId>io.recap</groupId>
  <artifactId>recap-base-kafka</artifactId>
  <version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>\${kafka.version}</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>\${kafka.version}</version></dependency>
    <dependency><groupId>ch.qos.logback</groupId><artifactId>logback-classic</artifactId></dependency>
  </dependencies>
</project>
POM
    (cd "$work/kafka-pom" && mvn -B -q -ntp dependency:copy-dependencies -DincludeScope=runtime \
        -DoutputDirectory="$libs" > "$work/kafka-deps.log")
    version=$(ls "$libs" | sed -n 's/^kafka-clients-\(.*\)\.jar$/\1/p')
    mkdir -p "$work/kafka-context"
    rm -rf "$work/kafka-context/libs"
    cp -r "$libs" "$work/kafka-context/libs"
    cp "$root/docker/base/kafka.Dockerfile" "$root/docker/base/kafka-run.sh" "$root/docker/base/kafka-tool.sh" \
        "$root/docker/base/kafka-logback.xml" "$work/kafka-context/"
    hash=$( (ls -l "$libs" | awk '{print $5, $9}'; cat "$root/docker/base/kafka.Dockerfile" \
        "$root/docker/base/kafka-run.sh" "$root/docker/base/kafka-tool.sh" "$root/docker/base/kafka-logback.xml"
        docker image inspect -f '{{.Id}}' \
        recap/base-jre:17) | sha256sum | cut -c1-12)
    if ! have "recap/base-kafka:$version-$hash"; then
        docker build -q -f "$work/kafka-context/kafka.Dockerfile" -t "recap/base-kafka:$version-$hash" \
            "$work/kafka-context" > /dev/null
    fi
    docker tag "recap/base-kafka:$version-$hash" "recap/base-kafka:$version"
    echo "recap/base-kafka:$version = recap/base-kafka:$version-$hash"
}

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(jre postgres kafka)
for target in "${targets[@]}"; do
    case "$target" in
        jre) build_jre ;;
        postgres) build_postgres ;;
        kafka) build_kafka ;;
        *) echo "unknown image '$target': jre, postgres or kafka" >&2; exit 2 ;;
    esac
done

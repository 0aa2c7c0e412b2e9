# syntax=docker/dockerfile:1
# The image of every RECAP service: the module's executable jar (JAR) serving on PORT. Build the jars first, at
# the repository root, then each image with its module as build context (docker-compose.yml does the same):
#   mvn -B -ntp install -DskipTests
#   docker build --platform linux/amd64 -f docker/service.Dockerfile caption-service -t recap/caption-service:latest \
#       --build-arg JAR=target/caption-service-0.1.0-SNAPSHOT.jar --build-arg PORT=8081
# (training-orchestrator: ...-exec.jar, 8080; generation-service: 8082; relabel-worker: ...-exec.jar, 8083).
# linux/amd64 only: the PyTorch natives in the jar are the linux-x86_64 classifier (see docs/deployment.md,
# "GPU images", for the CUDA variant).
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}

# One uid for every RECAP image (services and trainer), so that all of them can write the shared store.
ARG RECAP_UID=10001
RUN set -eux; \
    groupadd --system --gid "${RECAP_UID}" recap; \
    useradd --system --uid "${RECAP_UID}" --gid recap --home-dir /home/recap --create-home \
        --shell /usr/sbin/nologin recap; \
    mkdir -p /app /recap-data/store /recap-data/corpora /var/cache/recap/djl; \
    chown -R recap:recap /recap-data /var/cache/recap

WORKDIR /app
ARG JAR
ARG PORT
ARG MANAGEMENT_PORT
COPY ${JAR} /app/app.jar

# DJL extracts the PyTorch natives from the jar into DJL_CACHE_DIR at the first engine start (offline: nothing
# is downloaded). It must be writable; Kubernetes mounts an emptyDir there (read-only root file system).
ENV PORT=${PORT} \
    MANAGEMENT_PORT=${MANAGEMENT_PORT} \
    DJL_CACHE_DIR=/var/cache/recap/djl \
    RECAP_DATA=/recap-data \
    RECAP_STORE=/recap-data/store \
    RECAP_IMAGE_ROOTS=/recap-data/corpora

USER ${RECAP_UID}:${RECAP_UID}
EXPOSE ${PORT} ${MANAGEMENT_PORT}

# Readiness, not just liveness: "healthy" means the service can do its work (for the orchestrator: database,
# scheduler; for caption/generation: a model is loaded, so they stay "unhealthy" until one is promoted).
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${MANAGEMENT_PORT}/actuator/health/readiness" > /dev/null || exit 1

# Extra JVM options: JAVA_TOOL_OPTIONS. Application arguments: the container command (CMD / args).
ENTRYPOINT ["java", "-Djava.awt.headless=true", "-Dai.djl.offline=true", \
    "-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/app.jar"]

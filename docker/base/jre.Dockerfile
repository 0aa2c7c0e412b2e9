# The JRE base of every RECAP service image (docker/build-base-images.sh): Debian bookworm's OpenJDK 17 JRE from a
# debootstrapped root file system, so that nothing is pulled from a registry.
ARG ROOTFS
FROM ${ROOTFS}
ENV LANG=C.UTF-8 \
    JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 \
    PATH=/usr/lib/jvm/java-17-openjdk-amd64/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["bash"]

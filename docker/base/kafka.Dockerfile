# A single Kafka broker in KRaft mode from the Maven jars recap-local-broker uses (docker/build-base-images.sh
# copies them into libs/), configured the way the apache/kafka image is: every KAFKA_X_Y variable becomes the
# property x.y, CLUSTER_ID formats the storage on first start. The command-line tools compose runs are in
# /opt/kafka/bin under their usual names.
FROM recap/base-jre:17
COPY libs /opt/kafka/libs
COPY kafka-run.sh kafka-tool.sh /opt/kafka/bin/
COPY kafka-logback.xml /opt/kafka/config/logback.xml
RUN set -eux; chmod 0755 /opt/kafka/bin/*.sh; \
    for tool in kafka-topics kafka-broker-api-versions kafka-configs kafka-acls kafka-storage \
        kafka-console-producer kafka-console-consumer kafka-consumer-groups; do \
        ln -s kafka-tool.sh "/opt/kafka/bin/$tool.sh"; \
    done; \
    groupadd --system --gid 1000 appuser; useradd --system --uid 1000 --gid appuser --home-dir /home/appuser \
        --create-home --shell /usr/sbin/nologin appuser; \
    mkdir -p /var/lib/kafka/data /opt/kafka/config; chown -R appuser:appuser /var/lib/kafka /opt/kafka/config
USER appuser
EXPOSE 9092
ENTRYPOINT ["/opt/kafka/bin/kafka-run.sh"]

#!/usr/bin/env bash
# The Kafka command-line tools under their usual script names (kafka-topics.sh, ...), each a main class of the
# jars in /opt/kafka/libs.
set -euo pipefail
case "$(basename "$0" .sh)" in
    kafka-topics) main=org.apache.kafka.tools.TopicCommand ;;
    kafka-broker-api-versions) main=org.apache.kafka.tools.BrokerApiVersionsCommand ;;
    kafka-configs) main=kafka.admin.ConfigCommand ;;
    kafka-acls) main=org.apache.kafka.tools.AclCommand ;;
    kafka-storage) main=kafka.tools.StorageTool ;;
    kafka-console-producer) main=org.apache.kafka.tools.ConsoleProducer ;;
    kafka-console-consumer) main=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
    kafka-consumer-groups) main=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
    *) echo "unknown tool $(basename "$0")" >&2; exit 2 ;;
esac
exec java -Xmx256m -Dlogback.configurationFile=/opt/kafka/config/logback.xml -cp "/opt/kafka/libs/*" "$main" "$@"

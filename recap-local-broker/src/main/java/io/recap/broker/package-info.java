/** A real single-node KRaft Kafka broker run as a child JVM from Kafka's own jars. */
package io.recap.broker;

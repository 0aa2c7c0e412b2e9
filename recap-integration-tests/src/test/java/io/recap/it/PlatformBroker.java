package io.recap.it;

import io.recap.core.messages.Topics;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The in-process broker a {@link RecapPlatform} test runs on: the platform's topics made up front with four
 * partitions, as the orchestrator creates them ({@code recap.orchestrator.topic-partitions=4} in RecapPlatform), and
 * no wait before a consumer group's first rebalance. The test takes the broker as an {@code EmbeddedKafkaBroker}
 * parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@EmbeddedKafka(partitions = 4, topics = {Topics.CORPUS_INGEST, Topics.RELABEL_REQUESTS, Topics.RELABEL_RESULTS,
        Topics.RELABEL_DLQ, Topics.TRAINING_EVENTS, Topics.MODEL_EVENTS},
        brokerProperties = {"group.initial.rebalance.delay.ms=0", "offsets.topic.num.partitions=4"})
@interface PlatformBroker {
}

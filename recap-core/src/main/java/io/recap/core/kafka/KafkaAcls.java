package io.recap.core.kafka;

import io.recap.core.messages.Topics;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What each service may do on the broker: the one definition the local broker applies, the tests check and
 * docs/security.md, compose's kafka-init and a Strimzi {@code KafkaUser} restate. Everything not granted here is
 * refused (the broker runs with {@code allow.everyone.if.no.acl.found=false}).
 *
 * <p>Derived from what the code reads and writes:
 * <ul>
 *   <li>{@value #ORCHESTRATOR} publishes ingest batches, relabel requests and model events, dead-letters what its
 *       listeners cannot process, and consumes ingest batches, relabel results and training events. Jobs of its local
 *       executor (RELABEL, EVALUATE, in-process fine-tunes) publish training events from inside it, so it writes
 *       those too. It creates the platform's topics where they are missing and grows their partitions.</li>
 *   <li>{@value #RELABEL_WORKER} consumes relabel requests in group {@value #RELABEL_WORKERS_GROUP} and writes
 *       results and its dead letters; its binder creates its three topics if they are missing and adds partitions
 *       up to its {@code min-partition-count}.</li>
 *   <li>{@value #TRAINER} (a trainer JVM or pod) writes training events and nothing else.</li>
 *   <li>{@value #INGEST} (the ingest CLI, an external producer) writes ingest batches and nothing else.</li>
 * </ul>
 * Nobody but the workers writes relabel results, and only the trainers and the orchestrator's own executor write
 * training events.
 */
public final class KafkaAcls {

    public static final String ORCHESTRATOR = "orchestrator";
    public static final String RELABEL_WORKER = "relabel-worker";
    public static final String TRAINER = "trainer";
    public static final String INGEST = "ingest";

    /** Consumer group of the relabel workers (relabel-worker application.yml, binding relabel-in-0). */
    public static final String RELABEL_WORKERS_GROUP = "relabel-workers";
    /**
     * Prefix of the orchestrator's consumer groups: each {@code @KafkaListener} id is its group
     * ({@code recap-orchestrator-ingest}, {@code -relabel-results}, {@code -training-events}).
     */
    public static final String ORCHESTRATOR_GROUP_PREFIX = "recap-orchestrator-";

    /** Operations on a topic. Reading or writing a topic includes describing it. */
    public enum Operation {
        READ, WRITE, CREATE, ALTER
    }

    /** What a principal may do on a topic (literal name). */
    public record TopicGrant(String principal, String topic, Operation operation) {
    }

    /** A principal may join (READ) a consumer group, named exactly or by prefix. */
    public record GroupGrant(String principal, String group, boolean prefixed) {
    }

    private static final List<String> ALL_TOPICS = List.of(Topics.CORPUS_INGEST, Topics.RELABEL_REQUESTS,
            Topics.RELABEL_RESULTS, Topics.RELABEL_DLQ, Topics.TRAINING_EVENTS, Topics.MODEL_EVENTS,
            Topics.CORPUS_INGEST_DLQ, Topics.RELABEL_RESULTS_DLQ, Topics.TRAINING_EVENTS_DLQ);
    private static final List<String> WORKER_TOPICS = List.of(Topics.RELABEL_REQUESTS, Topics.RELABEL_RESULTS,
            Topics.RELABEL_DLQ);

    private static final List<TopicGrant> TOPIC_GRANTS;
    private static final List<GroupGrant> GROUP_GRANTS = List.of(
            new GroupGrant(ORCHESTRATOR, ORCHESTRATOR_GROUP_PREFIX, true),
            new GroupGrant(RELABEL_WORKER, RELABEL_WORKERS_GROUP, false));

    static {
        List<TopicGrant> grants = new ArrayList<>();
        for (String topic : List.of(Topics.CORPUS_INGEST, Topics.RELABEL_REQUESTS, Topics.MODEL_EVENTS,
                Topics.TRAINING_EVENTS, Topics.CORPUS_INGEST_DLQ, Topics.RELABEL_RESULTS_DLQ,
                Topics.TRAINING_EVENTS_DLQ)) {
            grants.add(new TopicGrant(ORCHESTRATOR, topic, Operation.WRITE));
        }
        for (String topic : List.of(Topics.CORPUS_INGEST, Topics.RELABEL_RESULTS, Topics.TRAINING_EVENTS)) {
            grants.add(new TopicGrant(ORCHESTRATOR, topic, Operation.READ));
        }
        for (String topic : ALL_TOPICS) {
            grants.add(new TopicGrant(ORCHESTRATOR, topic, Operation.CREATE));
            grants.add(new TopicGrant(ORCHESTRATOR, topic, Operation.ALTER));
        }
        grants.add(new TopicGrant(RELABEL_WORKER, Topics.RELABEL_REQUESTS, Operation.READ));
        grants.add(new TopicGrant(RELABEL_WORKER, Topics.RELABEL_RESULTS, Operation.WRITE));
        grants.add(new TopicGrant(RELABEL_WORKER, Topics.RELABEL_DLQ, Operation.WRITE));
        for (String topic : WORKER_TOPICS) {
            grants.add(new TopicGrant(RELABEL_WORKER, topic, Operation.CREATE));
            grants.add(new TopicGrant(RELABEL_WORKER, topic, Operation.ALTER));
        }
        grants.add(new TopicGrant(TRAINER, Topics.TRAINING_EVENTS, Operation.WRITE));
        grants.add(new TopicGrant(INGEST, Topics.CORPUS_INGEST, Operation.WRITE));
        TOPIC_GRANTS = List.copyOf(grants);
    }

    private KafkaAcls() {
    }

    /** The service principals, in the order the documentation lists them. */
    public static List<String> principals() {
        return List.of(ORCHESTRATOR, RELABEL_WORKER, TRAINER, INGEST);
    }

    /** Every platform topic, dead-letter topics included. */
    public static List<String> topics() {
        return ALL_TOPICS;
    }

    public static List<TopicGrant> topicGrants() {
        return TOPIC_GRANTS;
    }

    public static List<GroupGrant> groupGrants() {
        return GROUP_GRANTS;
    }

    /** The topics {@code principal} may perform {@code operation} on. */
    public static Set<String> topics(String principal, Operation operation) {
        Set<String> topics = new LinkedHashSet<>();
        for (TopicGrant grant : TOPIC_GRANTS) {
            if (grant.principal().equals(principal) && grant.operation() == operation) {
                topics.add(grant.topic());
            }
        }
        return topics;
    }
}

package io.recap.orchestrator.config;

import io.recap.core.messages.MalformedMessageException;
import io.recap.core.messages.Topics;
import io.recap.orchestrator.catalog.CatalogListeners;
import io.recap.orchestrator.events.UnprocessableRecordException;
import io.recap.orchestrator.metrics.OrchestratorMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ExceptionClassifier;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The error handler of the orchestrator's Kafka listeners. A record is never skipped unseen:
 * <ul>
 * <li>one that can never be processed — it does not decode or breaks its schema ({@link MalformedMessageException}),
 * or the listener refuses it as it is ({@link UnprocessableRecordException}) — goes at once to
 * {@code <topic>.dlq} ({@link Topics#deadLetterOf}) with its key and value unchanged, the reason in header
 * {@value #REASON_HEADER} beside spring-kafka's {@code kafka_dlt-*} headers (original topic, partition, offset,
 * exception), a WARN line, and a count under its outcome ({@code malformed}, {@code rejected});</li>
 * <li>a relabel result for an image not catalogued yet is tried twice more a second apart, since its ingest batch may
 * still be on its way on the other topic, and is then dead-lettered as {@code unknown_image};</li>
 * <li>any other failure (the database down, a timeout, a bug) is retried from the same offset with a back-off that
 * grows to {@code maxInterval}, without limit: the partition waits rather than losing the record. Stopping the
 * container ends the wait without committing, so the record is delivered again after a restart.</li>
 * </ul>
 * A dead letter that cannot be published leaves the record uncommitted, to be tried again.
 */
final class ListenerErrorHandling {

    /** Header of a dead letter: why it could not be processed, in words. */
    static final String REASON_HEADER = "x-recap-reason";

    private static final Logger log = LoggerFactory.getLogger(ListenerErrorHandling.class);

    private ListenerErrorHandling() {
    }

    static DefaultErrorHandler errorHandler(KafkaOperations<?, ?> kafka, OrchestratorMetrics metrics,
            Duration maxInterval) {
        // Partition -1: the producer picks it by key, so a dead-letter topic need not have as many partitions.
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(kafka,
                (record, e) -> new TopicPartition(Topics.deadLetterOf(record.topic()), -1));
        deadLetters.setHeadersFunction((record, e) -> new RecordHeaders(new Header[] {
                new RecordHeader(REASON_HEADER, reason(cause(e)).getBytes(StandardCharsets.UTF_8))}));
        DefaultErrorHandler handler = new DefaultErrorHandler((record, e) -> {
            // Throws when the dead letter is not on the broker; the record then stays where it is.
            deadLetters.accept(record, e);
            Throwable cause = cause(e);
            String outcome = outcome(cause);
            log.warn("dead-lettered {} to {} ({}): {}", describe(record), Topics.deadLetterOf(record.topic()), outcome,
                    reason(cause));
            metrics.message(record.topic(), outcome);
        }, transientBackOff(maxInterval));
        handler.addNotRetryableExceptions(MalformedMessageException.class, UnprocessableRecordException.class);
        handler.setBackOffFunction((record, e) -> cause(e) instanceof CatalogListeners.UnknownImageException
                ? new FixedBackOff(1000, 2) : null);
        handler.setCommitRecovered(true);
        handler.setRetryListeners((record, e, deliveryAttempt) -> {
            if (isPoison(e)) {
                return; // not retried: the recoverer logs and counts it as it dead-letters it
            }
            Throwable cause = cause(e);
            if (deliveryAttempt == 1 && !(cause instanceof CatalogListeners.UnknownImageException)) {
                // The first failure's stack trace, for a cause nobody expected; later ones repeat it.
                log.warn("{} failed; it keeps its offset and is tried again", describe(record), cause);
            } else {
                log.warn("{} failed (delivery {}): {}", describe(record), deliveryAttempt, cause.toString());
            }
            metrics.message(record.topic(), "failed_delivery");
        });
        // The retry listener above logs each failure once, in a line; the handler's own log would add a stack
        // trace per delivery for as long as the database is down.
        handler.setLogLevel(KafkaException.Level.DEBUG);
        return handler;
    }

    private static ExponentialBackOff transientBackOff(Duration maxInterval) {
        ExponentialBackOff backOff = new ExponentialBackOff(Math.min(500, maxInterval.toMillis()), 2.0);
        backOff.setMaxInterval(maxInterval.toMillis());
        // No limit on elapsed time or attempts: the record is retried until it is applied or the container stops.
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        backOff.setMaxAttempts(Long.MAX_VALUE);
        return backOff;
    }

    /** Whether the handler dead-letters {@code e} at once: one of ours, or one of spring-kafka's fatal defaults. */
    private static boolean isPoison(Throwable e) {
        List<Class<? extends Throwable>> poison = new ArrayList<>(ExceptionClassifier.defaultFatalExceptionsList());
        poison.add(MalformedMessageException.class);
        poison.add(UnprocessableRecordException.class);
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Throwable current = t;
            if (poison.stream().anyMatch(type -> type.isInstance(current))) {
                return true;
            }
        }
        return false;
    }

    /** The listener's own exception, without the container's wrappers. */
    private static Throwable cause(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof ListenerExecutionFailedException || cause instanceof KafkaException)
                && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String outcome(Throwable cause) {
        if (cause instanceof MalformedMessageException) {
            return "malformed";
        }
        if (cause instanceof UnprocessableRecordException unprocessable) {
            return unprocessable.outcome();
        }
        if (cause instanceof CatalogListeners.UnknownImageException) {
            return "unknown_image";
        }
        return "failed";
    }

    private static String reason(Throwable cause) {
        if (cause instanceof MalformedMessageException malformed) {
            return malformed.reason();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private static String describe(ConsumerRecord<?, ?> record) {
        return "record " + record.topic() + "-" + record.partition() + "@" + record.offset() + " (key " + record.key()
                + ")";
    }
}

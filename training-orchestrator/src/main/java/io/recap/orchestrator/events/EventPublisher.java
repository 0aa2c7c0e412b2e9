package io.recap.orchestrator.events;

import io.recap.core.messages.MessageCodec;
import io.recap.core.messages.RecapMessage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/** Publishes RECAP messages as JSON under their own key ({@link RecapMessage#key()}). */
public class EventPublisher {

    private final KafkaTemplate<String, byte[]> kafka;
    private final MessageCodec codec;
    private final Duration timeout;

    public EventPublisher(KafkaTemplate<String, byte[]> kafka, MessageCodec codec, Duration timeout) {
        this.kafka = kafka;
        this.codec = codec;
        this.timeout = timeout;
    }

    public CompletableFuture<SendResult<String, byte[]>> publish(String topic, RecapMessage message) {
        return kafka.send(topic, message.key(), codec.encode(message));
    }

    /** Publishes and waits for the broker's acknowledgement. */
    public void publishAndWait(String topic, RecapMessage message) throws EventPublishException {
        try {
            publish(topic, message).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventPublishException("interrupted while publishing to " + topic, e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new EventPublishException("could not publish to " + topic + ": " + cause, cause);
        }
    }

    /** A message could not be published within the timeout. */
    public static class EventPublishException extends Exception {
        public EventPublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

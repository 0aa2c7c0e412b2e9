package io.recap.relabel.pipeline;

import io.recap.core.messages.MalformedMessageException;
import io.recap.core.messages.MessageCodec;
import io.recap.core.messages.RelabelRequest;
import io.recap.core.messages.RelabelResult;
import io.recap.relabel.config.RelabelWorkerProperties;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeTypeUtils;

/**
 * The functional binding {@code relabel}: a {@link RelabelRequest} in, one {@link RelabelResult}
 * per image out on {@code results-out-0} (key imageId). Results are sent synchronously before the
 * function returns, so the input offset is committed only after every result is on the broker:
 * a crash redoes the batch (at-least-once) and the catalog's unique key makes that exactly-once.
 * A batch that cannot be parsed is not retried: the binder moves it to the DLQ with reason headers.
 */
@Configuration(proxyBeanMethods = false)
class RelabelFunctions {

    static final String RESULTS_BINDING = "results-out-0";
    private static final Logger log = LoggerFactory.getLogger(RelabelFunctions.class);
    private static final MessageCodec CODEC = new MessageCodec();

    @Bean
    Consumer<Message<byte[]>> relabel(RelabelBatchProcessor processor, StreamBridge bridge,
            RelabelWorkerProperties properties) {
        return message -> {
            RelabelRequest request = decode(message.getPayload());
            if (request.items().size() > properties.maxBatchImages()) {
                // Refused whole: a producer that sends such batches would make every worker hold them at once.
                String reason = "RelabelRequest " + request.corpusId() + "/" + request.batchId() + " has "
                        + request.items().size() + " images; this worker takes at most " + properties.maxBatchImages()
                        + " (recap.relabel.max-batch-images)";
                log.warn("batch sent to the DLQ: {}", reason);
                throw new MalformedMessageException(reason);
            }
            List<RelabelResult> results = processor.process(request);
            for (RelabelResult result : results) {
                Message<byte[]> out = MessageBuilder.withPayload(CODEC.encode(result))
                        .setHeader(KafkaHeaders.KEY, result.key().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .build();
                if (!bridge.send(RESULTS_BINDING, out, MimeTypeUtils.APPLICATION_JSON)) {
                    throw new IllegalStateException("result for " + result.imageId() + " was not accepted by the binder");
                }
            }
            long failed = results.stream().filter(r -> !r.succeeded()).count();
            log.info("batch {}/{}: {} images captioned, {} failed, captioner {}", request.corpusId(),
                    request.batchId(), results.size() - failed, failed, request.captioner());
        };
    }

    private static RelabelRequest decode(byte[] payload) {
        try {
            return CODEC.decode(payload, RelabelRequest.class);
        } catch (MalformedMessageException e) {
            log.warn("poison relabel batch sent to the DLQ: {}", e.reason());
            throw e;
        }
    }
}

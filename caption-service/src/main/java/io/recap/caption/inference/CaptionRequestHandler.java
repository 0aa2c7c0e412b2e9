package io.recap.caption.inference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.recap.caption.config.CaptionServiceProperties;
import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ModelRef;
import io.recap.core.image.DecodeBudget;
import io.recap.core.image.DecodedImage;
import io.recap.core.image.ImageDecoder;
import io.recap.core.image.ImageLimits;
import io.recap.ml.image.ImageTensors;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Service;

/**
 * One caption request end to end: validate and decode the image (limits checked from the header
 * before any pixel is decoded), queue one decoding per style, wait within the request timeout.
 */
@Service
public class CaptionRequestHandler {

    /** Captions by style, the model that wrote them and the time taken. */
    public record Captions(Map<CaptionStyle, String> byStyle, ModelRef model, long tookMs) {
    }

    private final CaptionBatcher batcher;
    private final CaptionerHolder captioner;
    private final ImageDecoder decoder;
    private final DecodeBudget budget;
    private final CaptionServiceProperties properties;
    private final MeterRegistry meters;

    public CaptionRequestHandler(CaptionBatcher batcher, CaptionerHolder captioner, CaptionServiceProperties properties,
            MeterRegistry meters) {
        this.batcher = batcher;
        this.captioner = captioner;
        this.properties = properties;
        this.meters = meters;
        this.decoder = new ImageDecoder(new ImageLimits(properties.maxImageBytes().toBytes(), properties.maxImagePixels()));
        this.budget = new DecodeBudget(properties.decodeBudget().toBytes(), properties.decodeWait());
        meters.gauge("recap.caption.decode.budget.bytes", budget, DecodeBudget::inUse);
    }

    /**
     * @throws io.recap.core.image.ImageValidationException for empty, corrupt, oversized or unsupported images
     * @throws IllegalArgumentException for a beam size outside 1..maxBeamSize
     * @throws QueueFullException when the service is saturated
     * @throws io.recap.core.image.DecodeBudgetExhaustedException when too many large images are being decoded
     * @throws TimeoutException when captioning did not finish within the request timeout
     */
    public Captions caption(byte[] imageBytes, List<CaptionStyle> styles, int beamSize) throws TimeoutException {
        if (beamSize < 1 || beamSize > properties.maxBeamSize()) {
            throw new IllegalArgumentException("beamSize must be between 1 and " + properties.maxBeamSize() + " but was " + beamSize);
        }
        long start = System.nanoTime();
        String outcome = "error";
        try {
            // Shrunk to the captioner's input at once, so a queued request holds a few KB, not the full image;
            // the batch's own resize then has nothing left to do.
            int size = captioner.inputSize();
            DecodedImage image = budget.decode(decoder, imageBytes, decoded -> ImageTensors.resized(decoded, size));
            Map<CaptionStyle, CompletableFuture<CaptionBatcher.Caption>> pending = new EnumMap<>(CaptionStyle.class);
            for (CaptionStyle style : styles) {
                pending.put(style, batcher.submit(image.image(), styleName(style), beamSize));
            }
            Map<CaptionStyle, String> captions = new EnumMap<>(CaptionStyle.class);
            ModelRef model = null;
            long deadline = start + properties.requestTimeout().toNanos();
            for (Map.Entry<CaptionStyle, CompletableFuture<CaptionBatcher.Caption>> entry : pending.entrySet()) {
                CaptionBatcher.Caption caption = await(entry.getValue(), deadline);
                captions.put(entry.getKey(), caption.text());
                model = caption.model();
            }
            outcome = "ok";
            return new Captions(captions, model, (System.nanoTime() - start) / 1_000_000);
        } finally {
            Timer.builder("recap.caption.request.latency")
                    .description("caption request latency, decode to answer")
                    .tag("styles", styles.size() == 1 ? styleName(styles.get(0)) : "both")
                    .tag("outcome", outcome)
                    .publishPercentileHistogram()
                    .register(meters)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** The budget every request decodes its image within. */
    public DecodeBudget decodeBudget() {
        return budget;
    }

    /** The captioner's own name for a style's conditioning prefix. */
    private static String styleName(CaptionStyle style) {
        return style.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static CaptionBatcher.Caption await(CompletableFuture<CaptionBatcher.Caption> future, long deadlineNanos)
            throws TimeoutException {
        try {
            return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted while waiting for the captioner");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException timeout) {
                throw timeout;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new TimeoutException("captioning did not finish within the request timeout");
        }
    }
}

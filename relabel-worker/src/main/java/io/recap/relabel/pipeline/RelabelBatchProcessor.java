package io.recap.relabel.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.recap.core.domain.CaptionStyle;
import io.recap.core.messages.RelabelRequest;
import io.recap.core.messages.RelabelResult;
import io.recap.ml.captioner.Captioner;
import io.recap.ml.captioner.DecodingOptions;
import io.recap.ml.image.ImageTensors;
import io.recap.relabel.captioning.CaptionerCache;
import io.recap.relabel.captioning.ImageLoader;
import io.recap.relabel.config.RelabelWorkerProperties;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.springframework.stereotype.Component;

/**
 * Captions one relabel batch: every image gets exactly one result, a caption per requested style
 * or the reason it failed; one bad image never fails the rest of the batch.
 */
@Component
public class RelabelBatchProcessor {

    private final ImageLoader images;
    private final CaptionerCache captioners;
    private final int inferenceBatchSize;
    private final DecodingOptions decoding;
    private final MeterRegistry meters;

    public RelabelBatchProcessor(ImageLoader images, CaptionerCache captioners, RelabelWorkerProperties properties,
            MeterRegistry meters) {
        this.images = images;
        this.captioners = captioners;
        this.inferenceBatchSize = Math.max(1, properties.inferenceBatchSize());
        this.decoding = DecodingOptions.beam(Math.max(1, properties.beamSize()));
        this.meters = meters;
    }

    public List<RelabelResult> process(RelabelRequest request) {
        Timer.Sample sample = Timer.start(meters);
        Captioner captioner = captioners.get(request.captioner());
        int size = captioner.inputSize();
        // Shrunk to the captioner's input as each image is decoded, so the batch holds small images only.
        UnaryOperator<BufferedImage> shrink = image -> ImageTensors.resized(image, size);
        List<RelabelResult> results = new ArrayList<>(request.items().size());
        List<RelabelRequest.Item> readable = new ArrayList<>();
        List<BufferedImage> pixels = new ArrayList<>();
        for (RelabelRequest.Item item : request.items()) {
            ImageLoader.Loaded loaded = images.load(item.image(), shrink);
            if (loaded.ok()) {
                readable.add(item);
                pixels.add(loaded.image());
            } else {
                results.add(RelabelResult.failure(item.imageId(), request.corpusId(), request.batchId(),
                        request.captioner(), loaded.errorCode(), loaded.errorMessage()));
            }
        }
        List<Map<CaptionStyle, String>> captions = caption(captioner, pixels, request);
        for (int i = 0; i < readable.size(); i++) {
            results.add(result(request, readable.get(i), captions.get(i)));
        }
        sample.stop(Timer.builder("recap.relabel.batch.latency").description("time to caption one relabel batch")
                .register(meters));
        results.forEach(r -> meters.counter("recap.relabel.images", "outcome",
                r.succeeded() ? "captioned" : "failed").increment());
        return results;
    }

    /** A captioner that emits end-of-sequence at once has said nothing: that is a failure, not a caption. */
    private static RelabelResult result(RelabelRequest request, RelabelRequest.Item item,
            Map<CaptionStyle, String> captions) {
        for (Map.Entry<CaptionStyle, String> caption : captions.entrySet()) {
            if (caption.getValue().isBlank()) {
                return RelabelResult.failure(item.imageId(), request.corpusId(), request.batchId(),
                        request.captioner(), "EMPTY_CAPTION", "the captioner produced an empty " + caption.getKey()
                                + " caption");
            }
        }
        return RelabelResult.success(item.imageId(), request.corpusId(), request.batchId(), request.captioner(),
                captions);
    }

    private List<Map<CaptionStyle, String>> caption(Captioner captioner, List<BufferedImage> pixels,
            RelabelRequest request) {
        List<Map<CaptionStyle, String>> captions = new ArrayList<>(pixels.size());
        for (int i = 0; i < pixels.size(); i++) {
            captions.add(new EnumMap<>(CaptionStyle.class));
        }
        for (CaptionStyle style : request.styles()) {
            String styleName = style.name().toLowerCase(Locale.ROOT);
            for (int from = 0; from < pixels.size(); from += inferenceBatchSize) {
                List<BufferedImage> chunk = pixels.subList(from, Math.min(pixels.size(), from + inferenceBatchSize));
                var generated = captioner.caption(chunk, styleName, decoding);
                for (int j = 0; j < generated.size(); j++) {
                    captions.get(from + j).put(style, generated.get(j).text());
                }
            }
        }
        return captions;
    }
}

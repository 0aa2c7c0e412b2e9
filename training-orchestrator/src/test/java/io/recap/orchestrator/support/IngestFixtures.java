package io.recap.orchestrator.support;

import io.recap.core.messages.CorpusIngestBatch;
import io.recap.core.messages.RecapMessage;
import io.recap.orchestrator.events.EventPublisher;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.springframework.kafka.support.SendResult;

/** Small real corpora on disk for the ingest tests, and a publisher that keeps the batches instead of sending them. */
public final class IngestFixtures {

    private IngestFixtures() {
    }

    /** Writes a real 8×6 PNG (parent folders created) and returns its path. */
    public static Path png(Path file) {
        return image(file, "png", Color.RED);
    }

    /** Writes a real 8×6 JPEG (parent folders created) and returns its path. */
    public static Path jpeg(Path file) {
        return image(file, "jpeg", Color.BLUE);
    }

    /**
     * Copies the real lossless WebP fixture (32×24: red left half, blue right half, green bottom third; see
     * src/test/resources/images/README.md) to {@code file} and returns it.
     */
    public static Path webp(Path file) {
        try (InputStream in = IngestFixtures.class.getResourceAsStream("/images/halves-lossless.webp")) {
            if (in == null) {
                throw new IllegalStateException("test resource /images/halves-lossless.webp is missing");
            }
            Files.createDirectories(file.getParent());
            Files.write(file, in.readAllBytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path text(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path image(Path file, String format, Color colour) {
        BufferedImage image = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 8; x++) {
                image.setRGB(x, y, x < 4 ? colour.getRGB() : Color.WHITE.getRGB());
            }
        }
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records every batch as the broker would have acknowledged it at once. */
    public static final class RecordingPublisher extends EventPublisher {

        private final List<CorpusIngestBatch> batches = new CopyOnWriteArrayList<>();

        public RecordingPublisher() {
            super(null, null, Duration.ZERO);
        }

        @Override
        public CompletableFuture<SendResult<String, byte[]>> publish(String topic, RecapMessage message) {
            batches.add((CorpusIngestBatch) message);
            return CompletableFuture.completedFuture(null);
        }

        public List<CorpusIngestBatch> batches() {
            return List.copyOf(batches);
        }

        /** The items of every batch published so far, by image id, in publishing order. */
        public Map<String, CorpusIngestBatch.Item> items() {
            Map<String, CorpusIngestBatch.Item> items = new LinkedHashMap<>();
            batches.forEach(batch -> batch.items().forEach(item -> items.put(item.imageId(), item)));
            return items;
        }

        public void clear() {
            batches.clear();
        }
    }
}

package io.recap.orchestrator.ingest;

import io.recap.core.messages.CorpusIngestBatch;
import io.recap.core.messages.MessageCodec;
import io.recap.core.messages.Topics;
import io.recap.core.store.AllowedRoots;
import io.recap.orchestrator.ingest.format.CorpusFormat;
import io.recap.orchestrator.ingest.format.CorpusReaders;
import io.recap.orchestrator.ingest.format.ItemError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a corpus directory to {@code recap.corpus.ingest} from the command line — the same batches
 * {@code POST /corpora/{corpusId}/ingest} publishes, so either may be repeated or mixed safely.
 *
 * <pre>
 * java -cp training-orchestrator/target/training-orchestrator-0.1.0-SNAPSHOT-exec.jar \
 *   -Dloader.main=io.recap.orchestrator.ingest.IngestCli org.springframework.boot.loader.launch.PropertiesLauncher \
 *   --corpus shapes-10k --manifest /data/corpora/shapes-10k --bootstrap-servers localhost:9092 \
 *   [--format shapes|sidecar|imagefolder|jsonl|csv] [--text-column NAME] \
 *   [--batch-size 100] [--allowed-roots /data/corpora,/mnt/more]
 * </pre>
 *
 * Without {@code --format} the format is detected. Without {@code --allowed-roots} the whole file system is the
 * root (the command runs with its user's own rights), so only {@code ..} segments are refused. Items left out
 * are counted and the first of them printed to standard error. Exit status 0 when every batch was acknowledged by
 * the broker, 2 for bad arguments (an unknown format included), 1 otherwise (a corpus with no usable image too).
 */
public final class IngestCli {

    private IngestCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String... args) {
        Map<String, String> options;
        try {
            options = options(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ingest: " + e.getMessage());
            System.err.println("usage: --corpus ID --manifest DIR --bootstrap-servers HOST:PORT "
                    + "[--format shapes|sidecar|imagefolder|jsonl|csv] [--text-column NAME] [--batch-size 100] "
                    + "[--allowed-roots DIR[,DIR...]]");
            return 2;
        }
        CorpusFormat format;
        try {
            format = new IngestRequest(options.get("manifest"), options.get("format"), null).corpusFormat();
        } catch (InvalidIngestRequestException e) {
            System.err.println("ingest: " + e.getMessage());
            return 2;
        }
        try {
            String corpus = options.get("corpus");
            Path dir = realPath(Path.of(options.get("manifest")));
            int batchSize = Integer.parseInt(options.getOrDefault("batch-size", "100"));
            // Real paths either way, as the REST endpoint references them: the same corpus gives the same batches.
            AllowedRoots roots = AllowedRoots.of(dir.getRoot());
            if (options.containsKey("allowed-roots")) {
                roots = new AllowedRoots(Arrays.stream(options.get("allowed-roots").split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).toList());
                dir = roots.resolve(dir.toString());
            }
            IngestPlan plan = IngestPlan.prepare(new CorpusReaders(roots), corpus, dir, format,
                    options.get("text-column"), batchSize);
            publish(options.get("bootstrap-servers"), plan.batches());
            IngestReceipt receipt = plan.receipt(Topics.CORPUS_INGEST);
            System.out.printf("ingest: corpus %s (%s): %d images (%d without alt-text) in %d batches published to %s "
                    + "from %s; %d left out%n", corpus, receipt.format(), receipt.images(), receipt.withoutAltText(),
                    receipt.batches(), receipt.topic(), dir, receipt.errorCount());
            for (ItemError error : receipt.errors()) {
                System.err.printf("ingest: left out %s%s: %s: %s%n", error.path() == null ? "" : error.path(),
                        error.line() == null ? "" : " (line " + error.line() + ")", error.reason(), error.detail());
            }
            return 0;
        } catch (Exception e) {
            System.err.println("ingest failed: " + e);
            return 1;
        }
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (java.io.IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    private static void publish(String bootstrapServers, List<CorpusIngestBatch> batches) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        MessageCodec codec = new MessageCodec();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            List<Future<?>> sends = new ArrayList<>(batches.size());
            for (CorpusIngestBatch batch : batches) {
                sends.add(producer.send(new ProducerRecord<>(Topics.CORPUS_INGEST, batch.key(), codec.encode(batch))));
            }
            for (Future<?> send : sends) {
                send.get(90, TimeUnit.SECONDS);
            }
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            options.put(name, value);
        }
        for (String required : List.of("corpus", "manifest", "bootstrap-servers")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        for (String name : options.keySet()) {
            if (!List.of("corpus", "manifest", "bootstrap-servers", "format", "text-column", "batch-size",
                    "allowed-roots").contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
        }
        return options;
    }
}

package io.recap.orchestrator.ingest;

import io.recap.core.kafka.KafkaClientSecurity;
import io.recap.core.messages.CorpusIngestBatch;
import io.recap.core.messages.MessageCodec;
import io.recap.core.messages.Topics;
import io.recap.core.store.AllowedRoots;
import io.recap.orchestrator.ingest.format.CorpusFormat;
import io.recap.orchestrator.ingest.format.CorpusReaders;
import io.recap.orchestrator.ingest.format.ItemError;
import io.recap.service.web.InvalidFieldException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Publishes a corpus directory to {@code recap.corpus.ingest} from the command line — the same batches
 * {@code POST /corpora/{corpusId}/ingest} publishes, so either may be repeated or mixed safely.
 *
 * <pre>
 * java -cp training-orchestrator/target/training-orchestrator-0.1.0-SNAPSHOT-exec.jar \
 *   -Dloader.main=io.recap.orchestrator.ingest.IngestCli org.springframework.boot.loader.launch.PropertiesLauncher \
 *   --corpus shapes-10k --manifest /data/corpora/shapes-10k --bootstrap-servers localhost:9092 \
 *   [--format recap|sidecar|imagefolder|jsonl|csv|webdataset] [--text-column NAME] \
 *   [--batch-size 100] [--allowed-roots /data/corpora,/mnt/more]
 * </pre>
 *
 * Without {@code --format} the format is detected ({@code shapes} is still accepted, as {@code recap}). Without
 * {@code --allowed-roots} the whole file system is the root (the command runs with its user's own rights), so only
 * {@code ..} segments are refused. Items left out are counted and the first of them printed to standard error.
 * {@code --help} lists the options. Exit status 0 when every batch was acknowledged by the broker, 2 for bad
 * arguments (an unknown format and invalid Kafka security variables included), 1 otherwise (a corpus with no usable
 * image too).
 *
 * <p>Against a broker that authenticates, it reads the platform's {@code KAFKA_SECURITY_PROTOCOL} and
 * {@code KAFKA_SASL_*} variables (docs/security.md); its principal is {@code ingest}, which may write
 * {@code recap.corpus.ingest} only.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Publishes a corpus directory to recap.corpus.ingest, as POST /corpora/{id}/ingest does.")
public final class IngestCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--corpus", required = true, paramLabel = "ID", description = "The corpus id.")
    String corpus;

    @Option(names = "--manifest", required = true, paramLabel = "DIR", description = "The corpus directory.")
    Path manifest;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT",
            description = "The Kafka brokers.")
    String bootstrapServers;

    @Option(names = "--format", paramLabel = "recap|sidecar|imagefolder|jsonl|csv|webdataset",
            description = "The corpus's layout (shapes: the same as recap); detected when left out.")
    String format;

    @Option(names = "--text-column", paramLabel = "NAME",
            description = "The manifest column holding the alt-text (imagefolder, jsonl, csv); default: the format's own.")
    String textColumn;

    @Option(names = "--batch-size", paramLabel = "N", description = "Images per batch; default ${DEFAULT-VALUE}.")
    int batchSize = 100;

    @Option(names = "--allowed-roots", paramLabel = "DIR[,DIR...]",
            description = "Directories the corpus and its images must lie under; default: the whole file system.")
    String allowedRoots;

    private IngestCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command, for {@link #run(String...)} and for tests that read what it prints. */
    static CommandLine commandLine() {
        return new CommandLine(new IngestCli());
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CorpusFormat corpusFormat;
        Map<String, String> kafkaSecurity;
        try {
            corpusFormat = new IngestRequest(manifest.toString(), format, null).corpusFormat();
            kafkaSecurity = KafkaClientSecurity.clientProperties(System.getenv());
        } catch (InvalidFieldException | KafkaClientSecurity.InvalidKafkaSecurityException
                | java.io.UncheckedIOException e) {
            err.println("ingest: " + e.getMessage());
            return 2;
        }
        try {
            Path dir = realPath(manifest);
            // Real paths either way, as the REST endpoint references them: the same corpus gives the same batches.
            AllowedRoots roots = AllowedRoots.of(dir.getRoot());
            if (allowedRoots != null) {
                roots = new AllowedRoots(Arrays.stream(allowedRoots.split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).toList());
                dir = roots.resolve(dir.toString());
            }
            IngestPlan plan = IngestPlan.prepare(new CorpusReaders(roots), corpus, dir, corpusFormat, textColumn,
                    batchSize);
            publish(bootstrapServers, kafkaSecurity, plan.batches());
            IngestReceipt receipt = plan.receipt(Topics.CORPUS_INGEST);
            out.printf("ingest: corpus %s (%s): %d images (%d without alt-text) in %d batches published to %s "
                    + "from %s; %d left out%n", corpus, receipt.format(), receipt.images(), receipt.withoutAltText(),
                    receipt.batches(), receipt.topic(), dir, receipt.errorCount());
            for (ItemError error : receipt.errors()) {
                err.printf("ingest: left out %s%s: %s: %s%n", error.path() == null ? "" : error.path(),
                        error.line() == null ? "" : " (line " + error.line() + ")", error.reason(), error.detail());
            }
            return 0;
        } catch (Exception e) {
            err.println("ingest failed: " + e);
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

    private static void publish(String bootstrapServers, Map<String, String> security,
            List<CorpusIngestBatch> batches) throws Exception {
        Properties props = new Properties();
        props.putAll(security);
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
}

package io.recap.orchestrator.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest command line's own contract; IngestApiTests publishes real corpora through it. */
class IngestCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return IngestCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Test
    void helpPrintsEveryOptionAndExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: ingest", "--corpus=ID", "--manifest=DIR",
                "--bootstrap-servers=HOST:PORT", "--format=recap|sidecar|imagefolder|jsonl|csv|webdataset",
                "--text-column=NAME", "--batch-size=N", "--allowed-roots=DIR[,DIR...]");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void badArgumentsExitWithStatus2AndSayWhatIsWrong(@TempDir Path dir) {
        assertThat(run("--corpus", "c", "--manifest", dir.toString(), "--bootstrap-servers", "localhost:1",
                "--colour", "red")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown options: '--colour', 'red'");
        assertThat(run("--corpus", "c")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required options: '--manifest=DIR', "
                + "'--bootstrap-servers=HOST:PORT'", "Usage: ingest");
        assertThat(run("--corpus", "c", "--manifest", dir.toString(), "--bootstrap-servers", "localhost:1",
                "--batch-size", "many")).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid value for option '--batch-size': 'many' is not an int");
        assertThat(run("--corpus", "c", "--manifest", dir.toString(), "--bootstrap-servers", "localhost:1",
                "--format", "parquet")).isEqualTo(2);
        assertThat(err.toString()).contains("ingest: ", "parquet");
        assertThat(out.toString()).isEmpty();
    }
}

package io.recap.experiments.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.experiments.CommandRun;
import org.junit.jupiter.api.Test;

class CommandLinesTest {

    @Test
    void helpPrintsEachProgramsUsageAndExitsZero() {
        CommandRun peer = CommandRun.of(PeerBenchmark.commandLine(), "--help");
        assertThat(peer.status()).isZero();
        assertThat(peer.out()).contains("Usage: PeerBenchmark", "--network=t2i|captioner", "--repeats=N",
                "--weights=DIR", "--out=FILE.json", "--profile=DIR");
        CommandRun small = CommandRun.of(SmallPresetRun.commandLine(), "--help");
        assertThat(small.status()).isZero();
        assertThat(small.out()).contains("Usage: SmallPresetRun", "--pretrain=STEPS", "--steps=STEPS");
    }

    @Test
    void aBadOptionExitsWithStatus2AndAMessage() {
        CommandRun peer = CommandRun.of(PeerBenchmark.commandLine(), "network=t2i");
        assertThat(peer.status()).isEqualTo(2);
        assertThat(peer.err()).contains("Unmatched argument at index 0: 'network=t2i'");
        CommandRun network = CommandRun.of(PeerBenchmark.commandLine(), "--network", "vae");
        assertThat(network.status()).isEqualTo(2);
        assertThat(network.err()).contains("--network must be t2i or captioner: vae");
        CommandRun small = CommandRun.of(SmallPresetRun.commandLine(), "--steps", "many");
        assertThat(small.status()).isEqualTo(2);
        assertThat(small.err()).contains("Invalid value for option '--steps': 'many' is not an int");
    }
}

package io.recap.orchestrator.task;

import java.nio.file.Path;

/**
 * A checkpoint recorded for a job.
 *
 * @param step the training step it holds
 * @param storeKey its location relative to the store root (what {@code CHECKPOINT} events carry)
 * @param path its location on this machine
 */
public record Checkpoint(long step, String storeKey, Path path) {
}

package io.recap.orchestrator.support;

import io.recap.core.domain.JobKind;
import io.recap.orchestrator.jobs.JobSpec;
import io.recap.orchestrator.task.TaskContext;
import io.recap.orchestrator.task.TrainingTask;
import io.recap.orchestrator.task.TransientTaskException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A test double for the training tasks: no model, counts steps, writes a checkpoint file every few steps and
 * resumes from the newest one. Tests of the orchestrator's machinery (progress, checkpoints, retries, resume,
 * cancellation, failures) run it in seconds through {@link SimulatedTrainingTasks}: a job whose params say
 * {@code simulate=true} runs this instead of its kind's real task.
 *
 * <p>Params: {@code steps} (20), {@code stepMillis} (50), {@code checkpointEvery} (5),
 * {@code holdAtStep} (first attempt only: after checkpointing this step, wait until interrupted),
 * {@code transientFailures} (the first N attempts fail transiently after their first checkpoint),
 * {@code failWith} (fail permanently with this message at the first checkpoint).
 */
public final class SimulatedTrainingTask implements TrainingTask {

    private final JobKind kind;

    public SimulatedTrainingTask(JobKind kind) {
        this.kind = kind;
    }

    @Override
    public JobKind kind() {
        return kind;
    }

    @Override
    public void run(JobSpec spec, TaskContext context) throws Exception {
        Map<String, String> params = context.params();
        long steps = Long.parseLong(params.getOrDefault("steps", "20"));
        long stepMillis = Long.parseLong(params.getOrDefault("stepMillis", "50"));
        long checkpointEvery = Math.max(1, Long.parseLong(params.getOrDefault("checkpointEvery", "5")));
        long holdAtStep = Long.parseLong(params.getOrDefault("holdAtStep", "-1"));
        int transientFailures = Integer.parseInt(params.getOrDefault("transientFailures", "0"));
        String failWith = params.get("failWith");

        long step = 0;
        if (context.lastCheckpoint().isPresent()) {
            // Resume from what the checkpoint file says, not from what we were told: proves the files are real.
            Path state = context.lastCheckpoint().get().path().resolve("state.txt");
            step = Long.parseLong(Files.readString(state, StandardCharsets.UTF_8).trim());
            context.log("resumed from checkpoint at step " + step + " (attempt " + context.attempt() + ")");
        } else {
            context.log("starting " + kind + " from scratch: " + steps + " steps");
        }
        boolean checkpointedThisAttempt = false;
        while (step < steps) {
            context.throwIfCancelled();
            Thread.sleep(stepMillis);
            step++;
            double loss = 1.0 / (1 + step);
            context.progress(step, steps, loss);
            if (step % checkpointEvery == 0 || step == steps) {
                Path dir = context.checkpointDirectory().resolve(String.format("step-%06d", step));
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("state.txt"), Long.toString(step), StandardCharsets.UTF_8);
                context.checkpoint(step, dir);
                if (!checkpointedThisAttempt) {
                    checkpointedThisAttempt = true;
                    if (failWith != null) {
                        throw new IllegalStateException(failWith);
                    }
                    if (context.attempt() <= transientFailures) {
                        throw new TransientTaskException("simulated transient failure in attempt " + context.attempt());
                    }
                }
                if (step == holdAtStep && context.attempt() == 1) {
                    context.log("holding at step " + step + " until interrupted");
                    while (true) {
                        context.throwIfCancelled();
                        Thread.sleep(20);
                    }
                }
            }
        }
        context.metrics(null, Map.of("loss", 1.0 / (1 + steps), "steps", (double) steps));
        context.log("finished " + steps + " steps");
    }
}

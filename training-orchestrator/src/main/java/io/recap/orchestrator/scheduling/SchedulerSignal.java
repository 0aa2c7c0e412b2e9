package io.recap.orchestrator.scheduling;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Wakes the scheduler early (a job was submitted, a slot was freed) instead of waiting for its next poll. */
public final class SchedulerSignal {

    private final Semaphore permit = new Semaphore(0);

    public void wake() {
        if (permit.availablePermits() == 0) {
            permit.release();
        }
    }

    /** Waits for a wake-up or the timeout; true if woken. */
    boolean await(Duration timeout) throws InterruptedException {
        boolean woken = permit.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
        permit.drainPermits();
        return woken;
    }
}

package io.recap.shapes.corpus;

import java.util.Locale;
import java.util.function.Consumer;

/** Rate-limited progress lines with throughput and ETA, for runs that take a while. */
final class ProgressLog {
  private final Consumer<String> sink;
  private final long total;
  private final long intervalNanos;
  private final long start = System.nanoTime();
  private long lastReport = start;

  ProgressLog(Consumer<String> sink, long total, double intervalSeconds) {
    this.sink = sink;
    this.total = total;
    this.intervalNanos = (long) (intervalSeconds * 1e9);
  }

  void update(long done) {
    long now = System.nanoTime();
    if (now - lastReport >= intervalNanos && done < total) {
      lastReport = now;
      double rate = done / seconds(now);
      long eta = rate > 0 ? Math.round((total - done) / rate) : -1;
      sink.accept(String.format(Locale.ROOT, "generated %d/%d scenes (%.0f scenes/s, ETA %d s)",
          done, total, rate, eta));
    }
  }

  double elapsedSeconds() {
    return seconds(System.nanoTime());
  }

  private double seconds(long now) {
    return Math.max(1e-9, (now - start) / 1e9);
  }
}

package io.recap.ml.training;

/**
 * A seeded random source whose whole state is one {@code long} (SplitMix64), so a training
 * checkpoint can store it and a resumed run draws exactly the numbers the uninterrupted run
 * would have drawn. {@link java.util.SplittableRandom} uses the same generator but hides its state.
 */
public final class CheckpointableRandom {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    public CheckpointableRandom(long seed) {
        this.state = seed;
    }

    /** The state to store in a checkpoint; {@code new CheckpointableRandom(state())} continues the stream. */
    public long state() {
        return state;
    }

    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        return (int) Math.floorMod(nextLong(), (long) bound);
    }

    /** Fills {@code target} with standard normal values (Box-Muller, two values per pair of draws). */
    public void fillGaussian(float[] target) {
        for (int i = 0; i < target.length; i += 2) {
            double u = 1.0 - nextDouble();
            double radius = Math.sqrt(-2.0 * Math.log(u));
            double angle = 2.0 * Math.PI * nextDouble();
            target[i] = (float) (radius * Math.cos(angle));
            if (i + 1 < target.length) {
                target[i + 1] = (float) (radius * Math.sin(angle));
            }
        }
    }

    /** A seed for an independent stream derived from {@code seed} and {@code index} (e.g. one per image). */
    public static long derive(long seed, long index) {
        return new CheckpointableRandom(seed ^ (index * 0xD1B54A32D192ED03L)).nextLong();
    }
}

package io.recap.ml.diffusion;

/**
 * A discrete noise schedule over T steps. {@link #NoiseSchedule(int)} is the cosine schedule of Nichol and Dhariwal (2021):
 * {@code alphaBar(t) = f(t + 1) / f(0)}, {@code f(u) = cos^2((u / T + 0.008) / 1.008 * pi / 2)},
 * with each step's beta capped at 0.999 so the last step keeps a sliver of signal. Compared with
 * the linear DDPM schedule it destroys information more evenly, which matters for small images.
 * {@link #ofBetas} gives the DDPM schedules imported Stable Diffusion pipelines were trained with.
 *
 * <p>Index t runs from 0 (almost clean) to T - 1 (almost pure noise).
 */
public final class NoiseSchedule {

    private static final double OFFSET = 0.008;
    private static final double MAX_BETA = 0.999;

    private final double[] alphaBar;

    public NoiseSchedule(int steps) {
        if (steps < 2) {
            throw new IllegalArgumentException("a schedule needs at least 2 steps: " + steps);
        }
        alphaBar = new double[steps];
        double product = 1;
        for (int t = 0; t < steps; t++) {
            double beta = Math.min(MAX_BETA, 1 - f(t + 1, steps) / f(t, steps));
            product *= 1 - beta;
            alphaBar[t] = product;
        }
    }

    private NoiseSchedule(double[] alphaBar) {
        this.alphaBar = alphaBar;
    }

    /**
     * The DDPM schedule Stable Diffusion was trained with ({@code scaled_linear}: betas linear in their square root
     * from {@code betaStart} to {@code betaEnd}) or plain {@code linear} betas, as diffusers' schedulers name them.
     */
    public static NoiseSchedule ofBetas(int steps, double betaStart, double betaEnd, boolean scaledLinear) {
        if (steps < 2) {
            throw new IllegalArgumentException("a schedule needs at least 2 steps: " + steps);
        }
        double[] alphaBar = new double[steps];
        double product = 1;
        for (int t = 0; t < steps; t++) {
            double fraction = (double) t / (steps - 1);
            double beta = scaledLinear
                    ? Math.pow(Math.sqrt(betaStart) + fraction * (Math.sqrt(betaEnd) - Math.sqrt(betaStart)), 2)
                    : betaStart + fraction * (betaEnd - betaStart);
            product *= 1 - beta;
            alphaBar[t] = product;
        }
        return new NoiseSchedule(alphaBar);
    }

    private static double f(double u, int steps) {
        double angle = (u / steps + OFFSET) / (1 + OFFSET) * Math.PI / 2;
        return Math.cos(angle) * Math.cos(angle);
    }

    /** Number of steps T. */
    public int steps() {
        return alphaBar.length;
    }

    /** Fraction of signal variance left after step t. */
    public double alphaBar(int t) {
        return alphaBar[t];
    }

    /** Signal coefficient a = sqrt(alphaBar(t)) of {@code x_t = a x_0 + s eps}. */
    public float signal(int t) {
        return (float) Math.sqrt(alphaBar[t]);
    }

    /** Noise coefficient s = sqrt(1 - alphaBar(t)). */
    public float noise(int t) {
        return (float) Math.sqrt(1 - alphaBar[t]);
    }

    /**
     * The {@code count} time steps a DDIM sampler visits, from T - 1 down, evenly spaced
     * ("trailing" spacing: the first step always starts from pure noise, as in training).
     */
    public int[] samplingSteps(int count) {
        if (count < 1 || count > alphaBar.length) {
            throw new IllegalArgumentException("sampling steps must be in [1, " + alphaBar.length + "]: " + count);
        }
        int[] timesteps = new int[count];
        for (int i = 0; i < count; i++) {
            timesteps[i] = alphaBar.length - 1 - (int) ((long) i * alphaBar.length / count);
        }
        return timesteps;
    }
}

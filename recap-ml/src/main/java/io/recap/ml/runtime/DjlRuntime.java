package io.recap.ml.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures and starts DJL's PyTorch engine once per JVM.
 *
 * <p>PyTorch reads its thread counts only when the engine starts, so they must be set as
 * system properties before the first NDManager is created; every entry point of this
 * module calls {@link #start()} first. Explicit system properties (for example
 * {@code -Dai.djl.pytorch.num_threads=4}) always win over the defaults set here.
 *
 * <p>The intra-op thread count defaults to all cores; {@code -Drecap.ml.threads=N} or the
 * environment variable {@code RECAP_ML_THREADS} lowers it. Lower it where other processes share
 * the cores: two OpenMP threads on a busy 2-core machine were measured stalling each other
 * (0.8 against 6-8 training steps/s with one thread).
 */
public final class DjlRuntime {

    /** System property / environment variable with the intra-op thread count. */
    public static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";
    /** System property with the inter-op thread count. */
    public static final String INTEROP_THREADS_PROPERTY = "ai.djl.pytorch.num_interop_threads";
    /** Our own override, convenient from Spring configuration or the command line. */
    public static final String RECAP_THREADS_PROPERTY = "recap.ml.threads";
    /** The same override as an environment variable, convenient in containers. */
    public static final String RECAP_THREADS_ENVIRONMENT = "RECAP_ML_THREADS";

    private static final Logger log = LoggerFactory.getLogger(DjlRuntime.class);
    private static final String ENGINE = "PyTorch";
    private static volatile EngineInfo info;

    private DjlRuntime() {
    }

    /**
     * Applies defaults, starts the engine if needed and reports what it found.
     * Safe to call from any thread, any number of times.
     */
    public static EngineInfo start() {
        EngineInfo current = info;
        if (current != null) {
            return current;
        }
        synchronized (DjlRuntime.class) {
            if (info == null) {
                info = startEngine();
                log.info("DJL engine ready: {}", info);
            }
            return info;
        }
    }

    /**
     * Starts the engine if needed and turns PyTorch's autograd off on the calling thread. Autograd
     * mode is per thread and on by default; DJL turns it off only on the thread that starts the
     * engine, and the trainers write parameters in place outside their gradient collectors (EMA
     * updates, weight copies), which PyTorch refuses with autograd on ("a leaf Variable that
     * requires grad is being used in an in-place operation"). The trainers call this first, so
     * they work on any thread (an orchestrator's executor, a service's worker).
     */
    public static EngineInfo prepareCurrentThread() {
        EngineInfo engine = start();
        if (ENGINE.equals(Engine.getInstance().getEngineName())) {
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        }
        return engine;
    }

    /**
     * Splits the cores among {@code passes} forward passes that will run at once, each on its own
     * thread: the engine starts with cores / passes intra-op threads (at least one), unless it
     * has started already or a count was set explicitly ({@code ai.djl.pytorch.num_threads},
     * {@code recap.ml.threads} or {@code RECAP_ML_THREADS} still win).
     */
    public static synchronized void shareCoresAmong(int passes) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, passes));
        if (info != null) {
            if (info.intraOpThreads() != threads) {
                log.warn("engine already runs {} intra-op threads; {} were asked for", info.intraOpThreads(), threads);
            }
        } else if (System.getProperty(THREADS_PROPERTY) == null && explicitThreads() == null) {
            System.setProperty(THREADS_PROPERTY, String.valueOf(threads));
        }
    }

    /** The device new models use: the first GPU when DJL finds one, the CPU otherwise. */
    public static Device defaultDevice() {
        return start().defaultDevice();
    }

    private static EngineInfo startEngine() {
        // Never try to download natives or models: this platform trains everything itself.
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("ai.djl.default_engine", ENGINE);
        setIfAbsent(THREADS_PROPERTY, String.valueOf(requestedThreads()));
        // Our graphs are sequential; extra inter-op threads only compete for the same cores.
        setIfAbsent(INTEROP_THREADS_PROPERTY, "1");

        long begin = System.nanoTime();
        Engine engine = Engine.getEngine(ENGINE);
        Device device = engine.defaultDevice();
        long startMillis = (System.nanoTime() - begin) / 1_000_000;
        return new EngineInfo(
                engine.getEngineName(),
                engine.getVersion(),
                Engine.getDjlVersion(),
                device,
                engine.getGpuCount(),
                Integer.parseInt(System.getProperty(THREADS_PROPERTY)),
                Integer.parseInt(System.getProperty(INTEROP_THREADS_PROPERTY)),
                startMillis);
    }

    private static int requestedThreads() {
        String requested = explicitThreads();
        int cores = Runtime.getRuntime().availableProcessors();
        if (requested == null) {
            return cores;
        }
        try {
            return Math.max(1, Integer.parseInt(requested.trim()));
        } catch (NumberFormatException e) {
            log.warn("ignoring thread count '{}', using {} cores", requested, cores);
            return cores;
        }
    }

    private static String explicitThreads() {
        String requested = System.getProperty(RECAP_THREADS_PROPERTY, System.getenv(RECAP_THREADS_ENVIRONMENT));
        return requested == null || requested.isBlank() ? null : requested;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}

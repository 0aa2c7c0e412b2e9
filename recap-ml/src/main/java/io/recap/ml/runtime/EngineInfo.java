package io.recap.ml.runtime;

import ai.djl.Device;

/**
 * What the running engine reports about itself.
 *
 * @param engineName the DJL engine name, e.g. {@code PyTorch}
 * @param engineVersion the native library version, e.g. {@code 2.7.1}
 * @param djlVersion the DJL API version
 * @param defaultDevice the device new models and managers land on (a GPU when one is found)
 * @param gpuCount number of GPUs the engine sees
 * @param intraOpThreads threads one operator may use
 * @param interOpThreads threads used to run independent operators
 * @param startMillis wall time the first engine start took in this JVM (0 when it was already up)
 */
public record EngineInfo(
        String engineName,
        String engineVersion,
        String djlVersion,
        Device defaultDevice,
        int gpuCount,
        int intraOpThreads,
        int interOpThreads,
        long startMillis) {

    @Override
    public String toString() {
        return engineName + " " + engineVersion + " (DJL " + djlVersion + ") on " + defaultDevice
                + ", gpus=" + gpuCount + ", threads=" + intraOpThreads + "/" + interOpThreads
                + ", start=" + startMillis + " ms";
    }
}

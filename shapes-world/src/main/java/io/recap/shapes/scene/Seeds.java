package io.recap.shapes.scene;

/** Seed mixing so that any item of a seeded sequence can be reproduced without the others. */
public final class Seeds {
  private Seeds() {}

  /** A well-scrambled 64-bit seed for item {@code index} of the stream {@code seed}. */
  public static long mix(long seed, long index) {
    long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
    // SplitMix64 finaliser: neighbouring (seed, index) pairs give unrelated outputs.
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}

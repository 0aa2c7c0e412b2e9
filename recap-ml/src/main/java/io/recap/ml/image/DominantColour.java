package io.recap.ml.image;

import java.util.HashMap;
import java.util.Map;

/**
 * An image's most common colour and how far a pixel is from it: on ShapesWorld-like images the
 * background, which the diffusion loss weighting and the position probe both measure against.
 */
public final class DominantColour {

    private DominantColour() {
    }

    /**
     * The most common of {@code pixels & mask} (ties go to the colour that reached the count first,
     * in pixel order); a coarser mask groups noisy pixels into one colour.
     */
    public static int of(int[] pixels, int mask) {
        Map<Integer, Integer> counts = new HashMap<>();
        int mode = pixels[0] & mask;
        int best = 0;
        for (int pixel : pixels) {
            int colour = pixel & mask;
            int count = counts.merge(colour, 1, Integer::sum);
            if (count > best) {
                best = count;
                mode = colour;
            }
        }
        return mode;
    }

    /** Sum of absolute RGB channel differences, 0..765. */
    public static int distance(int rgb, int other) {
        return Math.abs(((rgb >> 16) & 0xFF) - ((other >> 16) & 0xFF))
                + Math.abs(((rgb >> 8) & 0xFF) - ((other >> 8) & 0xFF))
                + Math.abs((rgb & 0xFF) - (other & 0xFF));
    }
}

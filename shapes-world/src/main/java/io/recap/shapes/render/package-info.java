/**
 * Rendering scenes to images (java.awt, headless) and the degradations (noise, blur) that the
 * oracle's robustness is measured against.
 */
package io.recap.shapes.render;

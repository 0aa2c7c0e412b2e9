/** Safe PNG/JPEG decoding: size, format and decompression-bomb checks before any pixel is decoded. */
package io.recap.core.image;

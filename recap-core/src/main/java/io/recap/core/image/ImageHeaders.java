package io.recap.core.image;

import io.recap.core.image.ImageValidationException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Byte-level parsing of PNG, JPEG and WebP containers: sniffing, dimensions from the header, and a walk
 * of the whole container to find truncation or corruption. Nothing here allocates pixel memory,
 * which is the point: these checks run before any decoder sees the bytes.
 */
final class ImageHeaders {

    static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int PNG_IHDR_END = 8 + 8 + 13 + 4;

    private ImageHeaders() {
    }

    /** Format from magic bytes; TRUNCATED if the input is a strict prefix of a PNG signature. */
    static ImageFormat sniff(byte[] bytes) {
        if (startsWith(bytes, PNG_SIGNATURE)) {
            return ImageFormat.PNG;
        }
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8 && (bytes[2] & 0xFF) == 0xFF) {
            return ImageFormat.JPEG;
        }
        if (bytes.length >= 12 && ascii(bytes, 0).equals("RIFF") && ascii(bytes, 8).equals("WEBP")) {
            return ImageFormat.WEBP;
        }
        if (bytes.length < PNG_SIGNATURE.length && startsWith(PNG_SIGNATURE, bytes)) {
            throw new ImageValidationException(Reason.TRUNCATED, "input ends inside the PNG signature");
        }
        throw new ImageValidationException(Reason.UNSUPPORTED_FORMAT, "not a PNG, JPEG or WebP (unrecognised magic bytes)");
    }

    static ImageInfo readInfo(ImageFormat format, byte[] bytes) {
        return switch (format) {
            case PNG -> readPngInfo(bytes);
            case JPEG -> scanJpeg(bytes, false);
            case WEBP -> readWebpInfo(bytes);
        };
    }

    static void verifyComplete(ImageFormat format, byte[] bytes) {
        switch (format) {
            case PNG -> verifyPngChunks(bytes);
            case JPEG -> scanJpeg(bytes, true);
            case WEBP -> verifyWebpChunks(bytes);
        }
    }

    // ---- WebP: "RIFF" [size u32 LE, counts from byte 8] "WEBP", then chunks of [fourcc][size u32 LE][data, padded
    // to even]. The first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended: alpha, animation, metadata), and
    // each carries the canvas size at a fixed place, so the pixel limit is checked before the plugin decodes.

    private static ImageInfo readWebpInfo(byte[] b) {
        if (b.length < 30) {
            throw new ImageValidationException(Reason.TRUNCATED, "WebP ends inside its first chunk's header");
        }
        String first = ascii(b, 12);
        int data = 20;
        int width;
        int height;
        switch (first) {
            case "VP8 " -> {
                // 3-byte frame tag, then the key-frame start code 9D 01 2A, then 14-bit width and height.
                if ((b[data + 3] & 0xFF) != 0x9D || (b[data + 4] & 0xFF) != 0x01 || (b[data + 5] & 0xFF) != 0x2A) {
                    throw new ImageValidationException(Reason.CORRUPT, "WebP VP8 chunk lacks the key-frame start code");
                }
                width = readU16Le(b, data + 6) & 0x3FFF;
                height = readU16Le(b, data + 8) & 0x3FFF;
            }
            case "VP8L" -> {
                // Signature byte 0x2F, then 14 bits width-1 and 14 bits height-1, little-endian bit order.
                if ((b[data] & 0xFF) != 0x2F) {
                    throw new ImageValidationException(Reason.CORRUPT, "WebP VP8L chunk lacks its signature byte");
                }
                int bits = readIntLe(b, data + 1);
                width = (bits & 0x3FFF) + 1;
                height = ((bits >>> 14) & 0x3FFF) + 1;
            }
            case "VP8X" -> {
                // 4 bytes of flags, then 24-bit canvas width-1 and height-1.
                width = readU24Le(b, data + 4) + 1;
                height = readU24Le(b, data + 7) + 1;
            }
            default -> throw new ImageValidationException(Reason.CORRUPT, "WebP starts with an unknown chunk '"
                    + first.replaceAll("[^ -~]", "?") + "'");
        }
        if (width <= 0 || height <= 0) {
            throw new ImageValidationException(Reason.CORRUPT, "WebP declares an invalid size " + width + "x" + height);
        }
        return new ImageInfo(ImageFormat.WEBP, width, height);
    }

    /** The RIFF size and every chunk must fit the data: how a truncated WebP is caught before the plugin sees it. */
    private static void verifyWebpChunks(byte[] b) {
        long riffEnd = 8L + Integer.toUnsignedLong(readIntLe(b, 4));
        if (riffEnd < 12 + 8) {
            throw new ImageValidationException(Reason.CORRUPT, "WebP RIFF size is too small to hold a chunk");
        }
        if (riffEnd > b.length) {
            throw new ImageValidationException(Reason.TRUNCATED, "WebP RIFF header declares " + riffEnd
                    + " bytes but the data has " + b.length);
        }
        long pos = 12;
        while (pos < riffEnd) {
            if (pos + 8 > riffEnd) {
                throw new ImageValidationException(Reason.TRUNCATED, "WebP ends inside a chunk header at byte " + pos);
            }
            long size = Integer.toUnsignedLong(readIntLe(b, (int) pos + 4));
            long next = pos + 8 + size + (size & 1);
            if (pos + 8 + size > riffEnd) {
                throw new ImageValidationException(Reason.TRUNCATED, "WebP " + ascii(b, (int) pos).replaceAll("[^ -~]", "?")
                        + " chunk at byte " + pos + " runs past the end of the data");
            }
            pos = next;
        }
    }

    // ---- PNG: signature, then chunks of [length u32][type 4][data][crc32 of type+data]; IHDR first, IEND last.

    private static ImageInfo readPngInfo(byte[] b) {
        if (b.length < PNG_IHDR_END) {
            throw new ImageValidationException(Reason.TRUNCATED, "PNG ends inside its IHDR header");
        }
        if (readInt(b, 8) != 13 || !chunkType(b, 12).equals("IHDR")) {
            throw new ImageValidationException(Reason.CORRUPT, "PNG does not start with a 13-byte IHDR chunk");
        }
        requireCrc(b, 8, 13);
        int width = readInt(b, 16);
        int height = readInt(b, 20);
        if (width <= 0 || height <= 0) {
            throw new ImageValidationException(Reason.CORRUPT, "PNG IHDR declares an invalid size "
                    + Integer.toUnsignedString(width) + "x" + Integer.toUnsignedString(height));
        }
        return new ImageInfo(ImageFormat.PNG, width, height);
    }

    private static void verifyPngChunks(byte[] b) {
        long pos = PNG_SIGNATURE.length;
        while (true) {
            if (pos + 8 > b.length) {
                throw new ImageValidationException(Reason.TRUNCATED, "PNG ends at byte " + b.length + " without an IEND chunk");
            }
            int at = (int) pos;
            int length = readInt(b, at);
            if (length < 0) {
                throw new ImageValidationException(Reason.CORRUPT, "PNG chunk at byte " + at + " has an invalid length");
            }
            String type = chunkType(b, at + 4);
            if (!type.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                throw new ImageValidationException(Reason.CORRUPT, "PNG chunk at byte " + at + " has an invalid type");
            }
            if (pos + 12L + length > b.length) {
                throw new ImageValidationException(Reason.TRUNCATED, "PNG " + type + " chunk at byte " + at
                        + " runs past the end of the data");
            }
            requireCrc(b, at, length);
            if (type.equals("IEND")) {
                return;
            }
            pos += 12L + length;
        }
    }

    private static void requireCrc(byte[] b, int chunkStart, int length) {
        CRC32 crc = new CRC32();
        crc.update(b, chunkStart + 4, 4 + length);
        int stored = readInt(b, chunkStart + 8 + length);
        if ((int) crc.getValue() != stored) {
            throw new ImageValidationException(Reason.CORRUPT, "PNG " + chunkType(b, chunkStart + 4)
                    + " chunk at byte " + chunkStart + " fails its CRC check");
        }
    }

    // ---- JPEG: SOI, then marker segments [FF xx][length u16 incl. itself]; entropy-coded data follows SOS; EOI ends.

    /**
     * Walks the markers. With {@code toEnd == false} it stops at the first frame header (SOFn) and
     * returns its size; with {@code toEnd == true} it also requires an EOI marker, which is how a
     * truncated JPEG is caught (ImageIO would silently return a half-grey image for it).
     */
    private static ImageInfo scanJpeg(byte[] b, boolean toEnd) {
        int n = b.length;
        int pos = 2;
        ImageInfo frame = null;
        while (true) {
            if (pos >= n) {
                throw new ImageValidationException(Reason.TRUNCATED, "JPEG ends without an EOI marker");
            }
            if ((b[pos] & 0xFF) != 0xFF) {
                throw new ImageValidationException(Reason.CORRUPT, "JPEG has no marker where one is expected at byte " + pos);
            }
            while (pos < n && (b[pos] & 0xFF) == 0xFF) {
                pos++; // fill bytes may precede a marker
            }
            if (pos >= n) {
                throw new ImageValidationException(Reason.TRUNCATED, "JPEG ends inside a marker");
            }
            int marker = b[pos++] & 0xFF;
            if (marker == 0xD9) {
                if (frame == null) {
                    throw new ImageValidationException(Reason.CORRUPT, "JPEG has no frame header (SOF)");
                }
                return frame;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // standalone markers carry no length
            }
            if (marker == 0x00 || marker == 0xD8) {
                throw new ImageValidationException(Reason.CORRUPT, "JPEG has an invalid marker at byte " + (pos - 1));
            }
            if (pos + 2 > n) {
                throw new ImageValidationException(Reason.TRUNCATED, "JPEG ends inside a segment length");
            }
            int segmentLength = readU16(b, pos);
            if (segmentLength < 2) {
                throw new ImageValidationException(Reason.CORRUPT, "JPEG segment at byte " + pos + " has length " + segmentLength);
            }
            if ((long) pos + segmentLength > n) {
                throw new ImageValidationException(Reason.TRUNCATED, "JPEG segment at byte " + pos + " runs past the end of the data");
            }
            if (isStartOfFrame(marker) && frame == null) {
                if (segmentLength < 8) {
                    throw new ImageValidationException(Reason.CORRUPT, "JPEG frame header is too short");
                }
                int height = readU16(b, pos + 3);
                int width = readU16(b, pos + 5);
                if (width == 0 || height == 0) {
                    throw new ImageValidationException(Reason.CORRUPT, "JPEG frame header declares a zero size "
                            + width + "x" + height);
                }
                frame = new ImageInfo(ImageFormat.JPEG, width, height);
                if (!toEnd) {
                    return frame;
                }
            }
            pos += segmentLength;
            if (marker == 0xDA) {
                if (frame == null) {
                    throw new ImageValidationException(Reason.CORRUPT, "JPEG scan starts before any frame header");
                }
                pos = skipEntropyCodedData(b, pos);
            }
        }
    }

    /**
     * The EXIF orientation (1..8) of a JPEG that the structural scan has accepted, or 1 when it has none. Cameras
     * store the sensor's pixels and say in APP1 how to turn them; a caption of the unturned image would describe a
     * sideways scene. Read from IFD0's tag 0x0112 only; anything malformed counts as "no orientation", since the
     * pixels themselves are fine.
     */
    static int jpegOrientation(byte[] b) {
        int pos = 2;
        while (pos + 4 <= b.length && (b[pos] & 0xFF) == 0xFF) {
            int marker = b[pos + 1] & 0xFF;
            if (marker == 0xDA || marker == 0xD9) {
                return 1; // metadata segments all come before the first scan
            }
            int length = readU16(b, pos + 2);
            int start = pos + 4;
            int end = pos + 2 + length;
            if (length < 2 || end > b.length) {
                return 1;
            }
            if (marker == 0xE1 && end - start >= 14 && new String(b, start, 6, StandardCharsets.ISO_8859_1).equals("Exif\0\0")) {
                return exifOrientation(b, start + 6, end);
            }
            pos = end;
        }
        return 1;
    }

    private static int exifOrientation(byte[] b, int tiff, int end) {
        boolean little = b[tiff] == 'I' && b[tiff + 1] == 'I';
        if (!little && !(b[tiff] == 'M' && b[tiff + 1] == 'M')) {
            return 1;
        }
        long ifd = tiff + Integer.toUnsignedLong(readTiffInt(b, tiff + 4, little));
        if (ifd + 2 > end) {
            return 1;
        }
        int entries = readTiffShort(b, (int) ifd, little);
        for (int i = 0; i < entries; i++) {
            long entry = ifd + 2 + 12L * i;
            if (entry + 12 > end) {
                return 1;
            }
            int at = (int) entry;
            if (readTiffShort(b, at, little) == 0x0112 && readTiffShort(b, at + 2, little) == 3) {
                int orientation = readTiffShort(b, at + 8, little);
                return orientation >= 1 && orientation <= 8 ? orientation : 1;
            }
        }
        return 1;
    }

    private static int readTiffShort(byte[] b, int at, boolean little) {
        return little ? readU16Le(b, at) : readU16(b, at);
    }

    private static int readTiffInt(byte[] b, int at, boolean little) {
        return little ? readIntLe(b, at) : readInt(b, at);
    }

    /** Returns the index of the next real marker's 0xFF; stuffed FF00 and restart markers belong to the data. */
    private static int skipEntropyCodedData(byte[] b, int pos) {
        int n = b.length;
        while (pos < n) {
            if ((b[pos] & 0xFF) != 0xFF) {
                pos++;
                continue;
            }
            if (pos + 1 >= n) {
                break;
            }
            int next = b[pos + 1] & 0xFF;
            if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                pos += 2;
            } else if (next == 0xFF) {
                pos++;
            } else {
                return pos;
            }
        }
        throw new ImageValidationException(Reason.TRUNCATED, "JPEG ends inside its compressed data (no EOI marker)");
    }

    /** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] b, int at) {
        return new String(b, at, 4, StandardCharsets.ISO_8859_1);
    }

    private static int readIntLe(byte[] b, int at) {
        return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8) | ((b[at + 2] & 0xFF) << 16) | ((b[at + 3] & 0xFF) << 24);
    }

    private static int readU16Le(byte[] b, int at) {
        return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8);
    }

    private static int readU24Le(byte[] b, int at) {
        return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8) | ((b[at + 2] & 0xFF) << 16);
    }

    private static String chunkType(byte[] b, int at) {
        return new String(b, at, 4, StandardCharsets.ISO_8859_1);
    }

    static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static int readU16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }
}

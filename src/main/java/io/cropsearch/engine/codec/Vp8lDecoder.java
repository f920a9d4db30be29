package io.cropsearch.engine.codec;

import java.util.Arrays;

/**
 * Decoder for the lossless WebP bit stream, VP8L (RFC 9649, sections 3 to 7), to ARGB pixels
 * ({@code 0xAARRGGBB} ints, rows top to bottom).
 *
 * <p>Used for a {@code VP8L} chunk (with its 5-byte header) and for the lossless-compressed alpha of an {@code ALPH}
 * chunk (the same stream without the header; the alpha values are its green channel).
 */
final class Vp8lDecoder {

    private static final int SIGNATURE = 0x2F;
    private static final int NUM_LITERALS = 256;
    private static final int NUM_LENGTH_CODES = 24;
    private static final int NUM_DISTANCE_CODES = 40;
    private static final int MAX_CACHE_BITS = 11;
    private static final int[] CODE_LENGTH_ORDER = {17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

    /**
     * The 120 short distance codes (RFC 9649, section 4.2.2): each names a neighbour by (dy << 4) | (8 - dx), so the
     * nearest pixels in 2-D get the smallest codes whatever the image width.
     */
    private static final int[] CODE_TO_PLANE = {
        0x18, 0x07, 0x17, 0x19, 0x28, 0x06, 0x27, 0x29, 0x16, 0x1a, 0x26, 0x2a,
        0x38, 0x05, 0x37, 0x39, 0x15, 0x1b, 0x36, 0x3a, 0x25, 0x2b, 0x48, 0x04,
        0x47, 0x49, 0x14, 0x1c, 0x35, 0x3b, 0x46, 0x4a, 0x24, 0x2c, 0x58, 0x45,
        0x4b, 0x34, 0x3c, 0x03, 0x57, 0x59, 0x13, 0x1d, 0x56, 0x5a, 0x23, 0x2d,
        0x44, 0x4c, 0x55, 0x5b, 0x33, 0x3d, 0x68, 0x02, 0x67, 0x69, 0x12, 0x1e,
        0x66, 0x6a, 0x22, 0x2e, 0x54, 0x5c, 0x43, 0x4d, 0x65, 0x6b, 0x32, 0x3e,
        0x78, 0x01, 0x77, 0x79, 0x53, 0x5d, 0x11, 0x1f, 0x64, 0x6c, 0x42, 0x4e,
        0x76, 0x7a, 0x21, 0x2f, 0x75, 0x7b, 0x31, 0x3f, 0x63, 0x6d, 0x52, 0x5e,
        0x00, 0x74, 0x7c, 0x41, 0x4f, 0x10, 0x20, 0x62, 0x6e, 0x30, 0x73, 0x7d,
        0x51, 0x5f, 0x40, 0x72, 0x7e, 0x61, 0x6f, 0x50, 0x71, 0x7f, 0x60, 0x70,
    };

    /** Width, height and whether the header says alpha is used, read from a VP8L chunk's 5-byte header. */
    record Header(int width, int height, boolean alphaUsed) {
    }

    private final Vp8lBitReader in;

    private Vp8lDecoder(Vp8lBitReader in) {
        this.in = in;
    }

    /** Reads the 5-byte header of a VP8L chunk (signature, 14-bit sizes minus one, alpha hint, version 0). */
    static Header readHeader(byte[] data, int offset, int length) {
        if (length < 5) {
            throw new ImageDecodeException("truncated VP8L header");
        }
        Vp8lBitReader r = new Vp8lBitReader(data, offset, length);
        if (r.readBits(8) != SIGNATURE) {
            throw new ImageDecodeException("bad VP8L signature");
        }
        int width = r.readBits(14) + 1;
        int height = r.readBits(14) + 1;
        boolean alpha = r.readBit() == 1;
        if (r.readBits(3) != 0) {
            throw new ImageDecodeException("unsupported VP8L version");
        }
        return new Header(width, height, alpha);
    }

    /** Decodes a whole VP8L chunk payload whose header was checked with {@link #readHeader}. */
    static int[] decode(byte[] data, int offset, int length, Header header) {
        Vp8lBitReader r = new Vp8lBitReader(data, offset, length);
        r.readBits(8); // signature
        r.readBits(28); // sizes
        r.readBits(4); // alpha hint and version; the image stream starts after these 40 bits
        return new Vp8lDecoder(r).decodeImageStream(header.width(), header.height());
    }

    /** Decodes a header-less VP8L stream of a known size (the lossless alpha of an ALPH chunk). */
    static int[] decodeHeaderless(byte[] data, int offset, int length, int width, int height) {
        return new Vp8lDecoder(new Vp8lBitReader(data, offset, length)).decodeImageStream(width, height);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The main ("ARGB") image: transforms, then the entropy-coded pixels (RFC 9649, section 7).

    private int[] decodeImageStream(int width, int height) {
        Transform[] transforms = new Transform[4];
        int count = 0;
        int codedWidth = width;
        boolean[] seen = new boolean[4];
        while (in.readBit() == 1) {
            int type = in.readBits(2);
            if (seen[type]) {
                // the format allows each transform once; a repeat can only be corruption
                throw new ImageDecodeException("VP8L transform used twice");
            }
            seen[type] = true;
            Transform t = readTransform(type, codedWidth, height);
            transforms[count++] = t;
            codedWidth = t.outputWidthAfter;
        }
        int[] pixels = decodeEntropyCodedImage(codedWidth, height, true);
        // Undo the transforms in reverse order of reading.
        for (int i = count - 1; i >= 0; i--) {
            pixels = transforms[i].inverse(pixels, height);
        }
        return pixels;
    }

    private Transform readTransform(int type, int width, int height) {
        switch (type) {
            case Transform.PREDICTOR:
            case Transform.COLOR: {
                int bits = in.readBits(3) + 2;
                int[] sub = decodeEntropyCodedImage(subSampleSize(width, bits), subSampleSize(height, bits), false);
                return new Transform(type, width, bits, sub, width);
            }
            case Transform.SUBTRACT_GREEN:
                return new Transform(type, width, 0, null, width);
            case Transform.COLOR_INDEXING: {
                int size = in.readBits(8) + 1;
                int bits = size <= 2 ? 3 : size <= 4 ? 2 : size <= 16 ? 1 : 0;
                int[] coded = decodeEntropyCodedImage(size, 1, false);
                // Indexes beyond the table give transparent black (libwebp pads the table with zeros).
                int[] palette = new int[256];
                palette[0] = coded[0];
                for (int i = 1; i < size; i++) {
                    palette[i] = Vp8lTransforms.addPixels(coded[i], palette[i - 1]);
                }
                return new Transform(type, width, bits, palette, subSampleSize(width, bits));
            }
            default:
                throw new IllegalArgumentException("transform type " + type); // 2 bits: cannot happen
        }
    }

    static int subSampleSize(int size, int bits) {
        return (size + (1 << bits) - 1) >> bits;
    }

    /**
     * An entropy-coded image: colour cache size, then (only for the main image) the meta prefix codes, the prefix
     * code groups and the LZ77-coded pixels.
     */
    private int[] decodeEntropyCodedImage(int width, int height, boolean isMain) {
        int cacheBits = 0;
        if (in.readBit() == 1) {
            cacheBits = in.readBits(4);
            if (cacheBits < 1 || cacheBits > MAX_CACHE_BITS) {
                throw new ImageDecodeException("invalid VP8L colour cache size");
            }
        }
        int metaBits = 0;
        int[] metaImage = null;
        int numGroups = 1;
        if (isMain && in.readBit() == 1) {
            metaBits = in.readBits(3) + 2;
            int metaWidth = subSampleSize(width, metaBits);
            metaImage = decodeEntropyCodedImage(metaWidth, subSampleSize(height, metaBits), false);
            for (int i = 0; i < metaImage.length; i++) {
                int group = (metaImage[i] >> 8) & 0xFFFF;
                metaImage[i] = group;
                numGroups = Math.max(numGroups, group + 1);
            }
        }
        PrefixCode[][] groups = readGroups(numGroups, cacheBits, metaImage);
        return decodePixels(width, height, cacheBits, groups, metaImage, metaBits);
    }

    /**
     * Reads every prefix code group in order. Groups that no meta code refers to still take their bits, but are not
     * kept: a corrupt stream can declare up to 65536 groups, and keeping only the referenced ones bounds memory by
     * the meta image's size.
     */
    private PrefixCode[][] readGroups(int numGroups, int cacheBits, int[] metaImage) {
        boolean[] used = new boolean[numGroups];
        if (metaImage == null) {
            used[0] = true;
        } else {
            for (int g : metaImage) {
                used[g] = true;
            }
        }
        int greenSize = NUM_LITERALS + NUM_LENGTH_CODES + (cacheBits > 0 ? 1 << cacheBits : 0);
        int[] sizes = {greenSize, NUM_LITERALS, NUM_LITERALS, NUM_LITERALS, NUM_DISTANCE_CODES};
        PrefixCode[][] groups = new PrefixCode[numGroups][];
        int[] lengths = new int[greenSize];
        for (int g = 0; g < numGroups; g++) {
            PrefixCode[] group = new PrefixCode[5];
            for (int k = 0; k < 5; k++) {
                group[k] = readCode(sizes[k], lengths);
            }
            if (used[g]) {
                groups[g] = group;
            }
        }
        return groups;
    }

    /** One prefix code, in the "simple" (1 or 2 symbols) or the "normal" (code-length-coded) form. */
    private PrefixCode readCode(int alphabetSize, int[] lengths) {
        Arrays.fill(lengths, 0, alphabetSize, 0);
        if (in.readBit() == 1) {
            int numSymbols = in.readBit() + 1;
            int first = in.readBits(in.readBit() == 0 ? 1 : 8);
            if (first >= alphabetSize) {
                throw new ImageDecodeException("VP8L symbol outside its alphabet");
            }
            if (numSymbols == 1) {
                return PrefixCode.singleSymbol(first);
            }
            int second = in.readBits(8);
            if (second >= alphabetSize) {
                throw new ImageDecodeException("VP8L symbol outside its alphabet");
            }
            lengths[first] = 1;
            lengths[second] = 1;
            return PrefixCode.fromLengths(lengths, alphabetSize);
        }
        int[] codeLengthLengths = new int[19];
        int numCodes = in.readBits(4) + 4;
        for (int i = 0; i < numCodes; i++) {
            codeLengthLengths[CODE_LENGTH_ORDER[i]] = in.readBits(3);
        }
        PrefixCode lengthCode = PrefixCode.fromLengths(codeLengthLengths, 19);
        int maxSymbol = alphabetSize;
        if (in.readBit() == 1) {
            int lengthBits = 2 + 2 * in.readBits(3);
            maxSymbol = 2 + in.readBits(lengthBits);
            if (maxSymbol > alphabetSize) {
                throw new ImageDecodeException("VP8L code length count beyond the alphabet");
            }
        }
        int symbol = 0;
        int previous = 8;
        while (symbol < alphabetSize) {
            if (maxSymbol-- == 0) {
                break;
            }
            int len = lengthCode.read(in);
            if (len < 16) {
                lengths[symbol++] = len;
                if (len != 0) {
                    previous = len;
                }
                continue;
            }
            int repeat;
            int value;
            if (len == 16) {
                repeat = 3 + in.readBits(2);
                value = previous;
            } else if (len == 17) {
                repeat = 3 + in.readBits(3);
                value = 0;
            } else {
                repeat = 11 + in.readBits(7);
                value = 0;
            }
            if (symbol + repeat > alphabetSize) {
                throw new ImageDecodeException("VP8L code lengths overflow the alphabet");
            }
            Arrays.fill(lengths, symbol, symbol + repeat, value);
            symbol += repeat;
        }
        return PrefixCode.fromLengths(lengths, alphabetSize);
    }

    /** The LZ77-coded pixels: literals, backward copies and colour cache hits (RFC 9649, section 5.2). */
    private int[] decodePixels(int width, int height, int cacheBits, PrefixCode[][] groups, int[] metaImage,
            int metaBits) {
        int total = width * height;
        int[] out = new int[total];
        int[] cache = cacheBits > 0 ? new int[1 << cacheBits] : null;
        int cacheShift = 32 - cacheBits;
        int metaWidth = metaImage == null ? 0 : subSampleSize(width, metaBits);
        int metaMask = metaImage == null ? -1 : (1 << metaBits) - 1;
        PrefixCode[] group = groups[0];
        int cached = 0; // out[0 .. cached) are in the colour cache
        int pos = 0;
        int x = 0;
        int y = 0;
        while (pos < total) {
            if (metaImage != null && (x & metaMask) == 0) {
                group = groups[metaImage[(y >> metaBits) * metaWidth + (x >> metaBits)]];
            }
            int green = group[0].read(in);
            if (green < NUM_LITERALS) {
                int red = group[1].read(in);
                int blue = group[2].read(in);
                int alpha = group[3].read(in);
                out[pos++] = (alpha << 24) | (red << 16) | (green << 8) | blue;
                if (++x == width) {
                    x = 0;
                    y++;
                }
            } else if (green < NUM_LITERALS + NUM_LENGTH_CODES) {
                int length = copyValue(green - NUM_LITERALS);
                int distSymbol = group[4].read(in);
                int distance = planeCodeToDistance(width, copyValue(distSymbol));
                if (distance > pos || length > total - pos) {
                    throw new ImageDecodeException("VP8L backward reference outside the image");
                }
                for (int i = 0; i < length; i++, pos++) {
                    out[pos] = out[pos - distance];
                }
                x += length;
                while (x >= width) {
                    x -= width;
                    y++;
                }
                // A copy can jump over a meta block boundary; select the group of wherever it ended.
                if (metaImage != null && pos < total) {
                    group = groups[metaImage[(y >> metaBits) * metaWidth + (x >> metaBits)]];
                }
            } else {
                if (cache == null) {
                    throw new ImageDecodeException("VP8L colour cache code without a cache");
                }
                int index = green - (NUM_LITERALS + NUM_LENGTH_CODES);
                // the cache must reflect every pixel before this one
                for (; cached < pos; cached++) {
                    int argb = out[cached];
                    cache[(argb * 0x1e35a7bd) >>> cacheShift] = argb;
                }
                out[pos++] = cache[index];
                if (++x == width) {
                    x = 0;
                    y++;
                }
            }
        }
        return out;
    }

    /** Length or distance from its prefix symbol plus extra bits (RFC 9649, section 5.2.2). */
    private int copyValue(int symbol) {
        if (symbol < 4) {
            return symbol + 1;
        }
        int extraBits = (symbol - 2) >> 1;
        int offset = (2 + (symbol & 1)) << extraBits;
        return offset + in.readBits(extraBits) + 1;
    }

    private static int planeCodeToDistance(int width, int planeCode) {
        if (planeCode > 120) {
            return planeCode - 120;
        }
        int code = CODE_TO_PLANE[planeCode - 1];
        int dy = code >> 4;
        int dx = 8 - (code & 0xF);
        int distance = dy * width + dx;
        return Math.max(distance, 1);
    }

    /** One transform as read, applied in reverse when the pixels are decoded. */
    private static final class Transform {
        static final int PREDICTOR = 0;
        static final int COLOR = 1;
        static final int SUBTRACT_GREEN = 2;
        static final int COLOR_INDEXING = 3;

        final int type;
        /** Image width when the transform was read: the width its input pixels have after inversion. */
        final int width;
        final int bits;
        final int[] data;
        final int outputWidthAfter;

        Transform(int type, int width, int bits, int[] data, int outputWidthAfter) {
            this.type = type;
            this.width = width;
            this.bits = bits;
            this.data = data;
            this.outputWidthAfter = outputWidthAfter;
        }

        int[] inverse(int[] pixels, int height) {
            switch (type) {
                case PREDICTOR:
                    Vp8lTransforms.inversePredictor(pixels, width, height, bits, data);
                    return pixels;
                case COLOR:
                    Vp8lTransforms.inverseColor(pixels, width, height, bits, data);
                    return pixels;
                case SUBTRACT_GREEN:
                    Vp8lTransforms.addGreen(pixels);
                    return pixels;
                default:
                    return Vp8lTransforms.expandColorIndexes(pixels, width, height, bits, data);
            }
        }
    }
}

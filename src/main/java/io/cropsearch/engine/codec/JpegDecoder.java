package io.cropsearch.engine.codec;

/**
 * Baseline (sequential Huffman, 8-bit) JPEG to {@link Rgb}: greyscale or YCbCr, any sampling factors up to 4x4
 * (4:4:4, 4:2:2, 4:2:0, ...), restart intervals. Progressive, arithmetic-coded, lossless, 12-bit and CMYK files are
 * refused with an {@link ImageDecodeException} naming the reason.
 *
 * <p>Chroma is upsampled by pixel replication and converted with the JFIF equations, as jpeg-js does, so decodes stay
 * within a level or two of the JavaScript reference. Pure Java: no javax.imageio, nothing a native image lacks.
 */
public final class JpegDecoder {

    private static final long MAX_PIXELS = 40_000_000L;

    private static final int[] ZIGZAG = {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
        28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
        54, 47, 55, 62, 63};

    // IDCT basis: COS[x][u] = C(u) / 2 * cos((2x + 1) u pi / 16)
    private static final float[][] COS = new float[8][8];

    static {
        for (int x = 0; x < 8; x++) {
            for (int u = 0; u < 8; u++) {
                double c = u == 0 ? Math.sqrt(0.5) : 1.0;
                COS[x][u] = (float) (c / 2 * Math.cos((2 * x + 1) * u * Math.PI / 16));
            }
        }
    }

    private final byte[] data;
    private int pos;
    private final int[][] quant = new int[4][];
    private final Huffman[] dcTables = new Huffman[4];
    private final Huffman[] acTables = new Huffman[4];
    private int restartInterval;
    private int width;
    private int height;
    private Component[] components;
    private int maxH;
    private int maxV;
    private int mcusX;
    private int mcusY;
    private boolean adobeNoTransform;

    private JpegDecoder(byte[] data) {
        this.data = data;
    }

    public static Rgb decode(byte[] jpeg) {
        try {
            return new JpegDecoder(jpeg).run();
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new ImageDecodeException("corrupt or truncated JPEG", e);
        }
    }

    private static final class Component {
        final int id;
        final int h;
        final int v;
        final int tq;
        int td;
        int ta;
        int pred;
        final int blocksW;
        final int blocksH;
        final byte[] samples; // blocksW*8 x blocksH*8

        Component(int id, int h, int v, int tq, int mcusX, int mcusY) {
            this.id = id;
            this.h = h;
            this.v = v;
            this.tq = tq;
            this.blocksW = mcusX * h;
            this.blocksH = mcusY * v;
            this.samples = new byte[blocksW * 8 * blocksH * 8];
        }
    }

    /** Canonical Huffman table with a 9-bit fast lookup and a slow path for longer codes. */
    private static final class Huffman {
        final int[] maxCode = new int[18];
        final int[] valPtr = new int[17];
        final int[] minCode = new int[17];
        final byte[] values;
        final short[] fast = new short[1 << 9]; // (length << 8) | value, 0 when longer than 9 bits

        Huffman(int[] counts, byte[] values) {
            this.values = values;
            int code = 0;
            int k = 0;
            for (int len = 1; len <= 16; len++) {
                valPtr[len] = k;
                minCode[len] = code;
                code += counts[len];
                k += counts[len];
                maxCode[len] = counts[len] == 0 ? -1 : code - 1;
                code <<= 1;
            }
            maxCode[17] = Integer.MAX_VALUE;
            code = 0;
            k = 0;
            for (int len = 1; len <= 9; len++) {
                for (int i = 0; i < counts[len]; i++, k++, code++) {
                    int shift = 9 - len;
                    for (int f = code << shift; f < (code + 1) << shift; f++) {
                        fast[f] = (short) ((len << 8) | (values[k] & 0xFF));
                    }
                }
                code <<= 1;
            }
        }
    }

    private Rgb run() {
        if (u8(0) != 0xFF || u8(1) != 0xD8) {
            throw new ImageDecodeException("not a JPEG");
        }
        pos = 2;
        boolean frame = false;
        while (true) {
            int marker = nextMarker();
            switch (marker) {
                case 0xD8, 0x01 -> {
                }
                case 0xD9 -> throw new ImageDecodeException("JPEG ends before any scan");
                case 0xDB -> readDqt();
                case 0xC4 -> readDht();
                case 0xDD -> {
                    segmentLength();
                    restartInterval = u16(pos);
                    pos += 2;
                }
                case 0xC0, 0xC1 -> {
                    readSof();
                    frame = true;
                }
                case 0xC2, 0xC6, 0xCA, 0xCE -> throw new ImageDecodeException("progressive JPEG is not supported");
                case 0xC3, 0xC5, 0xC7, 0xC9, 0xCB, 0xCD, 0xCF ->
                        throw new ImageDecodeException("lossless, hierarchical or arithmetic-coded JPEG is not supported");
                case 0xEE -> readAdobe();
                case 0xDA -> {
                    if (!frame) {
                        throw new ImageDecodeException("JPEG scan before frame header");
                    }
                    readScan();
                    return toRgb();
                }
                default -> pos += segmentLength();
            }
        }
    }

    private int nextMarker() {
        while (u8(pos) != 0xFF) {
            pos++; // tolerate junk between segments, like most decoders
        }
        while (u8(pos) == 0xFF) {
            pos++;
        }
        return u8(pos++);
    }

    /** Reads the segment length and leaves pos after it; returns the bytes that remain in the segment. */
    private int segmentLength() {
        int len = u16(pos);
        if (len < 2 || pos + len > data.length) {
            throw new ImageDecodeException("bad JPEG segment length");
        }
        pos += 2;
        return len - 2;
    }

    private void readDqt() {
        int len = segmentLength();
        int end = pos + len;
        while (pos < end) {
            int pq = u8(pos) >> 4;
            int tq = u8(pos) & 15;
            pos++;
            if (tq > 3) {
                throw new ImageDecodeException("bad JPEG quantisation table id");
            }
            int[] q = new int[64];
            for (int i = 0; i < 64; i++) {
                q[ZIGZAG[i]] = pq == 0 ? u8(pos++) : u16(pos);
                if (pq != 0) {
                    pos += 2;
                }
            }
            quant[tq] = q;
        }
    }

    private void readDht() {
        int len = segmentLength();
        int end = pos + len;
        while (pos < end) {
            int tc = u8(pos) >> 4;
            int th = u8(pos) & 15;
            pos++;
            if (th > 3 || tc > 1) {
                throw new ImageDecodeException("bad JPEG Huffman table id");
            }
            int[] counts = new int[17];
            int total = 0;
            for (int i = 1; i <= 16; i++) {
                counts[i] = u8(pos++);
                total += counts[i];
            }
            byte[] values = new byte[total];
            System.arraycopy(data, pos, values, 0, total);
            pos += total;
            (tc == 0 ? dcTables : acTables)[th] = new Huffman(counts, values);
        }
    }

    private void readAdobe() {
        int len = segmentLength();
        // "Adobe" + version(2) + flags0(2) + flags1(2) + transform(1)
        if (len >= 12 && u8(pos) == 'A' && u8(pos + 1) == 'd' && u8(pos + 2) == 'o' && u8(pos + 3) == 'b'
                && u8(pos + 4) == 'e') {
            adobeNoTransform = u8(pos + 11) == 0;
        }
        pos += len;
    }

    private void readSof() {
        int len = segmentLength();
        int end = pos + len;
        if (u8(pos) != 8) {
            throw new ImageDecodeException("only 8-bit JPEG is supported, not " + u8(pos) + "-bit");
        }
        height = u16(pos + 1);
        width = u16(pos + 3);
        int n = u8(pos + 5);
        if (width == 0 || height == 0) {
            throw new ImageDecodeException("JPEG without a size in its frame header");
        }
        if ((long) width * height > MAX_PIXELS) {
            throw new ImageDecodeException("JPEG too large: " + width + "x" + height);
        }
        if (n != 1 && n != 3) {
            throw new ImageDecodeException("JPEG with " + n + " components is not supported (CMYK?)");
        }
        int p = pos + 6;
        int[][] spec = new int[n][];
        maxH = 1;
        maxV = 1;
        for (int i = 0; i < n; i++) {
            int h = u8(p + 1) >> 4;
            int v = u8(p + 1) & 15;
            if (h < 1 || h > 4 || v < 1 || v > 4) {
                throw new ImageDecodeException("bad JPEG sampling factors");
            }
            spec[i] = new int[] {u8(p), h, v, u8(p + 2)};
            maxH = Math.max(maxH, h);
            maxV = Math.max(maxV, v);
            p += 3;
        }
        mcusX = (width + 8 * maxH - 1) / (8 * maxH);
        mcusY = (height + 8 * maxV - 1) / (8 * maxV);
        components = new Component[n];
        for (int i = 0; i < n; i++) {
            if (maxH % spec[i][1] != 0 || maxV % spec[i][2] != 0) {
                throw new ImageDecodeException("JPEG sampling factors that do not divide evenly are not supported");
            }
            components[i] = new Component(spec[i][0], spec[i][1], spec[i][2], spec[i][3], mcusX, mcusY);
        }
        pos = end;
    }

    private void readScan() {
        int len = segmentLength();
        int end = pos + len;
        int ns = u8(pos);
        if (ns != components.length) {
            throw new ImageDecodeException("multi-scan (non-interleaved) baseline JPEG is not supported");
        }
        for (int i = 0; i < ns; i++) {
            int id = u8(pos + 1 + 2 * i);
            int t = u8(pos + 2 + 2 * i);
            Component c = byId(id);
            c.td = t >> 4;
            c.ta = t & 15;
            if (c.td > 3 || c.ta > 3 || dcTables[c.td] == null || acTables[c.ta] == null) {
                throw new ImageDecodeException("JPEG scan refers to a missing Huffman table");
            }
            if (c.tq > 3 || quant[c.tq] == null) {
                throw new ImageDecodeException("JPEG component refers to a missing quantisation table");
            }
        }
        pos = end;
        decodeMcus();
    }

    private Component byId(int id) {
        for (Component c : components) {
            if (c.id == id) {
                return c;
            }
        }
        throw new ImageDecodeException("JPEG scan names unknown component " + id);
    }

    // ---- entropy decoding ----

    private long bitBuf;
    private int bitCount;
    private boolean hitMarker;

    private void resetBits() {
        bitBuf = 0;
        bitCount = 0;
        hitMarker = false;
    }

    private void fill() {
        while (bitCount <= 56) {
            int b = 0;
            if (!hitMarker && pos < data.length) {
                b = data[pos] & 0xFF;
                if (b == 0xFF) {
                    int next = pos + 1 < data.length ? data[pos + 1] & 0xFF : 0xD9;
                    if (next == 0x00) {
                        pos += 2;
                    } else {
                        // a marker ends the entropy-coded data; feed zeros (a truncated file decodes as grey)
                        hitMarker = true;
                        b = 0;
                    }
                } else {
                    pos++;
                }
            }
            bitBuf |= (long) b << (56 - bitCount);
            bitCount += 8;
        }
    }

    private int bits(int n) {
        if (n == 0) {
            return 0;
        }
        if (bitCount < n) {
            fill();
        }
        int v = (int) (bitBuf >>> (64 - n));
        bitBuf <<= n;
        bitCount -= n;
        return v;
    }

    private int decodeHuffman(Huffman h) {
        if (bitCount < 16) {
            fill();
        }
        int peek = (int) (bitBuf >>> (64 - 9));
        int f = h.fast[peek];
        if (f != 0) {
            int len = f >> 8;
            bitBuf <<= len;
            bitCount -= len;
            return f & 0xFF;
        }
        int code = 0;
        for (int len = 1; len <= 16; len++) {
            code = (code << 1) | bits(1);
            if (h.maxCode[len] >= code && code >= h.minCode[len] && h.maxCode[len] != -1) {
                return h.values[h.valPtr[len] + code - h.minCode[len]] & 0xFF;
            }
        }
        throw new ImageDecodeException("bad Huffman code in JPEG");
    }

    private static int extend(int v, int t) {
        return t == 0 ? 0 : v < (1 << (t - 1)) ? v - (1 << t) + 1 : v;
    }

    private void decodeMcus() {
        resetBits();
        int[] coef = new int[64];
        float[] block = new float[64];
        float[] tmp = new float[64];
        int total = mcusX * mcusY;
        int restartsLeft = restartInterval;
        for (int m = 0; m < total; m++) {
            if (restartInterval > 0) {
                if (restartsLeft == 0) {
                    restart();
                    restartsLeft = restartInterval;
                }
                restartsLeft--;
            }
            int mx = m % mcusX;
            int my = m / mcusX;
            for (Component c : components) {
                for (int by = 0; by < c.v; by++) {
                    for (int bx = 0; bx < c.h; bx++) {
                        decodeBlock(c, coef);
                        idct(coef, quant[c.tq], tmp, block);
                        store(c, (mx * c.h + bx) * 8, (my * c.v + by) * 8, block);
                    }
                }
            }
        }
    }

    private void restart() {
        // drop the rest of the current byte, then expect RSTn
        resetBits();
        while (pos + 1 < data.length && !(u8(pos) == 0xFF && u8(pos + 1) >= 0xD0 && u8(pos + 1) <= 0xD7)) {
            pos++;
        }
        if (pos + 1 < data.length) {
            pos += 2;
        }
        for (Component c : components) {
            c.pred = 0;
        }
    }

    private void decodeBlock(Component c, int[] coef) {
        java.util.Arrays.fill(coef, 0);
        int t = decodeHuffman(dcTables[c.td]);
        int diff = extend(bits(t), t);
        c.pred += diff;
        coef[0] = c.pred;
        Huffman ac = acTables[c.ta];
        for (int k = 1; k < 64; ) {
            int rs = decodeHuffman(ac);
            int r = rs >> 4;
            int s = rs & 15;
            if (s == 0) {
                if (r != 15) {
                    break; // end of block
                }
                k += 16;
                continue;
            }
            k += r;
            if (k > 63) {
                throw new ImageDecodeException("JPEG coefficient run past the end of a block");
            }
            coef[ZIGZAG[k]] = extend(bits(s), s);
            k++;
        }
    }

    /** Dequantise and inverse DCT (separable, float), output level-shifted but not yet clamped. */
    private static void idct(int[] coef, int[] q, float[] tmp, float[] out) {
        for (int y = 0; y < 8; y++) {
            // rows in frequency space (v = y): 1-D IDCT over u
            int r = y * 8;
            boolean zero = true;
            for (int u = 1; u < 8; u++) {
                if (coef[r + u] != 0) {
                    zero = false;
                    break;
                }
            }
            if (zero) {
                float dc = coef[r] * q[r] * COS[0][0];
                for (int x = 0; x < 8; x++) {
                    tmp[r + x] = dc;
                }
                continue;
            }
            for (int x = 0; x < 8; x++) {
                float s = 0;
                for (int u = 0; u < 8; u++) {
                    s += COS[x][u] * (coef[r + u] * q[r + u]);
                }
                tmp[r + x] = s;
            }
        }
        for (int x = 0; x < 8; x++) {
            for (int y = 0; y < 8; y++) {
                float s = 0;
                for (int v = 0; v < 8; v++) {
                    s += COS[y][v] * tmp[v * 8 + x];
                }
                out[y * 8 + x] = s + 128f;
            }
        }
    }

    private static void store(Component c, int x0, int y0, float[] block) {
        int stride = c.blocksW * 8;
        for (int y = 0; y < 8; y++) {
            int o = (y0 + y) * stride + x0;
            for (int x = 0; x < 8; x++) {
                int v = Math.round(block[y * 8 + x]);
                c.samples[o + x] = (byte) (v < 0 ? 0 : Math.min(v, 255));
            }
        }
    }

    private Rgb toRgb() {
        byte[] out = new byte[width * height * 3];
        if (components.length == 1) {
            Component g = components[0];
            int stride = g.blocksW * 8;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    byte v = g.samples[y * stride + x];
                    int o = (y * width + x) * 3;
                    out[o] = v;
                    out[o + 1] = v;
                    out[o + 2] = v;
                }
            }
            return new Rgb(width, height, out);
        }
        Component c0 = components[0];
        Component c1 = components[1];
        Component c2 = components[2];
        boolean transform = !adobeNoTransform;
        int o = 0;
        for (int y = 0; y < height; y++) {
            int r0 = (y * c0.v / maxV) * c0.blocksW * 8;
            int r1 = (y * c1.v / maxV) * c1.blocksW * 8;
            int r2 = (y * c2.v / maxV) * c2.blocksW * 8;
            for (int x = 0; x < width; x++) {
                int a = c0.samples[r0 + x * c0.h / maxH] & 0xFF;
                int b = c1.samples[r1 + x * c1.h / maxH] & 0xFF;
                int d = c2.samples[r2 + x * c2.h / maxH] & 0xFF;
                if (transform) {
                    // JFIF YCbCr -> RGB; truncation after clamping matches jpeg-js's Uint8Array store
                    double cb = b - 128;
                    double cr = d - 128;
                    out[o] = clamp(a + 1.402 * cr);
                    out[o + 1] = clamp(a - 0.3441363 * cb - 0.71413636 * cr);
                    out[o + 2] = clamp(a + 1.772 * cb);
                } else {
                    out[o] = (byte) a;
                    out[o + 1] = (byte) b;
                    out[o + 2] = (byte) d;
                }
                o += 3;
            }
        }
        return new Rgb(width, height, out);
    }

    private static byte clamp(double v) {
        return (byte) (v < 0 ? 0 : v > 255 ? 255 : (int) v);
    }

    private int u8(int p) {
        return data[p] & 0xFF;
    }

    private int u16(int p) {
        return ((data[p] & 0xFF) << 8) | (data[p + 1] & 0xFF);
    }
}

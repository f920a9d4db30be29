package io.cropsearch.engine.codec;

/**
 * Huffman-coded 8-bit JPEG to {@link Rgb}: baseline and extended sequential (one interleaved scan, or one scan per
 * component), and progressive (spectral selection and successive approximation, DC and AC first and refinement scans,
 * EOB runs); restart intervals; any sampling factors up to 4x4 that divide evenly; greyscale, YCbCr, RGB (Adobe
 * transform 0), CMYK and YCCK (see {@link JpegColor}). The EXIF orientation is applied, so the result is the picture
 * as a viewer shows it. Arithmetic-coded, lossless, hierarchical and 12-bit files are refused with an
 * {@link ImageDecodeException} naming the reason, and so is a frame wider or taller than the caller's maximum, before
 * any pixel buffer is allocated.
 *
 * <p>The common case, one interleaved baseline scan, is decoded block by block straight into sample planes. Every
 * other layout first gathers all coefficients (2 bytes each), since later scans refine earlier ones, then runs the
 * inverse DCT once. Chroma is upsampled by pixel replication and converted with the JFIF equations, as jpeg-js does,
 * so decodes stay within a few levels of the JavaScript reference. Pure Java: no javax.imageio, nothing a native
 * image lacks.
 */
public final class JpegDecoder {

    /** The largest side {@link #decode(byte[])} accepts; phone photos are up to about 4000 pixels on a side. */
    public static final int DEFAULT_MAX_SIDE = 4096;

    // RGB output and sample planes are single arrays; a caller's maxSide above ~26000 must not overflow them
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 64;

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
    private int adobeTransform = -1;
    private int orientation;
    private boolean progressive;
    private boolean coefficientMode;
    private final int maxSide;

    private JpegDecoder(byte[] data, int maxSide) {
        this.data = data;
        this.maxSide = maxSide;
    }

    /** Decodes with {@link #DEFAULT_MAX_SIDE} as the largest width or height accepted. */
    public static Rgb decode(byte[] jpeg) {
        return decode(jpeg, DEFAULT_MAX_SIDE);
    }

    /**
     * Decodes a JPEG whose width and height are at most {@code maxSide} (checked in the frame header, before any
     * pixel memory is taken); larger, corrupt or unsupported files throw {@link ImageDecodeException}.
     */
    public static Rgb decode(byte[] jpeg, int maxSide) {
        if (maxSide < 1) {
            throw new IllegalArgumentException("maxSide must be positive: " + maxSide);
        }
        try {
            return new JpegDecoder(jpeg, maxSide).run();
        } catch (ArrayIndexOutOfBoundsException | NegativeArraySizeException e) {
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
        final int blocksW; // blocks per row as stored: whole MCUs
        final int blocksH;
        final int usedW; // blocks per row that hold image samples: what a one-component scan codes
        final int usedH;
        final byte[] samples; // blocksW*8 x blocksH*8
        short[] coefs; // blocksW*blocksH*64, natural order; only when scans must be gathered first

        Component(int id, int h, int v, int tq, int mcusX, int mcusY, int usedW, int usedH) {
            this.id = id;
            this.h = h;
            this.v = v;
            this.tq = tq;
            this.blocksW = mcusX * h;
            this.blocksH = mcusY * v;
            this.usedW = usedW;
            this.usedH = usedH;
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
                case -1 -> {
                    // a truncated progressive file still shows whatever its first scans carried
                    if (coefficientMode) {
                        return finish();
                    }
                    throw new ImageDecodeException("JPEG ends before any scan");
                }
                case 0xD8, 0x01, 0x00, 0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7 -> {
                    // no segment follows these
                }
                case 0xD9 -> {
                    if (coefficientMode) {
                        return finish();
                    }
                    throw new ImageDecodeException("JPEG ends before any scan");
                }
                case 0xDB -> readDqt();
                case 0xC4 -> readDht();
                case 0xDD -> {
                    segmentLength();
                    restartInterval = u16(pos);
                    pos += 2;
                }
                case 0xC0, 0xC1, 0xC2 -> {
                    if (frame) {
                        // one image has one frame; a second header could disagree about the size we allocated for
                        throw new ImageDecodeException("JPEG with two frame headers (SOF)");
                    }
                    progressive = marker == 0xC2;
                    readSof();
                    frame = true;
                }
                case 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF ->
                        throw new ImageDecodeException("lossless, hierarchical or arithmetic-coded JPEG is not supported");
                case 0xE1 -> {
                    int len = segmentLength();
                    if (orientation == 0) {
                        orientation = ExifOrientation.read(data, pos, len);
                    }
                    pos += len;
                }
                case 0xEE -> readAdobe();
                case 0xDA -> {
                    if (!frame) {
                        throw new ImageDecodeException("JPEG scan before frame header");
                    }
                    if (readScan()) {
                        return finish();
                    }
                }
                default -> pos += segmentLength();
            }
        }
    }

    /** The image as a viewer shows it: colour converted, then turned as its EXIF orientation says. */
    private Rgb finish() {
        if (coefficientMode) {
            inverseTransformCoefficients();
        }
        JpegColor.Plane[] planes = new JpegColor.Plane[components.length];
        for (int i = 0; i < planes.length; i++) {
            Component c = components[i];
            planes[i] = new JpegColor.Plane(c.samples, c.blocksW * 8, c.h, c.v);
        }
        Rgb rgb = JpegColor.toRgb(planes, width, height, maxH, maxV, adobeTransform);
        return ExifOrientation.apply(rgb, orientation);
    }

    /** The next marker code, or -1 at the end of the data. */
    private int nextMarker() {
        while (pos < data.length && u8(pos) != 0xFF) {
            pos++; // tolerate junk between segments, like most decoders
        }
        while (pos < data.length && u8(pos) == 0xFF) {
            pos++;
        }
        return pos < data.length ? u8(pos++) : -1;
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
            adobeTransform = u8(pos + 11);
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
        if (width > maxSide || height > maxSide) {
            throw new ImageDecodeException("JPEG too large: " + width + "x" + height + " (largest side allowed "
                    + maxSide + ")");
        }
        if ((long) width * height * 3 > MAX_ARRAY) {
            throw new ImageDecodeException("JPEG too large: " + width + "x" + height + " (more pixels than one array holds)");
        }
        if (n != 1 && n != 3 && n != 4) {
            throw new ImageDecodeException("JPEG with " + n + " components is not supported");
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
            int usedW = ((width * spec[i][1] + maxH - 1) / maxH + 7) / 8;
            int usedH = ((height * spec[i][2] + maxV - 1) / maxV + 7) / 8;
            components[i] = new Component(spec[i][0], spec[i][1], spec[i][2], spec[i][3], mcusX, mcusY, usedW, usedH);
        }
        pos = end;
    }

    /**
     * Reads a scan header and decodes the scan. Returns true when the image is complete (one interleaved baseline
     * scan decoded straight into samples); false when coefficients are being gathered and more scans may follow.
     */
    private boolean readScan() {
        int len = segmentLength();
        int end = pos + len;
        int ns = u8(pos);
        if (ns < 1 || ns > components.length || len < 4 + 2 * ns) {
            throw new ImageDecodeException("bad JPEG scan header");
        }
        Component[] scan = new Component[ns];
        for (int i = 0; i < ns; i++) {
            int id = u8(pos + 1 + 2 * i);
            int t = u8(pos + 2 + 2 * i);
            Component c = byId(id);
            c.td = t >> 4;
            c.ta = t & 15;
            if (c.td > 3 || c.ta > 3) {
                throw new ImageDecodeException("bad JPEG Huffman table id in scan");
            }
            scan[i] = c;
        }
        int p = pos + 1 + 2 * ns;
        int ss = u8(p);
        int se = u8(p + 1);
        int ah = u8(p + 2) >> 4;
        int al = u8(p + 2) & 15;
        pos = end;
        if (!progressive) {
            ss = 0;
            se = 63;
            ah = 0;
            al = 0;
        } else if (ss > se || se > 63 || al > 13 || (ss == 0 && se != 0) || (ss > 0 && ns != 1)) {
            throw new ImageDecodeException("bad JPEG progressive scan parameters");
        }
        for (Component c : scan) {
            boolean needsDc = ss == 0 && ah == 0;
            boolean needsAc = se > 0;
            if ((needsDc && dcTables[c.td] == null) || (needsAc && acTables[c.ta] == null)) {
                throw new ImageDecodeException("JPEG scan refers to a missing Huffman table");
            }
        }
        boolean oneInterleavedScan = !progressive && !coefficientMode && ns == components.length
                && (ns > 1 || (components[0].h == 1 && components[0].v == 1));
        if (oneInterleavedScan) {
            for (Component c : components) {
                checkQuant(c);
            }
            decodeMcus();
            return true;
        }
        if (!coefficientMode) {
            coefficientMode = true;
            for (Component c : components) {
                c.coefs = new short[c.blocksW * c.blocksH * 64];
            }
        }
        decodeCoefficientScan(scan, ss, se, ah, al);
        skipToMarker();
        return false;
    }

    private void checkQuant(Component c) {
        if (c.tq > 3 || quant[c.tq] == null) {
            throw new ImageDecodeException("JPEG component refers to a missing quantisation table");
        }
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
        eobRun = 0;
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
        if (t > 16) {
            throw new ImageDecodeException("bad JPEG DC code length " + t);
        }
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

    // ---- gathered coefficients: multi-scan sequential and progressive ----

    private int eobRun;

    private void decodeCoefficientScan(Component[] scan, int ss, int se, int ah, int al) {
        resetBits();
        eobRun = 0;
        for (Component c : components) {
            c.pred = 0;
        }
        int[] coef = new int[64];
        int restartsLeft = restartInterval;
        if (scan.length == 1) {
            // a one-component scan is not interleaved: its units are single blocks, row by row over the samples
            Component c = scan[0];
            int total = c.usedW * c.usedH;
            for (int i = 0; i < total; i++) {
                if (restartInterval > 0) {
                    if (restartsLeft == 0) {
                        restart();
                        restartsLeft = restartInterval;
                    }
                    restartsLeft--;
                }
                int bx = i % c.usedW;
                int by = i / c.usedW;
                decodeCoefficientBlock(c, (by * c.blocksW + bx) * 64, ss, se, ah, al, coef);
            }
            return;
        }
        int total = mcusX * mcusY;
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
            for (Component c : scan) {
                for (int by = 0; by < c.v; by++) {
                    for (int bx = 0; bx < c.h; bx++) {
                        int block = (my * c.v + by) * c.blocksW + mx * c.h + bx;
                        decodeCoefficientBlock(c, block * 64, ss, se, ah, al, coef);
                    }
                }
            }
        }
    }

    private void decodeCoefficientBlock(Component c, int off, int ss, int se, int ah, int al, int[] coef) {
        short[] co = c.coefs;
        if (!progressive) {
            decodeBlock(c, coef);
            for (int i = 0; i < 64; i++) {
                co[off + i] = (short) coef[i];
            }
        } else if (ss == 0) {
            if (ah == 0) {
                int t = decodeHuffman(dcTables[c.td]);
                if (t > 16) {
                    throw new ImageDecodeException("bad JPEG DC code length " + t);
                }
                c.pred += extend(bits(t), t);
                co[off] = (short) (c.pred * (1 << al));
            } else if (bits(1) != 0) {
                co[off] |= (short) (1 << al);
            }
        } else if (ah == 0) {
            acFirst(acTables[c.ta], co, off, ss, se, al);
        } else {
            acRefine(acTables[c.ta], co, off, ss, se, al);
        }
    }

    /** First AC scan of a band: run/size codes as in baseline, plus EOBn codes that end this and later blocks. */
    private void acFirst(Huffman ac, short[] co, int off, int ss, int se, int al) {
        if (eobRun > 0) {
            eobRun--;
            return;
        }
        for (int k = ss; k <= se; ) {
            int rs = decodeHuffman(ac);
            int r = rs >> 4;
            int s = rs & 15;
            if (s == 0) {
                if (r < 15) {
                    eobRun = (1 << r) - 1 + bits(r); // this block is the first of the run
                    return;
                }
                k += 16;
                continue;
            }
            k += r;
            if (k > 63) {
                throw new ImageDecodeException("JPEG coefficient run past the end of a block");
            }
            co[off + ZIGZAG[k]] = (short) (extend(bits(s), s) * (1 << al));
            k++;
        }
    }

    /**
     * AC refinement (successive approximation, ITU T.81 G.1.2.3, laid out as libjpeg's decode_mcu_AC_refine): each
     * coefficient already non-zero takes one correction bit; a new coefficient (always +-1 at this bit) lands after
     * skipping {@code r} coefficients that are still zero.
     */
    private void acRefine(Huffman ac, short[] co, int off, int ss, int se, int al) {
        int p1 = 1 << al;
        int m1 = -1 << al;
        int k = ss;
        if (eobRun == 0) {
            for (; k <= se; k++) {
                int rs = decodeHuffman(ac);
                int r = rs >> 4;
                int s = rs & 15;
                int value = 0;
                if (s != 0) {
                    if (s != 1) {
                        throw new ImageDecodeException("bad JPEG refinement code");
                    }
                    value = bits(1) != 0 ? p1 : m1;
                } else if (r != 15) {
                    eobRun = (1 << r) + bits(r);
                    break;
                }
                while (k <= se) {
                    int z = off + ZIGZAG[k];
                    if (co[z] != 0) {
                        refine(co, z, p1, m1);
                    } else {
                        if (r == 0) {
                            break;
                        }
                        r--;
                    }
                    k++;
                }
                if (value != 0) {
                    if (k > se) {
                        throw new ImageDecodeException("JPEG refinement past the end of its band");
                    }
                    co[off + ZIGZAG[k]] = (short) value;
                }
            }
        }
        if (eobRun > 0) {
            // inside an end-of-band run: only corrections for the coefficients already non-zero
            for (; k <= se; k++) {
                int z = off + ZIGZAG[k];
                if (co[z] != 0) {
                    refine(co, z, p1, m1);
                }
            }
            eobRun--;
        }
    }

    private void refine(short[] co, int z, int p1, int m1) {
        if (bits(1) != 0 && (co[z] & p1) == 0) {
            co[z] += (short) (co[z] >= 0 ? p1 : m1);
        }
    }

    /** After a gathered scan: skip what is left of its entropy-coded data, up to the next real marker. */
    private void skipToMarker() {
        while (pos + 1 < data.length) {
            int next = u8(pos + 1);
            if (u8(pos) == 0xFF && next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7)) {
                return;
            }
            pos++;
        }
        pos = data.length;
    }

    /** Dequantise and inverse-transform every block that holds image samples. */
    private void inverseTransformCoefficients() {
        int[] coef = new int[64];
        float[] block = new float[64];
        float[] tmp = new float[64];
        for (Component c : components) {
            checkQuant(c);
            int[] q = quant[c.tq];
            for (int by = 0; by < c.usedH; by++) {
                for (int bx = 0; bx < c.usedW; bx++) {
                    int off = (by * c.blocksW + bx) * 64;
                    for (int i = 0; i < 64; i++) {
                        coef[i] = c.coefs[off + i];
                    }
                    idct(coef, q, tmp, block);
                    store(c, bx * 8, by * 8, block);
                }
            }
            c.coefs = null; // the samples are all that is needed from here on
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

    private int u8(int p) {
        return data[p] & 0xFF;
    }

    private int u16(int p) {
        return ((data[p] & 0xFF) << 8) | (data[p + 1] & 0xFF);
    }
}

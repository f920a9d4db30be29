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

    private final byte[] data;
    private final JpegBitReader in;
    private final JpegProgressive progression;
    private final int[][] quant = new int[4][];
    private final JpegHuffman[] dcTables = new JpegHuffman[4];
    private final JpegHuffman[] acTables = new JpegHuffman[4];
    private int restartInterval;
    private int width;
    private int height;
    private JpegComponent[] components;
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
        this.in = new JpegBitReader(data);
        this.progression = new JpegProgressive(in);
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

    private Rgb run() {
        if (u8(0) != 0xFF || u8(1) != 0xD8) {
            throw new ImageDecodeException("not a JPEG");
        }
        in.pos = 2;
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
                    restartInterval = u16(in.pos);
                    in.pos += 2;
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
                        orientation = ExifOrientation.read(data, in.pos, len);
                    }
                    in.pos += len;
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
                default -> in.pos += segmentLength();
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
            JpegComponent c = components[i];
            planes[i] = new JpegColor.Plane(c.samples, c.blocksW * 8, c.h, c.v);
        }
        Rgb rgb = JpegColor.toRgb(planes, width, height, maxH, maxV, adobeTransform);
        return ExifOrientation.apply(rgb, orientation);
    }

    /** The next marker code, or -1 at the end of the data. */
    private int nextMarker() {
        while (in.pos < data.length && u8(in.pos) != 0xFF) {
            in.pos++; // tolerate junk between segments, like most decoders
        }
        while (in.pos < data.length && u8(in.pos) == 0xFF) {
            in.pos++;
        }
        return in.pos < data.length ? u8(in.pos++) : -1;
    }

    /** Reads the segment length and leaves in.pos after it; returns the bytes that remain in the segment. */
    private int segmentLength() {
        int len = u16(in.pos);
        if (len < 2 || in.pos + len > data.length) {
            throw new ImageDecodeException("bad JPEG segment length");
        }
        in.pos += 2;
        return len - 2;
    }

    private void readDqt() {
        int len = segmentLength();
        int end = in.pos + len;
        while (in.pos < end) {
            int pq = u8(in.pos) >> 4;
            int tq = u8(in.pos) & 15;
            in.pos++;
            if (tq > 3) {
                throw new ImageDecodeException("bad JPEG quantisation table id");
            }
            int[] q = new int[64];
            for (int i = 0; i < 64; i++) {
                q[JpegIdct.ZIGZAG[i]] = pq == 0 ? u8(in.pos++) : u16(in.pos);
                if (pq != 0) {
                    in.pos += 2;
                }
            }
            quant[tq] = q;
        }
    }

    private void readDht() {
        int len = segmentLength();
        int end = in.pos + len;
        while (in.pos < end) {
            int tc = u8(in.pos) >> 4;
            int th = u8(in.pos) & 15;
            in.pos++;
            if (th > 3 || tc > 1) {
                throw new ImageDecodeException("bad JPEG Huffman table id");
            }
            int[] counts = new int[17];
            int total = 0;
            for (int i = 1; i <= 16; i++) {
                counts[i] = u8(in.pos++);
                total += counts[i];
            }
            byte[] values = new byte[total];
            System.arraycopy(data, in.pos, values, 0, total);
            in.pos += total;
            (tc == 0 ? dcTables : acTables)[th] = new JpegHuffman(counts, values);
        }
    }

    private void readAdobe() {
        int len = segmentLength();
        // "Adobe" + version(2) + flags0(2) + flags1(2) + transform(1)
        if (len >= 12 && u8(in.pos) == 'A' && u8(in.pos + 1) == 'd' && u8(in.pos + 2) == 'o' && u8(in.pos + 3) == 'b'
                && u8(in.pos + 4) == 'e') {
            adobeTransform = u8(in.pos + 11);
        }
        in.pos += len;
    }

    private void readSof() {
        int len = segmentLength();
        int end = in.pos + len;
        if (u8(in.pos) != 8) {
            throw new ImageDecodeException("only 8-bit JPEG is supported, not " + u8(in.pos) + "-bit");
        }
        height = u16(in.pos + 1);
        width = u16(in.pos + 3);
        int n = u8(in.pos + 5);
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
        int p = in.pos + 6;
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
        components = new JpegComponent[n];
        for (int i = 0; i < n; i++) {
            if (maxH % spec[i][1] != 0 || maxV % spec[i][2] != 0) {
                throw new ImageDecodeException("JPEG sampling factors that do not divide evenly are not supported");
            }
            int usedW = ((width * spec[i][1] + maxH - 1) / maxH + 7) / 8;
            int usedH = ((height * spec[i][2] + maxV - 1) / maxV + 7) / 8;
            components[i] = new JpegComponent(spec[i][0], spec[i][1], spec[i][2], spec[i][3], mcusX, mcusY, usedW, usedH);
        }
        in.pos = end;
    }

    /**
     * Reads a scan header and decodes the scan. Returns true when the image is complete (one interleaved baseline
     * scan decoded straight into samples); false when coefficients are being gathered and more scans may follow.
     */
    private boolean readScan() {
        int len = segmentLength();
        int end = in.pos + len;
        int ns = u8(in.pos);
        if (ns < 1 || ns > components.length || len < 4 + 2 * ns) {
            throw new ImageDecodeException("bad JPEG scan header");
        }
        JpegComponent[] scan = new JpegComponent[ns];
        for (int i = 0; i < ns; i++) {
            int id = u8(in.pos + 1 + 2 * i);
            int t = u8(in.pos + 2 + 2 * i);
            JpegComponent c = byId(id);
            c.td = t >> 4;
            c.ta = t & 15;
            if (c.td > 3 || c.ta > 3) {
                throw new ImageDecodeException("bad JPEG Huffman table id in scan");
            }
            scan[i] = c;
        }
        int p = in.pos + 1 + 2 * ns;
        int ss = u8(p);
        int se = u8(p + 1);
        int ah = u8(p + 2) >> 4;
        int al = u8(p + 2) & 15;
        in.pos = end;
        if (!progressive) {
            ss = 0;
            se = 63;
            ah = 0;
            al = 0;
        } else if (ss > se || se > 63 || al > 13 || (ss == 0 && se != 0) || (ss > 0 && ns != 1)) {
            throw new ImageDecodeException("bad JPEG progressive scan parameters");
        }
        for (JpegComponent c : scan) {
            boolean needsDc = ss == 0 && ah == 0;
            boolean needsAc = se > 0;
            if ((needsDc && dcTables[c.td] == null) || (needsAc && acTables[c.ta] == null)) {
                throw new ImageDecodeException("JPEG scan refers to a missing Huffman table");
            }
        }
        boolean oneInterleavedScan = !progressive && !coefficientMode && ns == components.length
                && (ns > 1 || (components[0].h == 1 && components[0].v == 1));
        if (oneInterleavedScan) {
            for (JpegComponent c : components) {
                checkQuant(c);
            }
            decodeMcus();
            return true;
        }
        if (!coefficientMode) {
            coefficientMode = true;
            for (JpegComponent c : components) {
                c.coefs = new short[c.blocksW * c.blocksH * 64];
            }
        }
        decodeCoefficientScan(scan, ss, se, ah, al);
        in.skipToMarker();
        return false;
    }

    private void checkQuant(JpegComponent c) {
        if (c.tq > 3 || quant[c.tq] == null) {
            throw new ImageDecodeException("JPEG component refers to a missing quantisation table");
        }
    }

    private JpegComponent byId(int id) {
        for (JpegComponent c : components) {
            if (c.id == id) {
                return c;
            }
        }
        throw new ImageDecodeException("JPEG scan names unknown component " + id);
    }

    /**
     * Before each MCU of a scan: with a restart interval, a restart marker is due once {@code restartsLeft} MCUs have
     * passed. Returns the count left after this MCU (unchanged without an interval).
     */
    private int beforeMcu(int restartsLeft) {
        if (restartInterval == 0) {
            return restartsLeft;
        }
        if (restartsLeft == 0) {
            restart();
            restartsLeft = restartInterval;
        }
        return restartsLeft - 1;
    }

    private void decodeMcus() {
        in.reset();
        int[] coef = new int[64];
        float[] block = new float[64];
        float[] tmp = new float[64];
        int total = mcusX * mcusY;
        int restartsLeft = restartInterval;
        for (int m = 0; m < total; m++) {
            restartsLeft = beforeMcu(restartsLeft);
            int mx = m % mcusX;
            int my = m / mcusX;
            for (JpegComponent c : components) {
                for (int by = 0; by < c.v; by++) {
                    for (int bx = 0; bx < c.h; bx++) {
                        decodeBlock(c, coef);
                        JpegIdct.idct(coef, quant[c.tq], tmp, block);
                        JpegIdct.store(c, (mx * c.h + bx) * 8, (my * c.v + by) * 8, block);
                    }
                }
            }
        }
    }

    /** A restart interval ends: the bit stream restarts after RSTn, predictions and end-of-band runs start over. */
    private void restart() {
        in.restart();
        progression.resetEobRun();
        for (JpegComponent c : components) {
            c.pred = 0;
        }
    }

    private void decodeBlock(JpegComponent c, int[] coef) {
        java.util.Arrays.fill(coef, 0);
        int t = in.decodeHuffman(dcTables[c.td]);
        if (t > 16) {
            throw new ImageDecodeException("bad JPEG DC code length " + t);
        }
        int diff = JpegBitReader.extend(in.bits(t), t);
        c.pred += diff;
        coef[0] = c.pred;
        JpegHuffman ac = acTables[c.ta];
        for (int k = 1; k < 64; ) {
            int rs = in.decodeHuffman(ac);
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
            coef[JpegIdct.ZIGZAG[k]] = JpegBitReader.extend(in.bits(s), s);
            k++;
        }
    }

    // ---- gathered coefficients: multi-scan sequential and progressive ----

    private void decodeCoefficientScan(JpegComponent[] scan, int ss, int se, int ah, int al) {
        in.reset();
        progression.resetEobRun();
        for (JpegComponent c : components) {
            c.pred = 0;
        }
        int[] coef = new int[64];
        int restartsLeft = restartInterval;
        if (scan.length == 1) {
            // a one-component scan is not interleaved: its units are single blocks, row by row over the samples
            JpegComponent c = scan[0];
            int total = c.usedW * c.usedH;
            for (int i = 0; i < total; i++) {
                restartsLeft = beforeMcu(restartsLeft);
                int bx = i % c.usedW;
                int by = i / c.usedW;
                decodeCoefficientBlock(c, (by * c.blocksW + bx) * 64, ss, se, ah, al, coef);
            }
            return;
        }
        int total = mcusX * mcusY;
        for (int m = 0; m < total; m++) {
            restartsLeft = beforeMcu(restartsLeft);
            int mx = m % mcusX;
            int my = m / mcusX;
            for (JpegComponent c : scan) {
                for (int by = 0; by < c.v; by++) {
                    for (int bx = 0; bx < c.h; bx++) {
                        int block = (my * c.v + by) * c.blocksW + mx * c.h + bx;
                        decodeCoefficientBlock(c, block * 64, ss, se, ah, al, coef);
                    }
                }
            }
        }
    }

    private void decodeCoefficientBlock(JpegComponent c, int off, int ss, int se, int ah, int al, int[] coef) {
        short[] co = c.coefs;
        if (!progressive) {
            decodeBlock(c, coef);
            for (int i = 0; i < 64; i++) {
                co[off + i] = (short) coef[i];
            }
        } else if (ss == 0) {
            if (ah == 0) {
                progression.dcFirst(c, dcTables[c.td], co, off, al);
            } else {
                progression.dcRefine(co, off, al);
            }
        } else if (ah == 0) {
            progression.acFirst(acTables[c.ta], co, off, ss, se, al);
        } else {
            progression.acRefine(acTables[c.ta], co, off, ss, se, al);
        }
    }

    /** Dequantise and inverse-transform every block that holds image samples. */
    private void inverseTransformCoefficients() {
        int[] coef = new int[64];
        float[] block = new float[64];
        float[] tmp = new float[64];
        for (JpegComponent c : components) {
            checkQuant(c);
            int[] q = quant[c.tq];
            for (int by = 0; by < c.usedH; by++) {
                for (int bx = 0; bx < c.usedW; bx++) {
                    int off = (by * c.blocksW + bx) * 64;
                    for (int i = 0; i < 64; i++) {
                        coef[i] = c.coefs[off + i];
                    }
                    JpegIdct.idct(coef, q, tmp, block);
                    JpegIdct.store(c, bx * 8, by * 8, block);
                }
            }
            c.coefs = null; // the samples are all that is needed from here on
        }
    }

    private int u8(int p) {
        return data[p] & 0xFF;
    }

    private int u16(int p) {
        return ((data[p] & 0xFF) << 8) | (data[p + 1] & 0xFF);
    }
}

package io.cropsearch.engine.codec;

import static io.cropsearch.engine.codec.Vp8Tables.AC_TABLE;
import static io.cropsearch.engine.codec.Vp8Tables.BANDS;
import static io.cropsearch.engine.codec.Vp8Tables.CAT_PROBS;
import static io.cropsearch.engine.codec.Vp8Tables.DC_TABLE;
import static io.cropsearch.engine.codec.Vp8Tables.ZIGZAG;

import java.util.Arrays;

/**
 * Decoder for lossy WebP: one VP8 key frame (RFC 6386). Parses the frame header and the first partition (segment,
 * loop-filter and quantiser settings, token probabilities, then per macroblock its segment, skip flag and intra
 * modes), decodes each macroblock's DCT tokens from its row's token partition, reconstructs it
 * ({@link Vp8Reconstruction}), then runs the loop filter over the frame ({@link Vp8LoopFilter}) and converts
 * YUV 4:2:0 to RGB as libwebp does ({@link Vp8Yuv}).
 *
 * <p>Where the RFC leaves latitude (corrupt partition sizes, end-of-data), this follows libwebp, the reference.
 */
final class Vp8Decoder {

    /** The frame size from the 10-byte key-frame header; the 2-bit upscaling hints are ignored, as libwebp does. */
    record FrameSize(int width, int height) {
    }

    private static final int NUM_TYPES = 4;
    private static final int TYPE_I16_AC = 0;
    private static final int TYPE_Y2 = 1;
    private static final int TYPE_CHROMA = 2;
    private static final int TYPE_I4 = 3;

    static FrameSize readFrameSize(byte[] b, int offset, int length) {
        if (length < 10) {
            throw new ImageDecodeException("truncated VP8 frame header");
        }
        int tag = (b[offset] & 0xFF) | (b[offset + 1] & 0xFF) << 8 | (b[offset + 2] & 0xFF) << 16;
        if ((tag & 1) != 0) {
            throw new ImageDecodeException("VP8 data is not a key frame");
        }
        if (((tag >> 1) & 7) > 3) {
            throw new ImageDecodeException("unknown VP8 profile");
        }
        if (((tag >> 4) & 1) == 0) {
            throw new ImageDecodeException("VP8 frame is not displayable");
        }
        if ((b[offset + 3] & 0xFF) != 0x9D || (b[offset + 4] & 0xFF) != 0x01 || (b[offset + 5] & 0xFF) != 0x2A) {
            throw new ImageDecodeException("bad VP8 start code");
        }
        int width = ((b[offset + 6] & 0xFF) | (b[offset + 7] & 0xFF) << 8) & 0x3FFF;
        int height = ((b[offset + 8] & 0xFF) | (b[offset + 9] & 0xFF) << 8) & 0x3FFF;
        if (width == 0 || height == 0) {
            throw new ImageDecodeException("VP8 frame of zero size");
        }
        return new FrameSize(width, height);
    }

    /** Decodes the frame to opaque ARGB pixels. */
    static int[] decode(byte[] b, int offset, int length, FrameSize size) {
        return new Vp8Decoder(size).run(b, offset, length);
    }

    private final int width;
    private final int height;
    private final int mbWidth;
    private final int mbHeight;
    private final Vp8Reconstruction recon;

    // segment header
    private boolean useSegment;
    private boolean updateMap;
    private boolean absoluteDelta = true;
    private final int[] segmentQuant = new int[4];
    private final int[] segmentFilter = new int[4];
    private final int[] segmentProbs = {255, 255, 255};
    // filter header
    private boolean simpleFilter;
    private int filterLevel;
    private int sharpness;
    private boolean useLfDelta;
    private final int[] refLfDelta = new int[4];
    private final int[] modeLfDelta = new int[4];
    // quantiser steps per segment: y1 dc/ac, y2 dc/ac, uv dc/ac
    private final int[][] quant = new int[4][6];
    private final int[][][][] probs = new int[NUM_TYPES][8][3][];
    private boolean useSkipProb;
    private int skipProb;

    // per-macroblock parsing state
    private final int[] intraTop;
    private final int[] intraLeft = new int[4];
    private final int[] nzTopY;
    private final int[] nzTopU;
    private final int[] nzTopV;
    private final int[] nzTopDc;
    private final int[] nzLeftY = new int[4];
    private final int[] nzLeftU = new int[2];
    private final int[] nzLeftV = new int[2];
    private int nzLeftDc;
    private final int[] coeffs = new int[384];
    private final int[] modes = new int[16];

    private Vp8Decoder(FrameSize size) {
        width = size.width();
        height = size.height();
        mbWidth = (width + 15) >> 4;
        mbHeight = (height + 15) >> 4;
        recon = new Vp8Reconstruction(mbWidth, mbHeight);
        intraTop = new int[mbWidth * 4];
        nzTopY = new int[mbWidth * 4];
        nzTopU = new int[mbWidth * 2];
        nzTopV = new int[mbWidth * 2];
        nzTopDc = new int[mbWidth];
    }

    private int[] run(byte[] b, int offset, int length) {
        int tag = (b[offset] & 0xFF) | (b[offset + 1] & 0xFF) << 8 | (b[offset + 2] & 0xFF) << 16;
        int firstPartSize = tag >>> 5;
        int start = offset + 10;
        int end = offset + length;
        if (firstPartSize > end - start) {
            throw new ImageDecodeException("VP8 first partition larger than the frame");
        }
        BoolDecoder br = new BoolDecoder(b, start, firstPartSize);
        br.readLiteral(1); // colour space: only 0 is defined, libwebp ignores it
        br.readLiteral(1); // clamping type: output is always clamped
        readSegmentHeader(br);
        readFilterHeader(br);
        BoolDecoder[] partitions = readPartitions(br, b, start + firstPartSize, end);
        readQuantisers(br);
        br.readLiteral(1); // refresh_entropy_probs: irrelevant for a single key frame
        readTokenProbabilities(br);

        Vp8LoopFilter.Strength[] strengths = filterStrengths();
        Vp8LoopFilter.Strength[] perMb = new Vp8LoopFilter.Strength[mbWidth * mbHeight];
        for (int mby = 0; mby < mbHeight; mby++) {
            Arrays.fill(intraLeft, Vp8Tables.B_DC);
            Arrays.fill(nzLeftY, 0);
            Arrays.fill(nzLeftU, 0);
            Arrays.fill(nzLeftV, 0);
            nzLeftDc = 0;
            BoolDecoder tokens = partitions[mby & (partitions.length - 1)];
            for (int mbx = 0; mbx < mbWidth; mbx++) {
                int segment = 0;
                if (updateMap) {
                    segment = br.readBool(segmentProbs[0]) == 0
                            ? br.readBool(segmentProbs[1])
                            : 2 + br.readBool(segmentProbs[2]);
                }
                boolean skip = useSkipProb && br.readBool(skipProb) == 1;
                boolean isI4 = br.readBool(145) == 0;
                int yMode = isI4 ? -1 : readI16Mode(br, mbx);
                if (isI4) {
                    readI4Modes(br, mbx);
                }
                int uvMode = readChromaMode(br);

                Arrays.fill(coeffs, 0);
                boolean hasCoeffs = false;
                if (!skip) {
                    hasCoeffs = readResiduals(tokens, mbx, quant[segment], isI4);
                } else {
                    // a skipped macroblock has no coefficients: its contexts read as zero for the neighbours
                    fillNz(mbx, 0);
                    if (!isI4) {
                        nzTopDc[mbx] = 0;
                        nzLeftDc = 0;
                    }
                }
                recon.macroblock(mbx, mby, isI4, yMode, modes, uvMode, coeffs);
                Vp8LoopFilter.Strength s = strengths[segment * 2 + (isI4 ? 1 : 0)];
                // inner edges are filtered for 4x4-predicted blocks and for blocks with coefficients (libwebp)
                perMb[mby * mbWidth + mbx] = s != null && !s.inner() && hasCoeffs ? s.withInner() : s;
            }
        }
        if (filterLevel > 0) {
            Vp8LoopFilter.filterFrame(recon, perMb, simpleFilter);
        }
        return Vp8Yuv.toArgb(recon, width, height);
    }

    private void fillNz(int mbx, int v) {
        for (int i = 0; i < 4; i++) {
            nzTopY[mbx * 4 + i] = v;
            nzLeftY[i] = v;
        }
        for (int i = 0; i < 2; i++) {
            nzTopU[mbx * 2 + i] = v;
            nzTopV[mbx * 2 + i] = v;
            nzLeftU[i] = v;
            nzLeftV[i] = v;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Frame header (RFC 6386, sections 9.3 to 9.6 and 13.4)

    private void readSegmentHeader(BoolDecoder br) {
        useSegment = br.readLiteral(1) == 1;
        if (!useSegment) {
            return;
        }
        updateMap = br.readLiteral(1) == 1;
        if (br.readLiteral(1) == 1) {
            absoluteDelta = br.readLiteral(1) == 1;
            for (int s = 0; s < 4; s++) {
                segmentQuant[s] = br.readOptionalSigned(7);
            }
            for (int s = 0; s < 4; s++) {
                segmentFilter[s] = br.readOptionalSigned(6);
            }
        }
        if (updateMap) {
            for (int s = 0; s < 3; s++) {
                segmentProbs[s] = br.readLiteral(1) == 1 ? br.readLiteral(8) : 255;
            }
        }
    }

    private void readFilterHeader(BoolDecoder br) {
        simpleFilter = br.readLiteral(1) == 1;
        filterLevel = br.readLiteral(6);
        sharpness = br.readLiteral(3);
        useLfDelta = br.readLiteral(1) == 1;
        if (useLfDelta && br.readLiteral(1) == 1) {
            for (int i = 0; i < 4; i++) {
                if (br.readLiteral(1) == 1) {
                    refLfDelta[i] = br.readSigned(6);
                }
            }
            for (int i = 0; i < 4; i++) {
                if (br.readLiteral(1) == 1) {
                    modeLfDelta[i] = br.readSigned(6);
                }
            }
        }
    }

    /**
     * The token partitions: 1, 2, 4 or 8, their sizes (but the last one's) as 3-byte values after the first
     * partition. As in libwebp, a size running past the data is cut to what is left, but the last partition must
     * not be empty.
     */
    private static BoolDecoder[] readPartitions(BoolDecoder br, byte[] b, int start, int end) {
        int count = 1 << br.readLiteral(2);
        int sizesBytes = 3 * (count - 1);
        if (end - start < sizesBytes) {
            throw new ImageDecodeException("truncated VP8 partition table");
        }
        BoolDecoder[] parts = new BoolDecoder[count];
        int partStart = start + sizesBytes;
        int left = end - partStart;
        for (int p = 0; p < count - 1; p++) {
            int s = start + 3 * p;
            int size = (b[s] & 0xFF) | (b[s + 1] & 0xFF) << 8 | (b[s + 2] & 0xFF) << 16;
            size = Math.min(size, left);
            parts[p] = new BoolDecoder(b, partStart, size);
            partStart += size;
            left -= size;
        }
        if (left <= 0) {
            throw new ImageDecodeException("truncated VP8 token partitions");
        }
        parts[count - 1] = new BoolDecoder(b, partStart, left);
        return parts;
    }

    private void readQuantisers(BoolDecoder br) {
        int base = br.readLiteral(7);
        int y1Dc = br.readOptionalSigned(4);
        int y2Dc = br.readOptionalSigned(4);
        int y2Ac = br.readOptionalSigned(4);
        int uvDc = br.readOptionalSigned(4);
        int uvAc = br.readOptionalSigned(4);
        for (int s = 0; s < 4; s++) {
            int q = base;
            if (useSegment) {
                q = absoluteDelta ? segmentQuant[s] : segmentQuant[s] + base;
            }
            int[] m = quant[s];
            m[0] = DC_TABLE[clip(q + y1Dc, 127)];
            m[1] = AC_TABLE[clip(q, 127)];
            m[2] = DC_TABLE[clip(q + y2Dc, 127)] * 2;
            // 155/100 of the AC step, computed as libwebp does ((x * 101581) >> 16 equals x * 155 / 100 here)
            m[3] = Math.max(8, (AC_TABLE[clip(q + y2Ac, 127)] * 101581) >> 16);
            m[4] = DC_TABLE[clip(q + uvDc, 117)];
            m[5] = AC_TABLE[clip(q + uvAc, 127)];
        }
    }

    private static int clip(int v, int max) {
        return v < 0 ? 0 : Math.min(v, max);
    }

    private void readTokenProbabilities(BoolDecoder br) {
        for (int t = 0; t < NUM_TYPES; t++) {
            for (int band = 0; band < 8; band++) {
                for (int ctx = 0; ctx < 3; ctx++) {
                    int[] p = new int[11];
                    for (int i = 0; i < 11; i++) {
                        p[i] = br.readBool(Vp8Tables.COEFF_UPDATE_PROBS[t][band][ctx][i]) == 1
                                ? br.readLiteral(8)
                                : Vp8Tables.COEFF_PROBS[t][band][ctx][i];
                    }
                    probs[t][band][ctx] = p;
                }
            }
        }
        useSkipProb = br.readLiteral(1) == 1;
        if (useSkipProb) {
            skipProb = br.readLiteral(8);
        }
    }

    /**
     * Loop-filter settings per (segment, 4x4-predicted) pair, as libwebp precomputes them: level from the segment
     * (absolute or relative) plus the reference-frame and mode deltas, interior limit from the sharpness, and the
     * high-edge-variance threshold of key frames. Null where the level is 0 (no filtering).
     */
    private Vp8LoopFilter.Strength[] filterStrengths() {
        Vp8LoopFilter.Strength[] out = new Vp8LoopFilter.Strength[8];
        for (int s = 0; s < 4; s++) {
            int base = filterLevel;
            if (useSegment) {
                base = absoluteDelta ? segmentFilter[s] : segmentFilter[s] + filterLevel;
            }
            for (int i4 = 0; i4 <= 1; i4++) {
                int level = base;
                if (useLfDelta) {
                    level += refLfDelta[0];
                    if (i4 == 1) {
                        level += modeLfDelta[0];
                    }
                }
                level = clip(level, 63);
                if (level == 0) {
                    continue;
                }
                int interior = level;
                if (sharpness > 0) {
                    interior >>= sharpness > 4 ? 2 : 1;
                    interior = Math.min(interior, 9 - sharpness);
                }
                interior = Math.max(interior, 1);
                int hevThreshold = level >= 40 ? 2 : level >= 15 ? 1 : 0;
                out[s * 2 + i4] = new Vp8LoopFilter.Strength(2 * level + interior, interior, hevThreshold, i4 == 1);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Intra modes (RFC 6386, sections 11.2 to 11.4; the trees are written out as decisions)

    private int readI16Mode(BoolDecoder br, int mbx) {
        int mode = br.readBool(156) == 1
                ? (br.readBool(128) == 1 ? Vp8Tables.B_TM : Vp8Tables.B_HE)
                : (br.readBool(163) == 1 ? Vp8Tables.B_VE : Vp8Tables.B_DC);
        // the sub-block mode contexts of neighbours see a 16x16 mode as the matching 4x4 mode
        for (int i = 0; i < 4; i++) {
            intraTop[mbx * 4 + i] = mode;
            intraLeft[i] = mode;
        }
        return mode;
    }

    private void readI4Modes(BoolDecoder br, int mbx) {
        for (int y = 0; y < 4; y++) {
            int left = intraLeft[y];
            for (int x = 0; x < 4; x++) {
                int[] p = Vp8Tables.B_MODE_PROBS[intraTop[mbx * 4 + x]][left];
                int mode;
                if (br.readBool(p[0]) == 0) {
                    mode = Vp8Tables.B_DC;
                } else if (br.readBool(p[1]) == 0) {
                    mode = Vp8Tables.B_TM;
                } else if (br.readBool(p[2]) == 0) {
                    mode = Vp8Tables.B_VE;
                } else if (br.readBool(p[3]) == 0) {
                    mode = br.readBool(p[4]) == 0 ? Vp8Tables.B_HE
                            : br.readBool(p[5]) == 0 ? Vp8Tables.B_RD : Vp8Tables.B_VR;
                } else {
                    mode = br.readBool(p[6]) == 0 ? Vp8Tables.B_LD
                            : br.readBool(p[7]) == 0 ? Vp8Tables.B_VL
                            : br.readBool(p[8]) == 0 ? Vp8Tables.B_HD : Vp8Tables.B_HU;
                }
                intraTop[mbx * 4 + x] = mode;
                modes[y * 4 + x] = mode;
                left = mode;
            }
            intraLeft[y] = left;
        }
    }

    private static int readChromaMode(BoolDecoder br) {
        if (br.readBool(142) == 0) {
            return Vp8Tables.B_DC;
        }
        if (br.readBool(114) == 0) {
            return Vp8Tables.B_VE;
        }
        return br.readBool(183) == 1 ? Vp8Tables.B_TM : Vp8Tables.B_HE;
    }

    // ---------------------------------------------------------------------------------------------------------
    // DCT tokens (RFC 6386, section 13)

    /**
     * Reads and dequantises all coefficients of a macroblock into {@link #coeffs} (16 luma blocks, 4 U, 4 V, 16
     * values each in raster order). The context of each block is whether its top and left neighbours had non-zero
     * coefficients. Returns whether any coefficient was non-zero.
     */
    private boolean readResiduals(BoolDecoder br, int mbx, int[] q, boolean isI4) {
        boolean any = false;
        int first;
        int[][][] lumaProbs;
        if (!isI4) {
            int[] dc = new int[16];
            int ctx = nzTopDc[mbx] + nzLeftDc;
            int nz = readCoefficients(br, probs[TYPE_Y2], ctx, q[2], q[3], 0, dc, 0);
            int flag = nz > 0 ? 1 : 0;
            nzTopDc[mbx] = flag;
            nzLeftDc = flag;
            if (nz > 1) {
                Vp8Reconstruction.inverseWht(dc, coeffs);
            } else {
                // only the DC: the inverse WHT gives the same value to every block
                int dc0 = (dc[0] + 3) >> 3;
                for (int i = 0; i < 256; i += 16) {
                    coeffs[i] = dc0;
                }
            }
            for (int i = 0; i < 256; i += 16) {
                any |= coeffs[i] != 0;
            }
            first = 1;
            lumaProbs = probs[TYPE_I16_AC];
        } else {
            first = 0;
            lumaProbs = probs[TYPE_I4];
        }
        for (int y = 0; y < 4; y++) {
            int left = nzLeftY[y];
            for (int x = 0; x < 4; x++) {
                int ctx = left + nzTopY[mbx * 4 + x];
                int nz = readCoefficients(br, lumaProbs, ctx, q[0], q[1], first, coeffs, (y * 4 + x) * 16);
                left = nz > first ? 1 : 0;
                nzTopY[mbx * 4 + x] = left;
                any |= nz > first;
            }
            nzLeftY[y] = left;
        }
        any |= readChroma(br, mbx, q, nzTopU, nzLeftU, 256);
        any |= readChroma(br, mbx, q, nzTopV, nzLeftV, 320);
        return any;
    }

    private boolean readChroma(BoolDecoder br, int mbx, int[] q, int[] top, int[] leftNz, int base) {
        boolean any = false;
        for (int y = 0; y < 2; y++) {
            int left = leftNz[y];
            for (int x = 0; x < 2; x++) {
                int ctx = left + top[mbx * 2 + x];
                int nz = readCoefficients(br, probs[TYPE_CHROMA], ctx, q[4], q[5], 0, coeffs, base + (y * 2 + x) * 16);
                left = nz > 0 ? 1 : 0;
                top[mbx * 2 + x] = left;
                any |= nz > 0;
            }
            leftNz[y] = left;
        }
        return any;
    }

    /**
     * One block's tokens from position {@code n}, dequantised into out[offset + zigzag]. Returns the position after
     * the last token read (0 or {@code n} when the block is empty). After a zero token the end-of-block token cannot
     * follow, so the tree is entered past it (RFC 6386, section 13.3).
     */
    private static int readCoefficients(BoolDecoder br, int[][][] typeProbs, int ctx, int dcq, int acq, int n,
            int[] out, int offset) {
        int[] p = typeProbs[BANDS[n]][ctx];
        for (; n < 16; n++) {
            if (br.readBool(p[0]) == 0) {
                return n; // end of block
            }
            while (br.readBool(p[1]) == 0) {
                // a zero coefficient; the next one's context is "zero"
                if (++n == 16) {
                    return 16;
                }
                p = typeProbs[BANDS[n]][0];
            }
            int[][] next = typeProbs[BANDS[n + 1]];
            int v;
            if (br.readBool(p[2]) == 0) {
                v = 1;
                p = next[1];
            } else {
                v = readLargeValue(br, p);
                p = next[2];
            }
            if (br.readBool(128) == 1) {
                v = -v;
            }
            out[offset + ZIGZAG[n]] = v * (n > 0 ? acq : dcq);
        }
        return 16;
    }

    /** Token values of 2 and more: the rest of the token tree and the extra bits of the DCT_CAT categories. */
    private static int readLargeValue(BoolDecoder br, int[] p) {
        if (br.readBool(p[3]) == 0) {
            return br.readBool(p[4]) == 0 ? 2 : 3 + br.readBool(p[5]);
        }
        if (br.readBool(p[6]) == 0) {
            if (br.readBool(p[7]) == 0) {
                return 5 + br.readBool(159); // DCT_CAT1: 5..6
            }
            int v = 7 + 2 * br.readBool(165); // DCT_CAT2: 7..10
            return v + br.readBool(145);
        }
        int bit1 = br.readBool(p[8]);
        int bit0 = br.readBool(p[9 + bit1]);
        int cat = 2 * bit1 + bit0; // DCT_CAT3..6, starting at 11, 19, 35, 67
        int v = 0;
        for (int prob : CAT_PROBS[cat]) {
            v = 2 * v + br.readBool(prob);
        }
        return v + 3 + (8 << cat);
    }
}

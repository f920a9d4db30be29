package io.cropsearch.engine.codec;

/**
 * The VP8 in-loop deblocking filter (RFC 6386, section 15), in libwebp's formulation, over the whole reconstructed
 * frame in macroblock raster order: per macroblock its left edge, inner vertical edges, top edge, inner horizontal
 * edges. The simple filter touches luma only; the normal one also chroma.
 */
final class Vp8LoopFilter {

    /**
     * Filter settings of a macroblock: {@code limit} = 2 * level + interior (macroblock edges use limit + 4), the
     * interior limit, the high-edge-variance threshold, and whether inner edges are filtered.
     */
    record Strength(int limit, int interior, int hevThreshold, boolean inner) {
        Strength withInner() {
            return new Strength(limit, interior, hevThreshold, true);
        }
    }

    private Vp8LoopFilter() {
    }

    static void filterFrame(Vp8Reconstruction frame, Strength[] perMb, boolean simple) {
        int mbWidth = frame.yStride / 16;
        int mbHeight = perMb.length / mbWidth;
        for (int mby = 0; mby < mbHeight; mby++) {
            for (int mbx = 0; mbx < mbWidth; mbx++) {
                Strength s = perMb[mby * mbWidth + mbx];
                if (s == null) {
                    continue;
                }
                if (simple) {
                    simple(frame.y, frame.yStride, mbx, mby, s);
                } else {
                    normal(frame, mbx, mby, s);
                }
            }
        }
    }

    private static void simple(byte[] y, int stride, int mbx, int mby, Strength s) {
        int p = mby * 16 * stride + mbx * 16;
        if (mbx > 0) {
            simpleEdge(y, p, 1, stride, s.limit() + 4);
        }
        if (s.inner()) {
            for (int k = 4; k < 16; k += 4) {
                simpleEdge(y, p + k, 1, stride, s.limit());
            }
        }
        if (mby > 0) {
            simpleEdge(y, p, stride, 1, s.limit() + 4);
        }
        if (s.inner()) {
            for (int k = 4; k < 16; k += 4) {
                simpleEdge(y, p + k * stride, stride, 1, s.limit());
            }
        }
    }

    /** 16 pixels along an edge; {@code step} crosses the edge, {@code along} moves along it. */
    private static void simpleEdge(byte[] px, int p, int step, int along, int limit) {
        int threshold = 2 * limit + 1;
        for (int i = 0; i < 16; i++, p += along) {
            if (needsFilter(px, p, step, threshold)) {
                filter2(px, p, step);
            }
        }
    }

    private static void normal(Vp8Reconstruction f, int mbx, int mby, Strength s) {
        int py = mby * 16 * f.yStride + mbx * 16;
        int puv = mby * 8 * f.uvStride + mbx * 8;
        int ys = f.yStride;
        int uvs = f.uvStride;
        int limit = s.limit();
        int interior = s.interior();
        int hev = s.hevThreshold();
        if (mbx > 0) {
            edge(f.y, py, 1, ys, 16, limit + 4, interior, hev, true);
            edge(f.u, puv, 1, uvs, 8, limit + 4, interior, hev, true);
            edge(f.v, puv, 1, uvs, 8, limit + 4, interior, hev, true);
        }
        if (s.inner()) {
            for (int k = 4; k < 16; k += 4) {
                edge(f.y, py + k, 1, ys, 16, limit, interior, hev, false);
            }
            edge(f.u, puv + 4, 1, uvs, 8, limit, interior, hev, false);
            edge(f.v, puv + 4, 1, uvs, 8, limit, interior, hev, false);
        }
        if (mby > 0) {
            edge(f.y, py, ys, 1, 16, limit + 4, interior, hev, true);
            edge(f.u, puv, uvs, 1, 8, limit + 4, interior, hev, true);
            edge(f.v, puv, uvs, 1, 8, limit + 4, interior, hev, true);
        }
        if (s.inner()) {
            for (int k = 4; k < 16; k += 4) {
                edge(f.y, py + k * ys, ys, 1, 16, limit, interior, hev, false);
            }
            edge(f.u, puv + 4 * uvs, uvs, 1, 8, limit, interior, hev, false);
            edge(f.v, puv + 4 * uvs, uvs, 1, 8, limit, interior, hev, false);
        }
    }

    /**
     * The normal filter along one edge of {@code size} pixels: where the edge is weak enough to be a blocking
     * artefact, a high-variance edge gets the 2-tap adjustment, else macroblock edges the 6-tap and inner edges the
     * 4-tap one.
     */
    private static void edge(byte[] px, int p, int step, int along, int size, int limit, int interior, int hevThreshold,
            boolean macroblockEdge) {
        int threshold = 2 * limit + 1;
        for (int i = 0; i < size; i++, p += along) {
            if (!needsFilter2(px, p, step, threshold, interior)) {
                continue;
            }
            if (highEdgeVariance(px, p, step, hevThreshold)) {
                filter2(px, p, step);
            } else if (macroblockEdge) {
                filter6(px, p, step);
            } else {
                filter4(px, p, step);
            }
        }
    }

    private static int at(byte[] px, int i) {
        return px[i] & 0xFF;
    }

    /** Clamps to a signed byte, [-128, 127]. */
    private static int sclip1(int v) {
        return v < -128 ? -128 : Math.min(v, 127);
    }

    /** Clamps to [-16, 15] (an adjustment already divided by 8). */
    private static int sclip2(int v) {
        return v < -16 ? -16 : Math.min(v, 15);
    }

    private static byte clip1(int v) {
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    private static boolean needsFilter(byte[] px, int p, int step, int threshold) {
        int p1 = at(px, p - 2 * step);
        int p0 = at(px, p - step);
        int q0 = at(px, p);
        int q1 = at(px, p + step);
        return 4 * Math.abs(p0 - q0) + Math.abs(p1 - q1) <= threshold;
    }

    private static boolean needsFilter2(byte[] px, int p, int step, int threshold, int interior) {
        int p3 = at(px, p - 4 * step);
        int p2 = at(px, p - 3 * step);
        int p1 = at(px, p - 2 * step);
        int p0 = at(px, p - step);
        int q0 = at(px, p);
        int q1 = at(px, p + step);
        int q2 = at(px, p + 2 * step);
        int q3 = at(px, p + 3 * step);
        if (4 * Math.abs(p0 - q0) + Math.abs(p1 - q1) > threshold) {
            return false;
        }
        return Math.abs(p3 - p2) <= interior && Math.abs(p2 - p1) <= interior && Math.abs(p1 - p0) <= interior
                && Math.abs(q3 - q2) <= interior && Math.abs(q2 - q1) <= interior && Math.abs(q1 - q0) <= interior;
    }

    private static boolean highEdgeVariance(byte[] px, int p, int step, int threshold) {
        int p1 = at(px, p - 2 * step);
        int p0 = at(px, p - step);
        int q0 = at(px, p);
        int q1 = at(px, p + step);
        return Math.abs(p1 - p0) > threshold || Math.abs(q1 - q0) > threshold;
    }

    /** Adjusts p0 and q0, using the outer taps p1 - q1. */
    private static void filter2(byte[] px, int p, int step) {
        int p1 = at(px, p - 2 * step);
        int p0 = at(px, p - step);
        int q0 = at(px, p);
        int q1 = at(px, p + step);
        int a = 3 * (q0 - p0) + sclip1(p1 - q1);
        int a1 = sclip2((a + 4) >> 3);
        int a2 = sclip2((a + 3) >> 3);
        px[p - step] = clip1(p0 + a2);
        px[p] = clip1(q0 - a1);
    }

    /** Inner-edge filter without high variance: p0/q0 fully, p1/q1 by half the adjustment. */
    private static void filter4(byte[] px, int p, int step) {
        int p1 = at(px, p - 2 * step);
        int p0 = at(px, p - step);
        int q0 = at(px, p);
        int q1 = at(px, p + step);
        int a = 3 * (q0 - p0);
        int a1 = sclip2((a + 4) >> 3);
        int a2 = sclip2((a + 3) >> 3);
        int a3 = (a1 + 1) >> 1;
        px[p - 2 * step] = clip1(p1 + a3);
        px[p - step] = clip1(p0 + a2);
        px[p] = clip1(q0 - a1);
        px[p + step] = clip1(q1 - a3);
    }

    /** Macroblock-edge filter without high variance: three pixels each side, weights 27, 18 and 9 (/128). */
    private static void filter6(byte[] px, int p, int step) {
        int p2 = at(px, p - 3 * step);
        int p1 = at(px, p - 2 * step);
        int p0 = at(px, p - step);
        int q0 = at(px, p);
        int q1 = at(px, p + step);
        int q2 = at(px, p + 2 * step);
        int a = sclip1(3 * (q0 - p0) + sclip1(p1 - q1));
        int a1 = (27 * a + 63) >> 7;
        int a2 = (18 * a + 63) >> 7;
        int a3 = (9 * a + 63) >> 7;
        px[p - 3 * step] = clip1(p2 + a3);
        px[p - 2 * step] = clip1(p1 + a2);
        px[p - step] = clip1(p0 + a1);
        px[p] = clip1(q0 - a1);
        px[p + step] = clip1(q1 - a2);
        px[p + 2 * step] = clip1(q2 - a3);
    }
}

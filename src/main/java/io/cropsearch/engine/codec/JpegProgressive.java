package io.cropsearch.engine.codec;

/**
 * Progressive JPEG (ITU T.81 G.1): the four kinds of scan, each adding to coefficients gathered over the whole image.
 * A DC first scan codes each block's DC difference shifted up by Al; DC refinement adds one bit; an AC first scan codes
 * one spectral band [Ss, Se] with end-of-band runs that cover many blocks; AC refinement adds one bit of precision to
 * the band. Coefficients are in natural (not zigzag) order, {@code off} is the block's first one.
 */
final class JpegProgressive {

    private final JpegBitReader in;
    private int eobRun;

    JpegProgressive(JpegBitReader in) {
        this.in = in;
    }

    /** At a scan start or restart: no end-of-band run carries over. */
    void resetEobRun() {
        eobRun = 0;
    }

    void dcFirst(JpegComponent c, JpegHuffman dc, short[] co, int off, int al) {
        int t = in.decodeHuffman(dc);
        if (t > 16) {
            throw new ImageDecodeException("bad JPEG DC code length " + t);
        }
        c.pred += JpegBitReader.extend(in.bits(t), t);
        co[off] = (short) (c.pred * (1 << al));
    }

    void dcRefine(short[] co, int off, int al) {
        if (in.bits(1) != 0) {
            co[off] |= (short) (1 << al);
        }
    }

    /** First AC scan of a band: run/size codes as in baseline, plus EOBn codes that end this and later blocks. */
    void acFirst(JpegHuffman ac, short[] co, int off, int ss, int se, int al) {
        if (eobRun > 0) {
            eobRun--;
            return;
        }
        for (int k = ss; k <= se; ) {
            int rs = in.decodeHuffman(ac);
            int r = rs >> 4;
            int s = rs & 15;
            if (s == 0) {
                if (r < 15) {
                    eobRun = (1 << r) - 1 + in.bits(r); // this block is the first of the run
                    return;
                }
                k += 16;
                continue;
            }
            k += r;
            if (k > 63) {
                throw new ImageDecodeException("JPEG coefficient run past the end of a block");
            }
            co[off + JpegIdct.ZIGZAG[k]] = (short) (JpegBitReader.extend(in.bits(s), s) * (1 << al));
            k++;
        }
    }

    /**
     * AC refinement (successive approximation, ITU T.81 G.1.2.3, laid out as libjpeg's decode_mcu_AC_refine): each
     * coefficient already non-zero takes one correction bit; a new coefficient (always +-1 at this bit) lands after
     * skipping {@code r} coefficients that are still zero.
     */
    void acRefine(JpegHuffman ac, short[] co, int off, int ss, int se, int al) {
        int p1 = 1 << al;
        int m1 = -1 << al;
        int k = ss;
        if (eobRun == 0) {
            for (; k <= se; k++) {
                int rs = in.decodeHuffman(ac);
                int r = rs >> 4;
                int s = rs & 15;
                int value = 0;
                if (s != 0) {
                    if (s != 1) {
                        throw new ImageDecodeException("bad JPEG refinement code");
                    }
                    value = in.bits(1) != 0 ? p1 : m1;
                } else if (r != 15) {
                    eobRun = (1 << r) + in.bits(r);
                    break;
                }
                while (k <= se) {
                    int z = off + JpegIdct.ZIGZAG[k];
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
                    co[off + JpegIdct.ZIGZAG[k]] = (short) value;
                }
            }
        }
        if (eobRun > 0) {
            // inside an end-of-band run: only corrections for the coefficients already non-zero
            for (; k <= se; k++) {
                int z = off + JpegIdct.ZIGZAG[k];
                if (co[z] != 0) {
                    refine(co, z, p1, m1);
                }
            }
            eobRun--;
        }
    }

    private void refine(short[] co, int z, int p1, int m1) {
        if (in.bits(1) != 0 && (co[z] & p1) == 0) {
            co[z] += (short) (co[z] >= 0 ? p1 : m1);
        }
    }
}

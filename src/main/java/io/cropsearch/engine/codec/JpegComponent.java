package io.cropsearch.engine.codec;

/** One colour component of a JPEG frame: its sampling, tables, and the planes it decodes into. */
final class JpegComponent {

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

    JpegComponent(int id, int h, int v, int tq, int mcusX, int mcusY, int usedW, int usedH) {
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

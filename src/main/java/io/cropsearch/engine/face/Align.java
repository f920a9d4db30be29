package io.cropsearch.engine.face;

import io.cropsearch.engine.codec.Rgb;

/**
 * Cuts the face out of the image for the recognition net, from its 68 landmarks (x0, y0, x1, y1, ... in image
 * pixels). Two ways, one per search mode (docs/EMBEDDED.md says how they measure):
 * <ul>
 *   <li>{@link #dlibBox}: face-api.js's own choice for descriptors ({@code FaceLandmarks.alignDlib}): an upright square
 *   sized and placed from the eye and mouth centres, clipped to the image. The recognition net then pads it square
 *   and resizes it. Upright: a tilted head stays tilted.</li>
 *   <li>{@link #chip}: dlib's {@code get_face_chip_details} + {@code extract_image_chip}, what the recognition net was
 *   trained on: a similarity transform (rotation, scale, shift) that puts the landmarks where dlib's mean face has
 *   them, sampled into a square chip with bilinear interpolation. A tilted head comes out upright.</li>
 * </ul>
 */
public final class Align {

    /** face-api.js 0.22.2 {@code FaceLandmarks}: the reference point's place in the box and the eye-to-mouth scale. */
    private static final double REL_X = 0.5;
    private static final double REL_Y = 0.43;
    private static final double REL_SCALE = 0.45;

    /**
     * dlib's mean face (image_transforms/interpolation.h, Boost Software License): the positions of landmarks 17-67
     * in a unit square. {@link #chip} uses the ones dlib uses: not the eyebrows (17-26) nor the lower lip (55-59,
     * 65-67), whose positions vary most with expression.
     */
    private static final double[] MEAN_X = {
        0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124, 0.904991, 0.98004,
        0.490127, 0.490127, 0.490127, 0.490127, 0.36688, 0.426036, 0.490127, 0.554217, 0.613373, 0.121737,
        0.187122, 0.265825, 0.334606, 0.260918, 0.182743, 0.645647, 0.714428, 0.793132, 0.858516, 0.79751,
        0.719335, 0.254149, 0.340985, 0.428858, 0.490127, 0.551395, 0.639268, 0.726104, 0.642159, 0.556721,
        0.490127, 0.423532, 0.338094, 0.290379, 0.428096, 0.490127, 0.552157, 0.689874, 0.553364, 0.490127,
        0.42689};
    private static final double[] MEAN_Y = {
        0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891, 0.0187482, 0.038915, 0.106454,
        0.203352, 0.307009, 0.409805, 0.515625, 0.587326, 0.609345, 0.628106, 0.609345, 0.587326, 0.216423,
        0.178758, 0.179852, 0.231733, 0.245099, 0.244077, 0.231733, 0.179852, 0.178758, 0.216423, 0.244077,
        0.245099, 0.780233, 0.745405, 0.727388, 0.742578, 0.727388, 0.745405, 0.780233, 0.864805, 0.902192,
        0.909281, 0.902192, 0.864805, 0.784792, 0.778746, 0.785343, 0.778746, 0.784792, 0.824182, 0.831803,
        0.824182};

    private Align() {
    }

    /** A rectangle in image pixels (integers, as face-api.js floors boxes before it slices the image). */
    public record Rect(int x, int y, int width, int height) {
    }

    /**
     * face-api.js's {@code alignDlib} box, then {@code clipAtImageBorders} (floored), as its
     * {@code withFaceDescriptor()} extracts the face. Null when nothing of it lies inside the image.
     *
     * @param faceWidth  width of the image the landmarks were found on (the detected box as cut): face-api.js bounds
     *                   the aligned box's width by {@code faceWidth + x}, a quirk kept so that descriptors match
     * @param faceHeight the same for the height
     */
    public static Rect dlibBox(float[] landmarks, int faceWidth, int faceHeight, int imageWidth, int imageHeight) {
        double[] leftEye = centre(landmarks, 36, 42);
        double[] rightEye = centre(landmarks, 42, 48);
        double[] mouth = centre(landmarks, 48, 68);
        double eyeToMouth = (Math.hypot(mouth[0] - leftEye[0], mouth[1] - leftEye[1])
                + Math.hypot(mouth[0] - rightEye[0], mouth[1] - rightEye[1])) / 2;
        double size = Math.floor(eyeToMouth / REL_SCALE);
        double refX = (leftEye[0] + rightEye[0] + mouth[0]) / 3;
        double refY = (leftEye[1] + rightEye[1] + mouth[1]) / 3;
        double x = Math.floor(Math.max(0, refX - REL_X * size));
        double y = Math.floor(Math.max(0, refY - REL_Y * size));
        // face-api.js: new Rect(x, y, min(size, imageWidth + x), min(size, imageHeight + y)) where "image" is the
        // one the landmarks were found on (the detected face), then clipped to the whole image
        double width = Math.min(size, faceWidth + x);
        double height = Math.min(size, faceHeight + y);
        return clip(x, y, width, height, imageWidth, imageHeight);
    }

    /** face-api.js {@code Box.clipAtImageBorders}: clipped to the image, then every field floored. */
    public static Rect clip(double x, double y, double width, double height, int imageWidth, int imageHeight) {
        double cx = Math.max(x, 0);
        double cy = Math.max(y, 0);
        double w = Math.min(x + width - cx, imageWidth - cx);
        double h = Math.min(y + height - cy, imageHeight - cy);
        Rect r = new Rect((int) Math.floor(cx), (int) Math.floor(cy), (int) Math.floor(w), (int) Math.floor(h));
        return r.width() > 0 && r.height() > 0 && r.x() < imageWidth && r.y() < imageHeight ? r : null;
    }

    public static Rgb cut(Rgb image, Rect r) {
        return image.crop(r.x(), r.y(), r.width(), r.height());
    }

    /**
     * dlib's face chip: {@code size} x {@code size} pixels, {@code padding} (dlib's default for recognition: 0.25) of
     * the mean face's size added on every side. Pixels that fall outside the image are black, as in dlib.
     */
    public static Rgb chip(Rgb image, float[] landmarks, int size, double padding) {
        // Least-squares similarity transform (Umeyama, as dlib's find_similarity_transform) from chip to image.
        int n = 0;
        double[] fx = new double[MEAN_X.length];
        double[] fy = new double[MEAN_X.length];
        double[] tx = new double[MEAN_X.length];
        double[] ty = new double[MEAN_X.length];
        for (int i = 17; i < 68; i++) {
            if ((i >= 55 && i <= 59) || i >= 65 || i <= 26) {
                continue;
            }
            fx[n] = (padding + MEAN_X[i - 17]) / (2 * padding + 1) * size;
            fy[n] = (padding + MEAN_Y[i - 17]) / (2 * padding + 1) * size;
            tx[n] = landmarks[2 * i];
            ty[n] = landmarks[2 * i + 1];
            n++;
        }
        double mfx = 0, mfy = 0, mtx = 0, mty = 0;
        for (int i = 0; i < n; i++) {
            mfx += fx[i];
            mfy += fy[i];
            mtx += tx[i];
            mty += ty[i];
        }
        mfx /= n;
        mfy /= n;
        mtx /= n;
        mty /= n;
        // For a similarity x' = [a -b; b a] x + t the least-squares a, b are these ratios (2-D Umeyama, no reflection).
        double sxx = 0, sxy = 0, var = 0;
        for (int i = 0; i < n; i++) {
            double ax = fx[i] - mfx, ay = fy[i] - mfy, bx = tx[i] - mtx, by = ty[i] - mty;
            sxx += ax * bx + ay * by;
            sxy += ax * by - ay * bx;
            var += ax * ax + ay * ay;
        }
        double a = sxx / var;
        double b = sxy / var;
        double ox = mtx - (a * mfx - b * mfy);
        double oy = mty - (b * mfx + a * mfy);
        // Like dlib's extract_image_chip: a face much larger than the chip is first halved (2x2 box filter) until a
        // chip pixel spans at most two image pixels, so that bilinear sampling does not alias. Pixel centres sit at
        // integer coordinates here, so halving maps x to (x - 0.5) / 2.
        while (Math.hypot(a, b) > 2 && image.width() >= 2 && image.height() >= 2) {
            image = halve(image);
            a /= 2;
            b /= 2;
            ox = (ox - 0.5) / 2;
            oy = (oy - 0.5) / 2;
        }
        byte[] out = new byte[size * size * 3];
        byte[] px = image.pixels();
        int w = image.width();
        int h = image.height();
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double sx = a * x - b * y + ox;
                double sy = b * x + a * y + oy;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) {
                    continue; // dlib leaves pixels it cannot interpolate black
                }
                double dx = sx - x0;
                double dy = sy - y0;
                int i00 = (y0 * w + x0) * 3;
                int i10 = i00 + 3;
                int i01 = i00 + w * 3;
                int i11 = i01 + 3;
                int o = (y * size + x) * 3;
                for (int c = 0; c < 3; c++) {
                    double top = (px[i00 + c] & 0xFF) * (1 - dx) + (px[i10 + c] & 0xFF) * dx;
                    double bottom = (px[i01 + c] & 0xFF) * (1 - dx) + (px[i11 + c] & 0xFF) * dx;
                    out[o + c] = (byte) Math.round(top * (1 - dy) + bottom * dy);
                }
            }
        }
        return new Rgb(size, size, out);
    }

    /** Half the size, each pixel the mean of a 2x2 block (an odd last row or column is dropped). */
    static Rgb halve(Rgb image) {
        int w = image.width() / 2;
        int h = image.height() / 2;
        byte[] in = image.pixels();
        int row = image.width() * 3;
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (2 * y) * row + 2 * x * 3;
                for (int c = 0; c < 3; c++) {
                    int sum = (in[i + c] & 0xFF) + (in[i + 3 + c] & 0xFF) + (in[i + row + c] & 0xFF)
                            + (in[i + row + 3 + c] & 0xFF);
                    out[(y * w + x) * 3 + c] = (byte) ((sum + 2) / 4);
                }
            }
        }
        return new Rgb(w, h, out);
    }

    /** The mean of landmarks {@code from} (inclusive) to {@code to} (exclusive), face-api.js's getCenterPoint. */
    private static double[] centre(float[] landmarks, int from, int to) {
        double sx = 0;
        double sy = 0;
        for (int i = from; i < to; i++) {
            sx += landmarks[2 * i];
            sy += landmarks[2 * i + 1];
        }
        return new double[] {sx / (to - from), sy / (to - from)};
    }
}

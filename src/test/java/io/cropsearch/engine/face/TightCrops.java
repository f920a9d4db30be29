package io.cropsearch.engine.face;

import com.fasterxml.jackson.databind.JsonNode;
import io.cropsearch.engine.Fixtures;
import io.cropsearch.engine.codec.Rgb;
import java.util.ArrayList;
import java.util.List;

/**
 * The committed tight crops (docs/ENGINE.md "Crop convention") with where their face is, and the border options
 * measured for running the tiny face detector on them (TightCropSurvey, TinyFaceDetectorCropTest).
 */
final class TightCrops {

    private TightCrops() {
    }

    /** A crop and its face: the ssdMobilenetv1 box it was cut around, in the crop's pixels. */
    record Crop(String file, Rgb image, double[] face) {
    }

    enum Fill { BLACK, GREY, EDGE }

    static List<Crop> all() {
        JsonNode crops = Fixtures.json("crops-manifest.json").get("crops");
        int size = Fixtures.json("crops-manifest.json").get("convention").get("size").asInt();
        double margin = Fixtures.json("crops-manifest.json").get("convention").get("margin").asDouble();
        List<Crop> out = new ArrayList<>();
        java.util.Map<String, double[]> faces = new java.util.HashMap<>();
        for (JsonNode c : crops) {
            String file = c.get("file").asText();
            Rgb img = Fixtures.crop(file);
            double[] face;
            if (c.has("box")) {
                // make-crops.js: a square of side (1 + 2 margin) * max(w, h) centred on the box, scaled to `size`
                JsonNode b = c.get("box");
                double w = b.get("width").asDouble();
                double h = b.get("height").asDouble();
                double scale = size / (Math.max(w, h) * (1 + 2 * margin));
                face = new double[] {size / 2.0 - w * scale / 2, size / 2.0 - h * scale / 2, w * scale, h * scale};
                faces.put(file, face);
            } else {
                // a centred cut of another crop, at floor((size - w) / 2), floor((size - h) / 2)
                double[] base = faces.get(c.get("from").asText());
                int dx = (size - img.width()) / 2;
                int dy = (size - img.height()) / 2;
                face = new double[] {base[0] - dx, base[1] - dy, base[2], base[3]};
            }
            out.add(new Crop(file, img, face));
        }
        return out;
    }

    /** The image centred on a square canvas of side {@code round(factor * max(w, h))}, the rest filled. */
    static Rgb border(Rgb img, double factor, Fill fill) {
        int side = (int) Math.round(factor * Math.max(img.width(), img.height()));
        int ox = (side - img.width()) / 2;
        int oy = (side - img.height()) / 2;
        byte[] px = new byte[side * side * 3];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int sx = x - ox;
                int sy = y - oy;
                boolean inside = sx >= 0 && sy >= 0 && sx < img.width() && sy < img.height();
                for (int c = 0; c < 3; c++) {
                    int v;
                    if (inside || fill == Fill.EDGE) {
                        v = img.get(Math.min(img.width() - 1, Math.max(0, sx)), Math.min(img.height() - 1, Math.max(0, sy)), c);
                    } else {
                        v = fill == Fill.GREY ? 128 : 0;
                    }
                    px[(y * side + x) * 3 + c] = (byte) v;
                }
            }
        }
        return new Rgb(side, side, px);
    }

    /** Offset of the crop inside {@link #border}'s canvas. */
    static int[] offset(Rgb img, double factor) {
        int side = (int) Math.round(factor * Math.max(img.width(), img.height()));
        return new int[] {(side - img.width()) / 2, (side - img.height()) / 2};
    }

    static double iou(FaceBox b, double[] f, int dx, int dy) {
        double x = b.x() - dx;
        double y = b.y() - dy;
        double w = Math.max(0, Math.min(x + b.width(), f[0] + f[2]) - Math.max(x, f[0]));
        double h = Math.max(0, Math.min(y + b.height(), f[1] + f[3]) - Math.max(y, f[1]));
        double inter = w * h;
        return inter / (b.width() * b.height() + f[2] * f[3] - inter);
    }
}

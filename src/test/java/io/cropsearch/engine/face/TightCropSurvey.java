package io.cropsearch.engine.face;

import io.cropsearch.engine.codec.Rgb;
import java.util.List;

/**
 * Measures whether the tiny face detector finds the face of each committed tight crop, as is and with a border, per
 * input size. The face is found when a box overlaps the crop's ssdMobilenetv1 face box with IOU >= 0.4. Prints one
 * line per option: crops whose face is found above score thresholds 0.5 (face-api.js's default), 0.3 and 0.2, the
 * lowest and mean face score (0 when not found), crops with a box elsewhere (IOU < 0.3), and the misses at 0.5. Run from the repository root after {@code ./mvnw -q test-compile}:
 * {@code java -cp target/classes:target/test-classes:$(cat target/jmh.classpath) io.cropsearch.engine.face.TightCropSurvey}
 * (the classpath file is written by tools/bench/run-jmh.sh).
 */
public final class TightCropSurvey {

    // The tiny detector draws squarer, lower boxes than ssdMobilenetv1 (whose boxes the crops were cut around): its box
    // on a crop overlaps the ssd box with IOU 0.43-0.74 where it is plainly on the face, so 0.5 would count style as misses.
    static final double MIN_IOU = 0.4;

    private TightCropSurvey() {
    }

    public static void main(String[] args) {
        TinyFaceDetector detector = TinyFaceDetector.load();
        List<TightCrops.Crop> crops = TightCrops.all();
        if (args.length == 3) { // e.g. "edge 1.5 160": every crop's boxes for one option
            detail(detector, crops, TightCrops.Fill.valueOf(args[0].toUpperCase()), Double.parseDouble(args[1]),
                    Integer.parseInt(args[2]));
            return;
        }
        int[] sizes = {64, 96, 128, 160, 224, 320, 416};
        System.out.printf("%d crops; face found = a box with IOU >= %.1f against the crop's face box%n", crops.size(),
                MIN_IOU);
        survey(detector, crops, sizes, 1.0, TightCrops.Fill.BLACK);
        for (double factor : new double[] {1.25, 1.5, 2.0}) {
            for (TightCrops.Fill fill : TightCrops.Fill.values()) {
                survey(detector, crops, sizes, factor, fill);
            }
        }
    }

    private static void survey(TinyFaceDetector detector, List<TightCrops.Crop> crops, int[] sizes, double factor,
            TightCrops.Fill fill) {
        for (int size : sizes) {
            // one pass at a low threshold gives every higher one: NMS only lets a box suppress lower-scoring ones
            double[] face = new double[crops.size()];
            double[] other = new double[crops.size()];
            StringBuilder misses = new StringBuilder();
            for (int i = 0; i < crops.size(); i++) {
                TightCrops.Crop c = crops.get(i);
                Rgb img = factor == 1.0 ? c.image() : TightCrops.border(c.image(), factor, fill);
                int[] off = factor == 1.0 ? new int[2] : TightCrops.offset(c.image(), factor);
                for (FaceBox b : detector.detect(img, size, 0.1f)) {
                    double iou = TightCrops.iou(b, c.face(), off[0], off[1]);
                    if (iou >= MIN_IOU) {
                        face[i] = Math.max(face[i], b.score());
                    } else if (iou < 0.3) {
                        other[i] = Math.max(other[i], b.score());
                    }
                }
                if (face[i] <= 0.5) {
                    misses.append(' ').append(c.file().replace(".png", "").replace("sample", "s"));
                }
            }
            double min = 1;
            double sum = 0;
            for (double f : face) {
                min = Math.min(min, f);
                sum += f;
            }
            System.out.printf("%-5s x%.2f @%3d: face found above 0.5/0.3/0.2: %2d/%2d/%2d of %d; face score min %.3f mean %.3f;"
                    + " other boxes above 0.5/0.3: %d/%d; missed at 0.5:%s%n",
                    factor == 1.0 ? "as is" : fill.name().toLowerCase(), factor, size, count(face, 0.5), count(face, 0.3),
                    count(face, 0.2), crops.size(), min, sum / crops.size(), count(other, 0.5), count(other, 0.3), misses);
        }
    }

    private static void detail(TinyFaceDetector detector, List<TightCrops.Crop> crops, TightCrops.Fill fill,
            double factor, int size) {
        for (TightCrops.Crop c : crops) {
            Rgb img = factor == 1.0 ? c.image() : TightCrops.border(c.image(), factor, fill);
            int[] off = factor == 1.0 ? new int[2] : TightCrops.offset(c.image(), factor);
            StringBuilder line = new StringBuilder(String.format("%-28s face %.0f,%.0f %.0fx%.0f:", c.file(), c.face()[0],
                    c.face()[1], c.face()[2], c.face()[3]));
            for (FaceBox b : detector.detect(img, size, 0.1f)) {
                line.append(String.format(" [%.3f %.0f,%.0f %.0fx%.0f iou %.2f]", b.score(), b.x() - off[0],
                        b.y() - off[1], b.width(), b.height(), TightCrops.iou(b, c.face(), off[0], off[1])));
            }
            System.out.println(line);
        }
    }

    private static int count(double[] scores, double threshold) {
        int n = 0;
        for (double s : scores) {
            if (s > threshold) {
                n++;
            }
        }
        return n;
    }
}

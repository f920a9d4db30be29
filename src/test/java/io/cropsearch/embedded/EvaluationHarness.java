package io.cropsearch.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.engine.codec.ImageDecoder;
import io.cropsearch.engine.codec.Rgb;
import io.cropsearch.engine.face.FaceEmbedder;
import io.cropsearch.engine.face.FacePipeline;
import io.cropsearch.errors.ApiException;
import io.cropsearch.model.SearchMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded engine on real photos of real people (tools/evaluation/run.sh; docs/EMBEDDED.md has the table):
 * eight people, up to five photos each, cut as crops (tools/reference/make-eval.js; 36 of 40 photos, the detector
 * of the cut missed 4). Protocol: photo 1 of each person is enrolled through the real enrolment, the others are
 * searched through the real search (28 searches, each against 8 persons: 28 true pairs, 196 stranger pairs). All
 * pairs: every two of the 36 crops (65 same-person, 565 different-person pairs). Compared: today's pipeline (FAST and ACCURATE), the old one (the crop described as sent,
 * no detection or alignment), and face-api.js's own full pipeline on the same crops (its descriptors from
 * make-eval.js). No-face probes must be found faceless: not enrolled, not searched.
 */
public final class EvaluationHarness {
    static final double[] THRESHOLDS = {0.6, 0.7, 0.75, 0.8};
    static final double DECISION = 0.7;

    private EvaluationHarness() {
    }

    /** One way of turning a photo into a descriptor, measured on all pairs. */
    record Variant(String name, Map<String, float[]> descriptors) {
    }

    /** The enrol-one-search-the-rest protocol, through the real code for today's pipeline. */
    record Protocol(int searches, int rank1, int trueAccepts, int strangerPairs, int falseAccepts,
                    int searchesWithAStranger, double meanMillis) {
    }

    /** Descriptors of every crop, made by today's pipeline in {@code mode}; empty entries for crops without a face. */
    static Map<String, float[]> pipeline(List<RealPhotos.Photo> photos, FacePipeline.Mode mode) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (RealPhotos.Photo p : photos) {
            Rgb image = ImageDecoder.decode(p.bytes());
            FacePipeline.shared().describe(image, mode).ifPresent(face -> out.put(p.name(), face.descriptor()));
        }
        return out;
    }

    /** The old pipeline: the whole crop described as it came. */
    static Map<String, float[]> asSent(List<RealPhotos.Photo> photos) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (RealPhotos.Photo p : photos) {
            out.put(p.name(), FaceEmbedder.shared().embed(ImageDecoder.decode(p.bytes())));
        }
        return out;
    }

    /** face-api.js's full pipeline on the same crops, as make-eval.js recorded it; empty when not recorded. */
    static Optional<Map<String, float[]>> faceApi(String configuration) throws IOException {
        Path file = RealPhotos.DIR.resolve("faceapi-pipeline.json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        Map<String, float[]> out = new LinkedHashMap<>();
        for (JsonNode crop : root.path("configurations").path(configuration).path("results")) {
            JsonNode d = crop.path("descriptor");
            if (d.isArray() && d.size() == FaceEmbedder.DIMENSIONS) {
                float[] f = new float[d.size()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) d.get(i).asDouble();
                }
                out.put(Path.of(crop.path("file").asText()).getFileName().toString().replace(".png", ""), f);
            }
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }

    static Separation allPairs(Map<String, float[]> descriptors) {
        List<String> names = new ArrayList<>(descriptors.keySet());
        return Separation.allPairs(names, EvaluationHarness::person, descriptors::get);
    }

    /** The protocol on descriptors alone (for variants that have no code path of their own any more). */
    static Protocol protocol(Map<String, float[]> d) {
        List<String> enrolled = d.keySet().stream().filter(n -> n.endsWith("1")).toList();
        int searches = 0, rank1 = 0, ta = 0, pairs = 0, fa = 0, withStranger = 0;
        for (String probe : d.keySet()) {
            if (probe.endsWith("1")) {
                continue;
            }
            searches++;
            String best = null;
            double bestScore = -1;
            boolean stranger = false;
            for (String e : enrolled) {
                double score = Scores.fromDistance(Gallery.distance(d.get(probe), d.get(e)));
                if (score > bestScore) {
                    bestScore = score;
                    best = e;
                }
                if (person(e).equals(person(probe))) {
                    ta += score >= DECISION ? 1 : 0;
                } else {
                    pairs++;
                    fa += score >= DECISION ? 1 : 0;
                    stranger |= score >= DECISION;
                }
            }
            rank1 += best != null && person(best).equals(person(probe)) ? 1 : 0;
            withStranger += stranger ? 1 : 0;
        }
        return new Protocol(searches, rank1, ta, pairs, fa, withStranger, Double.NaN);
    }

    /** The protocol through the real enrolment and search of the function. */
    static Protocol protocol(EvaluationGallery g, List<RealPhotos.Photo> photos, SearchMode mode) {
        int searches = 0, rank1 = 0, ta = 0, pairs = 0, fa = 0, withStranger = 0;
        long nanos = 0;
        for (RealPhotos.Photo p : photos) {
            if (p.index() == 1) {
                continue;
            }
            EvaluationGallery.Ranked ranked = g.search(p.bytes(), mode);
            nanos += ranked.nanos();
            searches++;
            rank1 += ranked.top().filter(p.person()::equals).isPresent() ? 1 : 0;
            boolean stranger = false;
            for (int i = 0; i < ranked.names().size(); i++) {
                boolean accepted = ranked.scores().get(i) >= DECISION;
                if (ranked.names().get(i).equals(p.person())) {
                    ta += accepted ? 1 : 0;
                } else {
                    fa += accepted ? 1 : 0;
                    stranger |= accepted;
                }
            }
            pairs += g.ids.size() - 1;
            withStranger += stranger ? 1 : 0;
        }
        return new Protocol(searches, rank1, ta, pairs, fa, withStranger, nanos / 1e6 / Math.max(1, searches));
    }

    static EvaluationGallery enrolFirstPhotos(List<RealPhotos.Photo> photos) {
        Map<String, byte[]> first = new LinkedHashMap<>();
        photos.stream().filter(p -> p.index() == 1).forEach(p -> first.put(p.person(), p.bytes()));
        return EvaluationGallery.enrol(first);
    }

    /** What happens to each no-face probe: faces detected, and the enrolment's and search's answers. */
    record NoFaceOutcome(String file, int faces, String enrolment, String search) {
    }

    static List<NoFaceOutcome> noFace(EvaluationGallery g) {
        List<NoFaceOutcome> out = new ArrayList<>();
        for (RealPhotos.Photo p : RealPhotos.noFace()) {
            Rgb image = ImageDecoder.decode(p.bytes());
            int faces = FacePipeline.shared().detect(image).isPresent() ? 1 : 0;
            String enrolment;
            try {
                g.enrolment.enrol(new io.cropsearch.validation.ValidatedPerson("noface " + p.file(),
                        List.of(EvaluationGallery.inline(p.bytes())), null, null, null, List.of(), null));
                enrolment = "enrolled";
            } catch (ApiException e) {
                enrolment = e.status() + " " + e.code();
            }
            String search;
            try {
                EvaluationGallery.Ranked ranked = g.search(p.bytes(), SearchMode.FAST);
                search = ranked.names().size() + " matches";
            } catch (ApiException e) {
                search = e.status() + " " + e.code();
            }
            out.add(new NoFaceOutcome(p.file(), faces, enrolment, search));
        }
        return out;
    }

    static String person(String name) {
        return name.replaceAll("\\d+$", "");
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/evaluation/evaluation.json");
        List<RealPhotos.Photo> photos = RealPhotos.crops();
        FacePipeline.shared().warmUp(3);
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant("FAST (tiny detector, tiny landmarks, face-api.js box)",
                pipeline(photos, FacePipeline.Mode.FAST)));
        variants.add(new Variant("ACCURATE (tiny detector, full landmarks, dlib chip, mirror-averaged)",
                pipeline(photos, FacePipeline.Mode.ACCURATE)));
        variants.add(new Variant("old: crop described as sent", asSent(photos)));
        for (String configuration : List.of("tiny", "ssd")) {
            faceApi(configuration).ifPresent(d -> variants.add(
                    new Variant("face-api.js full pipeline (" + configuration + "), reference", d)));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("crops", photos.size());
        ArrayNode results = root.putArray("variants");
        StringBuilder md = new StringBuilder();
        md.append("| variant | faces found | rank-1 | TAR @0.7 (searches) | FAR @0.7 (searches) | searches with a stranger >= 0.7 |")
                .append(" TAR/FAR @0.6 | TAR/FAR @0.7 | TAR/FAR @0.75 | TAR/FAR @0.8 | EER | same-person scores |")
                .append(" highest stranger score |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<SearchMode, Double> searchMillis = new java.util.EnumMap<>(SearchMode.class);
        try (EvaluationGallery g = enrolFirstPhotos(photos)) {
            for (Variant v : variants) {
                Protocol p;
                if (v.name().startsWith("FAST")) {
                    p = protocol(g, photos, SearchMode.FAST);
                    searchMillis.put(SearchMode.FAST, p.meanMillis());
                } else if (v.name().startsWith("ACCURATE")) {
                    p = protocol(g, photos, SearchMode.ACCURATE);
                    searchMillis.put(SearchMode.ACCURATE, p.meanMillis());
                } else {
                    p = protocol(v.descriptors());
                }
                Separation s = allPairs(v.descriptors());
                md.append("| ").append(v.name()).append(" | ").append(v.descriptors().size()).append("/")
                        .append(photos.size()).append(" | ").append(p.rank1()).append("/").append(p.searches())
                        .append(" | ").append(p.trueAccepts()).append("/").append(p.searches())
                        .append(" | ").append(p.falseAccepts()).append("/").append(p.strangerPairs())
                        .append(" | ").append(p.searchesWithAStranger()).append("/").append(p.searches());
                ObjectNode r = results.addObject();
                r.put("variant", v.name()).put("faces", v.descriptors().size()).put("rank1", p.rank1())
                        .put("searches", p.searches()).put("trueAccepts", p.trueAccepts())
                        .put("falseAccepts", p.falseAccepts()).put("strangerPairs", p.strangerPairs())
                        .put("searchesWithAStranger", p.searchesWithAStranger()).put("meanSearchMs", p.meanMillis())
                        .put("samePairs", s.same().size()).put("differentPairs", s.different().size())
                        .put("eer", s.equalErrorRate());
                for (double t : THRESHOLDS) {
                    md.append(" | ").append(pct(s.tar(t))).append(" / ").append(pct(s.far(t)));
                    r.putObject("at" + t).put("tar", s.tar(t)).put("far", s.far(t))
                            .put("trueAccepts", s.trueAccepts(t)).put("falseAccepts", s.falseAccepts(t));
                }
                double sameMin = s.same().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
                double sameMax = s.same().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
                double strangerMax = s.different().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
                md.append(" | ").append(pct(s.equalErrorRate()))
                        .append(String.format(Locale.ROOT, " | %.3f-%.3f | %.3f |%n", sameMin, sameMax, strangerMax));
                r.put("sameMin", sameMin).put("sameMax", sameMax).put("strangerMax", strangerMax);
            }
            md.append("\nAll-pairs columns: ").append(allPairs(variants.get(0).descriptors()).same().size())
                    .append(" same-person and ").append(allPairs(variants.get(0).descriptors()).different().size())
                    .append(" different-person pairs (for variants that found every face).\n");
            md.append("\nMean time per search through the real search code (one thread): FAST ")
                    .append(String.format(Locale.ROOT, "%.1f", searchMillis.get(SearchMode.FAST)))
                    .append(" ms, ACCURATE ")
                    .append(String.format(Locale.ROOT, "%.1f", searchMillis.get(SearchMode.ACCURATE)))
                    .append(" ms.\n\n| no-face probe | faces found | enrolment | search |\n|---|---:|---|---|\n");
            ArrayNode nf = root.putArray("noFace");
            for (NoFaceOutcome o : noFace(g)) {
                md.append("| ").append(o.file()).append(" | ").append(o.faces()).append(" | ").append(o.enrolment())
                        .append(" | ").append(o.search()).append(" |\n");
                nf.addObject().put("file", o.file()).put("faces", o.faces()).put("enrolment", o.enrolment())
                        .put("search", o.search());
            }
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), root);
        System.out.print(md);
    }

    private static String pct(double rate) {
        return String.format(Locale.ROOT, "%.1f%%", rate * 100);
    }
}

package io.cropsearch.embedded;

import io.cropsearch.engine.codec.ImageDecoder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.model.SearchMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rank-1 identification and distance distributions of the embedded backend, FAST against ACCURATE, over the 22
 * fixture identities. Not a test (its name does not end in Test): tools/evaluation/run.sh runs it, docs/EMBEDDED.md
 * quotes it.
 *
 * <p>Probes are the 3 real alternate crops and SYNTHETIC variants (flip, shift, zoom, brightness, blur, JPEG, noise,
 * combinations) of every enrolled crop; each probe goes through {@link EmbeddedSearchBackend#search} in both modes.
 * Prints markdown to stdout and writes the numbers as JSON (first argument, default target/evaluation/evaluation.json).
 */
public final class EvaluationHarness {
    static final double THRESHOLD = 0.6;
    private static final long SEED = 20_260_525L;
    private static final SearchMode[] MODES = {SearchMode.FAST, SearchMode.ACCURATE};
    private static final java.util.Set<String> MIRRORED = java.util.Set.of("flip", "combo-a");

    private EvaluationHarness() {
    }

    /** One query image with the identity it shows. */
    record Probe(String family, boolean synthetic, String identity, byte[] bytes) {
    }

    /** What one probe gave in one mode. */
    record Outcome(Probe probe, SearchMode mode, int rank, double topScore, double genuine, double nearestImpostor,
                   List<Double> impostors, long nanos) {
        boolean rank1() {
            return rank == 1;
        }

        boolean acceptedAtRank1() {
            return rank == 1 && topScore >= Scores.fromDistance(THRESHOLD) - 1e-9;
        }
    }

    public static void main(String[] args) throws IOException {
        Path jsonOut = Path.of(args.length > 0 ? args[0] : "target/evaluation/evaluation.json");
        long started = System.nanoTime();
        try (EvaluationGallery g = EvaluationGallery.enrolAll()) {
            List<Probe> probes = probes(g);
            // the first searches pay for JIT compilation; keep that out of the timing
            for (int i = 0; i < 3; i++) {
                for (SearchMode mode : MODES) {
                    g.search(probes.get(i).bytes(), mode);
                }
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Probe probe : probes) {
                for (SearchMode mode : MODES) {
                    outcomes.add(run(g, probe, mode));
                }
            }
            Map<SearchMode, List<Double>> enrolledPairs = new LinkedHashMap<>();
            for (SearchMode mode : MODES) {
                List<Double> pairs = new ArrayList<>();
                List<String> ids = EvaluationGallery.IDENTITIES;
                for (int a = 0; a < ids.size(); a++) {
                    for (int b = a + 1; b < ids.size(); b++) {
                        pairs.add(distance(g, enrolledViews(g, ids.get(a)), ids.get(b), mode));
                    }
                }
                enrolledPairs.put(mode, pairs);
            }
            Report report = new Report(probes, outcomes, enrolledPairs);
            System.out.println(report.markdown());
            Files.createDirectories(jsonOut.toAbsolutePath().getParent());
            Files.writeString(jsonOut, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(report.json()));
            System.out.printf(Locale.ROOT, "%nJSON: %s (%.0f s in all)%n", jsonOut, (System.nanoTime() - started) / 1e9);
        }
    }

    static List<Probe> probes(EvaluationGallery g) {
        List<Probe> probes = new ArrayList<>();
        EvaluationGallery.ALTERNATE_CROPS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                probes.add(new Probe("alternate crop (real)", false, e.getValue(), Crops.bytes(e.getKey()))));
        for (int family = 0; ; family++) {
            boolean added = false;
            for (int i = 0; i < EvaluationGallery.IDENTITIES.size(); i++) {
                String identity = EvaluationGallery.IDENTITIES.get(i);
                List<SyntheticVariants.Variant> variants = SyntheticVariants.families(SEED + i);
                if (family >= variants.size()) {
                    break;
                }
                SyntheticVariants.Variant v = variants.get(family);
                probes.add(new Probe(v.name(), true, identity, v.bytes(g.images.get(identity))));
                added = true;
            }
            if (!added) {
                return probes;
            }
        }
    }

    static Outcome run(EvaluationGallery g, Probe probe, SearchMode mode) {
        EvaluationGallery.Ranked ranked = g.search(probe.bytes(), mode);
        float[][] views = EmbeddedSearchBackend.views(ImageDecoder.decode(probe.bytes()));
        double genuine = Double.NaN;
        double nearestImpostor = Double.MAX_VALUE;
        List<Double> impostors = new ArrayList<>();
        for (String identity : EvaluationGallery.IDENTITIES) {
            double d = distance(g, views, identity, mode);
            if (identity.equals(probe.identity())) {
                genuine = d;
            } else {
                impostors.add(d);
                nearestImpostor = Math.min(nearestImpostor, d);
            }
        }
        int rank = ranked.rankOf(probe.identity());
        double top = ranked.scores().isEmpty() ? 0 : ranked.scores().get(0);
        return new Outcome(probe, mode, rank, top, genuine, nearestImpostor, impostors, ranked.nanos());
    }

    /** The distance the search in {@code mode} scores: FAST plain descriptors, ACCURATE {@code accurateDistance}. */
    static double distance(EvaluationGallery g, float[][] views, String identity, SearchMode mode) {
        float[] plain = g.enrolled(identity, SearchMode.FAST);
        return mode == SearchMode.FAST ? Gallery.distance(views[0], plain)
                : EmbeddedSearchBackend.accurateDistance(views[0], views[1], plain, g.enrolled(identity, SearchMode.ACCURATE));
    }

    /** The two views of an enrolled crop, recovered from what the gallery stores. */
    static float[][] enrolledViews(EvaluationGallery g, String identity) {
        float[] plain = g.enrolled(identity, SearchMode.FAST);
        float[] averaged = g.enrolled(identity, SearchMode.ACCURATE);
        float[] mirror = new float[plain.length];
        for (int i = 0; i < mirror.length; i++) {
            mirror[i] = 2 * averaged[i] - plain[i];
        }
        return new float[][] {plain, mirror};
    }

    /** Order statistics of a sample; percentiles by linear interpolation between order statistics. */
    record Distribution(int n, double min, double p5, double p25, double median, double p75, double p95, double max,
                        double atOrBelowThreshold) {
        static Distribution of(List<Double> values) {
            double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            long below = Arrays.stream(v).filter(d -> d <= THRESHOLD).count();
            return new Distribution(v.length, v[0], pct(v, 5), pct(v, 25), pct(v, 50), pct(v, 75), pct(v, 95),
                    v[v.length - 1], (double) below / v.length);
        }

        private static double pct(double[] sorted, double p) {
            double pos = p / 100 * (sorted.length - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(sorted.length - 1, lo + 1);
            return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
        }
    }

    /**
     * The threshold where the share of same-person distances above it (false rejects) equals the share of
     * different-person distances at or below it (false accepts), found by sweeping every observed distance.
     */
    record EqualError(double threshold, double rate, double falseRejectAt06, double falseAcceptAt06) {
        static EqualError of(List<Double> genuine, List<Double> impostor) {
            double[] g = genuine.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double[] im = impostor.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double[] candidates = new double[g.length + im.length];
            System.arraycopy(g, 0, candidates, 0, g.length);
            System.arraycopy(im, 0, candidates, g.length, im.length);
            Arrays.sort(candidates);
            double bestGap = Double.MAX_VALUE;
            double bestT = Double.NaN;
            double bestRate = Double.NaN;
            for (int i = 0; i < candidates.length; i++) {
                // midpoints between neighbouring distances, so the threshold does not sit on a sample
                double t = i + 1 < candidates.length ? (candidates[i] + candidates[i + 1]) / 2 : candidates[i];
                double frr = above(g, t);
                double far = 1 - above(im, t);
                if (Math.abs(frr - far) < bestGap) {
                    bestGap = Math.abs(frr - far);
                    bestT = t;
                    bestRate = (frr + far) / 2;
                }
            }
            return new EqualError(bestT, bestRate, above(g, THRESHOLD), 1 - above(im, THRESHOLD));
        }

        private static double above(double[] sorted, double t) {
            int idx = Arrays.binarySearch(sorted, t);
            int atOrBelow = idx >= 0 ? upper(sorted, idx) : -idx - 1;
            return (double) (sorted.length - atOrBelow) / sorted.length;
        }

        private static int upper(double[] sorted, int idx) {
            int i = idx;
            while (i < sorted.length && sorted[i] == sorted[idx]) {
                i++;
            }
            return i;
        }
    }

    static final class Report {
        private final List<Outcome> outcomes;
        private final Map<SearchMode, List<Double>> enrolledPairs;
        private final List<String> families = new ArrayList<>();

        Report(List<Probe> probes, List<Outcome> outcomes, Map<SearchMode, List<Double>> enrolledPairs) {
            this.outcomes = outcomes;
            this.enrolledPairs = enrolledPairs;
            probes.forEach(p -> {
                if (!families.contains(p.family())) {
                    families.add(p.family());
                }
            });
        }

        private List<Outcome> select(SearchMode mode, java.util.function.Predicate<Probe> which) {
            return outcomes.stream().filter(o -> o.mode() == mode && which.test(o.probe())).toList();
        }

        private static double share(List<Outcome> os, java.util.function.Predicate<Outcome> p) {
            return (double) os.stream().filter(p).count() / os.size();
        }

        private static double meanMargin(List<Outcome> os) {
            return os.stream().mapToDouble(o -> o.nearestImpostor() - o.genuine()).average().orElse(Double.NaN);
        }

        private static double median(List<Outcome> os, java.util.function.ToDoubleFunction<Outcome> f) {
            return Distribution.of(os.stream().map(f::applyAsDouble).toList()).median();
        }

        private static double meanMs(List<Outcome> os) {
            return os.stream().mapToLong(Outcome::nanos).average().orElse(0) / 1e6;
        }

        private String label(String family) {
            return family.contains("(real)") ? family : "SYNTHETIC " + family;
        }

        private List<Map.Entry<String, java.util.function.Predicate<Probe>>> rows() {
            List<Map.Entry<String, java.util.function.Predicate<Probe>>> rows = new ArrayList<>();
            for (String family : families) {
                rows.add(Map.entry(label(family), p -> p.family().equals(family)));
            }
            rows.add(Map.entry("all SYNTHETIC", Probe::synthetic));
            // ACCURATE is mirror-invariant by construction, so the mirrored families flatter it; this row leaves them out
            rows.add(Map.entry("all SYNTHETIC except mirrored (flip, combo-a)",
                    p -> p.synthetic() && !MIRRORED.contains(p.family())));
            rows.add(Map.entry("all probes", p -> true));
            return rows;
        }

        String markdown() {
            StringBuilder out = new StringBuilder();
            out.append("### Rank-1 identification, 22 enrolled identities (one crop each)\n\n");
            out.append("Same-person probes are SYNTHETIC variants of the enrolled crop, except the 3 alternate crops. ")
                    .append("\"rank-1 & >= 0.7\": the right person first with score >= 0.7 (distance <= 0.6). ")
                    .append("Margin: nearest other person's distance minus the right person's (larger is better).\n\n");
            out.append("| probes | n | FAST rank-1 | ACCURATE rank-1 | FAST rank-1 & >= 0.7 | ACCURATE rank-1 & >= 0.7 "
                    + "| FAST median d | ACCURATE median d | FAST mean margin | ACCURATE mean margin |\n");
            out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (var row : rows()) {
                List<Outcome> fast = select(SearchMode.FAST, row.getValue());
                List<Outcome> acc = select(SearchMode.ACCURATE, row.getValue());
                out.append(String.format(Locale.ROOT,
                        "| %s | %d | %s | %s | %s | %s | %.3f | %.3f | %.3f | %.3f |%n", row.getKey(), fast.size(),
                        rate(fast, Outcome::rank1), rate(acc, Outcome::rank1), rate(fast, Outcome::acceptedAtRank1),
                        rate(acc, Outcome::acceptedAtRank1), median(fast, Outcome::genuine),
                        median(acc, Outcome::genuine), meanMargin(fast), meanMargin(acc)));
            }
            List<Outcome> allFast = select(SearchMode.FAST, p -> true);
            List<Outcome> allAcc = select(SearchMode.ACCURATE, p -> true);
            out.append(String.format(Locale.ROOT, "%nMean search time per probe (one image, 22 enrolled): FAST %.1f ms, "
                    + "ACCURATE %.1f ms (%.1fx).%n", meanMs(allFast), meanMs(allAcc), meanMs(allAcc) / meanMs(allFast)));

            out.append("\n### Distance distributions (Euclidean, score = 1 - d/2)\n\n");
            out.append("FAST: plain descriptors. ACCURATE: EmbeddedSearchBackend.accurateDistance (image and mirror image "
                    + "compared pairwise). Last column: share of pairs at distance <= 0.6, i.e. score >= 0.7.\n\n");
            out.append("| pairs | mode | n | min | p5 | p25 | median | p75 | p95 | max | d <= 0.6 |\n");
            out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (SearchMode mode : MODES) {
                distRow(out, "same person, alternate crops (real)", mode,
                        select(mode, p -> !p.synthetic()).stream().map(Outcome::genuine).toList());
                distRow(out, "same person, SYNTHETIC variants", mode,
                        select(mode, Probe::synthetic).stream().map(Outcome::genuine).toList());
                distRow(out, "different persons, enrolled crop vs enrolled crop (real)", mode, enrolledPairs.get(mode));
                distRow(out, "different persons, probe vs other enrolled persons", mode, impostors(mode));
            }

            out.append("\n### Equal error rate (all probes vs own / other enrolled persons)\n\n");
            out.append("| mode | EER threshold d | as score | EER | false rejects at d 0.6 | false accepts at d 0.6 |\n");
            out.append("|---|---:|---:|---:|---:|---:|\n");
            for (SearchMode mode : MODES) {
                EqualError e = eer(mode);
                out.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.1f%% | %.1f%% | %.2f%% |%n", mode,
                        e.threshold(), Scores.fromDistance(e.threshold()), 100 * e.rate(), 100 * e.falseRejectAt06(),
                        100 * e.falseAcceptAt06()));
            }

            out.append("\n### What a min_score keeps (all probes; same person vs probe against other enrolled persons)\n\n");
            out.append("| min_score | max distance | FAST same person kept | FAST different persons kept "
                    + "| ACCURATE same person kept | ACCURATE different persons kept |\n");
            out.append("|---:|---:|---:|---:|---:|---:|\n");
            for (double minScore : MIN_SCORES) {
                double maxD = Scores.maxDistanceFor(minScore);
                out.append(String.format(Locale.ROOT, "| %.2f | %.2f |", minScore, maxD));
                for (SearchMode mode : MODES) {
                    out.append(String.format(Locale.ROOT, " %.1f%% | %.1f%% |",
                            100 * kept(select(mode, p -> true).stream().map(Outcome::genuine).toList(), maxD),
                            100 * kept(impostors(mode), maxD)));
                }
                out.append('\n');
            }
            return out.toString();
        }

        private static final double[] MIN_SCORES = {0.5, 0.7, 0.75, 0.77, 0.8, 0.85, 0.9};

        private static double kept(List<Double> distances, double maxDistance) {
            return (double) distances.stream().filter(d -> d <= maxDistance + 1e-12).count() / distances.size();
        }

        private List<Double> impostors(SearchMode mode) {
            return select(mode, p -> true).stream().flatMap(o -> o.impostors().stream()).toList();
        }

        private EqualError eer(SearchMode mode) {
            return EqualError.of(select(mode, p -> true).stream().map(Outcome::genuine).toList(), impostors(mode));
        }

        private static String rate(List<Outcome> os, java.util.function.Predicate<Outcome> p) {
            long hits = os.stream().filter(p).count();
            return String.format(Locale.ROOT, "%d/%d (%.1f%%)", hits, os.size(), 100.0 * hits / os.size());
        }

        private static void distRow(StringBuilder out, String label, SearchMode mode, List<Double> values) {
            Distribution d = Distribution.of(values);
            out.append(String.format(Locale.ROOT, "| %s | %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.1f%% |%n",
                    label, mode, d.n(), d.min(), d.p5(), d.p25(), d.median(), d.p75(), d.p95(), d.max(),
                    100 * d.atOrBelowThreshold()));
        }

        ObjectNode json() {
            ObjectMapper m = new ObjectMapper();
            ObjectNode root = m.createObjectNode();
            root.put("identities", EvaluationGallery.IDENTITIES.size());
            root.put("note", "same-person probes are SYNTHETIC variants except the 3 alternate crops (real)");
            root.put("threshold_distance", THRESHOLD);
            root.put("threshold_score", Scores.fromDistance(THRESHOLD));
            ObjectNode described = root.putObject("synthetic_families");
            SyntheticVariants.families(SEED).forEach(v -> described.put(v.name(), v.description()));
            ArrayNode rank1 = root.putArray("rank1");
            for (var row : rows()) {
                ObjectNode r = rank1.addObject().put("probes", row.getKey());
                for (SearchMode mode : MODES) {
                    List<Outcome> os = select(mode, row.getValue());
                    r.put("n", os.size());
                    r.putObject(mode.name()).put("rank1", share(os, Outcome::rank1))
                            .put("rank1_accepted_at_0_7", share(os, Outcome::acceptedAtRank1))
                            .put("median_genuine_distance", median(os, Outcome::genuine))
                            .put("mean_margin", meanMargin(os)).put("mean_ms", meanMs(os));
                }
            }
            ObjectNode dists = root.putObject("distributions");
            for (SearchMode mode : MODES) {
                ObjectNode d = dists.putObject(mode.name());
                d.set("same_person_alternate_crops_real", m.valueToTree(Distribution.of(
                        select(mode, p -> !p.synthetic()).stream().map(Outcome::genuine).toList())));
                d.set("same_person_synthetic", m.valueToTree(Distribution.of(
                        select(mode, Probe::synthetic).stream().map(Outcome::genuine).toList())));
                d.set("different_persons_enrolled_pairs", m.valueToTree(Distribution.of(enrolledPairs.get(mode))));
                d.set("different_persons_probe_vs_others", m.valueToTree(Distribution.of(impostors(mode))));
                d.set("equal_error", m.valueToTree(eer(mode)));
            }
            ArrayNode minScores = root.putArray("min_score_kept");
            for (double minScore : MIN_SCORES) {
                ObjectNode r = minScores.addObject().put("min_score", minScore)
                        .put("max_distance", Scores.maxDistanceFor(minScore));
                for (SearchMode mode : MODES) {
                    r.putObject(mode.name())
                            .put("same_person", kept(select(mode, p -> true).stream().map(Outcome::genuine).toList(),
                                    Scores.maxDistanceFor(minScore)))
                            .put("different_persons", kept(impostors(mode), Scores.maxDistanceFor(minScore)));
                }
            }
            ArrayNode rows = root.putArray("probes");
            for (Outcome o : outcomes) {
                rows.addObject().put("family", o.probe().family()).put("synthetic", o.probe().synthetic())
                        .put("identity", o.probe().identity()).put("mode", o.mode().name()).put("rank", o.rank())
                        .put("top_score", o.topScore()).put("genuine_distance", o.genuine())
                        .put("nearest_impostor_distance", o.nearestImpostor()).put("ms", o.nanos() / 1e6);
            }
            return root;
        }
    }
}

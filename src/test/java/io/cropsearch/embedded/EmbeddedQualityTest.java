package io.cropsearch.embedded;

import io.cropsearch.engine.codec.ImageDecoder;
import io.cropsearch.engine.codec.Rgb;

import io.cropsearch.model.SearchMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A floor under the embedded backend's real behaviour, measured through the real enrolment and search code on the 22
 * fixture identities (tools/evaluation/run.sh gives the full picture). Same-person variants here are SYNTHETIC
 * (flip, brightness) except the 3 alternate crops.
 */
class EmbeddedQualityTest {
    private static final double SAME_PERSON = 0.6;
    private static EvaluationGallery g;

    @BeforeAll
    static void enrol() {
        g = EvaluationGallery.enrolAll();
    }

    @AfterAll
    static void cleanUp() {
        g.close();
    }

    @Test
    void everyRealAlternateCropFindsItsPersonFirstInBothModes() {
        for (Map.Entry<String, String> pair : EvaluationGallery.ALTERNATE_CROPS.entrySet()) {
            for (SearchMode mode : SearchMode.values()) {
                EvaluationGallery.Ranked ranked = g.search(Crops.bytes(pair.getKey()), mode);
                assertEquals(pair.getValue(), ranked.top().orElse("nothing"), mode + " " + pair.getKey() + ": " + ranked);
                assertTrue(ranked.scores().get(0) >= Scores.fromDistance(SAME_PERSON),
                        mode + " " + pair.getKey() + " scored " + ranked.scores().get(0));
            }
        }
    }

    @Test
    void syntheticFlipsStaySamePersonAndAccurateIgnoresThem() {
        long fastHits = EvaluationGallery.IDENTITIES.parallelStream().filter(identity -> {
            byte[] flipped = SyntheticVariants.png(g.images.get(identity).mirrored());
            EvaluationGallery.Ranked fast = g.search(flipped, SearchMode.FAST);
            assertTrue(distanceTo(fast, identity) < SAME_PERSON, identity + " flipped, FAST " + fast);
            EvaluationGallery.Ranked accurate = g.search(flipped, SearchMode.ACCURATE);
            assertEquals(identity, accurate.top().orElse("nothing"), "ACCURATE " + accurate);
            // both orientations are compared, so a flip costs nothing; 1e-3 only allows for the 4-decimal score
            assertTrue(distanceTo(accurate, identity) < 1e-3, identity + " flipped, ACCURATE " + accurate);
            return fast.top().orElse("").equals(identity);
        }).count();
        // measured 20 of 22; all of it is deterministic, so a drop means the descriptors or the search changed
        assertTrue(fastHits >= 20, "FAST rank-1 on flips: " + fastHits + "/22");
    }

    @Test
    void syntheticBrightnessChangesStaySamePersonAndRankFirst() {
        EvaluationGallery.IDENTITIES.parallelStream().forEach(identity -> {
            for (double factor : new double[] {0.7, 1.3}) {
                byte[] probe = SyntheticVariants.png(SyntheticVariants.brightness(g.images.get(identity), factor));
                for (SearchMode mode : SearchMode.values()) {
                    EvaluationGallery.Ranked ranked = g.search(probe, mode);
                    assertEquals(identity, ranked.top().orElse("nothing"), identity + " x" + factor + " " + mode);
                    assertTrue(distanceTo(ranked, identity) < SAME_PERSON, identity + " x" + factor + " " + ranked);
                }
            }
        });
    }

    /** The distance behind the score a search gave {@code identity} (score = 1 - d/2). */
    private static double distanceTo(EvaluationGallery.Ranked ranked, String identity) {
        int rank = ranked.rankOf(identity);
        assertTrue(rank > 0, identity + " missing from " + ranked);
        return 2 * (1 - ranked.scores().get(rank - 1));
    }

    @Test
    void accurateScoresTheDistanceItRanksBy() {
        String identity = "sample3-face2";
        byte[] probe = SyntheticVariants.png(SyntheticVariants.gaussianBlur(g.images.get(identity), 1.5));
        float[][] views = EmbeddedSearchBackend.views(ImageDecoder.decode(probe));
        EvaluationGallery.Ranked ranked = g.search(probe, SearchMode.ACCURATE);
        for (int i = 0; i < ranked.names().size(); i++) {
            double d = EvaluationHarness.distance(g, views, ranked.names().get(i), SearchMode.ACCURATE);
            assertEquals(Scores.fromDistance(d), ranked.scores().get(i), 1e-4, ranked.names().get(i));
        }
    }

    @Test
    void severalQueryImagesOfOnePersonFindThemInBothModes() {
        EvaluationGallery.Ranked fast = g.search(List.of(Crops.bytes("sample1-face3-tall-odd"),
                SyntheticVariants.png(SyntheticVariants.brightness(g.images.get("sample1-face3"), 0.7))), SearchMode.FAST);
        EvaluationGallery.Ranked accurate = g.search(List.of(Crops.bytes("sample1-face3-tall-odd"),
                SyntheticVariants.png(g.images.get("sample1-face3").mirrored())), SearchMode.ACCURATE);
        assertEquals("sample1-face3", fast.top().orElse("nothing"), fast.toString());
        assertEquals("sample1-face3", accurate.top().orElse("nothing"), accurate.toString());
    }

    @Test
    void differentPeopleAreFartherApartThanTheRealAlternateCropsOfOnePerson() {
        List<Double> different = new ArrayList<>();
        List<String> ids = EvaluationGallery.IDENTITIES;
        for (int a = 0; a < ids.size(); a++) {
            for (int b = a + 1; b < ids.size(); b++) {
                different.add(EvaluationHarness.distance(g, EvaluationHarness.enrolledViews(g, ids.get(a)), ids.get(b),
                        SearchMode.FAST));
            }
        }
        double closestStrangers = different.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        for (Map.Entry<String, String> pair : EvaluationGallery.ALTERNATE_CROPS.entrySet()) {
            Rgb alternate = ImageDecoder.decode(Crops.bytes(pair.getKey()));
            double same = EvaluationHarness.distance(g, EmbeddedSearchBackend.views(alternate), pair.getValue(),
                    SearchMode.FAST);
            assertTrue(same < closestStrangers, pair.getKey() + " at " + same + ", closest strangers at " + closestStrangers);
        }
    }
}

package io.cropsearch.embedded;

import io.cropsearch.engine.ImageDecoder;
import io.cropsearch.engine.Rgb;
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
        int fastHits = 0;
        for (String identity : EvaluationGallery.IDENTITIES) {
            byte[] flipped = SyntheticVariants.png(g.images.get(identity).mirrored());
            float[][] views = EmbeddedSearchBackend.views(ImageDecoder.decode(flipped));
            double fast = EvaluationHarness.distance(g, views, identity, SearchMode.FAST);
            assertTrue(fast < SAME_PERSON, identity + " flipped, FAST distance " + fast);
            double accurate = EvaluationHarness.distance(g, views, identity, SearchMode.ACCURATE);
            assertTrue(accurate < 1e-3, "ACCURATE compares both orientations: " + identity + " at " + accurate);
            assertEquals(identity, g.search(flipped, SearchMode.ACCURATE).top().orElse("nothing"));
            fastHits += g.search(flipped, SearchMode.FAST).top().orElse("").equals(identity) ? 1 : 0;
        }
        // measured 20 of 22; a drop means the descriptors or the search changed, not noise (all of it is deterministic)
        assertTrue(fastHits >= 20, "FAST rank-1 on flips: " + fastHits + "/22");
    }

    @Test
    void syntheticBrightnessChangesStaySamePersonAndRankFirst() {
        for (String identity : EvaluationGallery.IDENTITIES) {
            for (double factor : new double[] {0.7, 1.3}) {
                byte[] probe = SyntheticVariants.png(SyntheticVariants.brightness(g.images.get(identity), factor));
                float[][] views = EmbeddedSearchBackend.views(ImageDecoder.decode(probe));
                for (SearchMode mode : SearchMode.values()) {
                    double d = EvaluationHarness.distance(g, views, identity, mode);
                    assertTrue(d < SAME_PERSON, identity + " x" + factor + " " + mode + " distance " + d);
                    assertEquals(identity, g.search(probe, mode).top().orElse("nothing"), identity + " x" + factor + " " + mode);
                }
            }
        }
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

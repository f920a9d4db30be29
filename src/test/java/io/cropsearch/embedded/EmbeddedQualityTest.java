package io.cropsearch.embedded;

import io.cropsearch.engine.face.FacePipeline;
import io.cropsearch.errors.ErrorCode;
import io.cropsearch.model.SearchMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Floors under the embedded engine's decisions on real photos of real people (the evaluation set of
 * tools/evaluation/run.sh, docs/EMBEDDED.md), through the real enrolment and search code. The numbers are
 * deterministic: a drop means the pipeline changed, not noise.
 */
class EmbeddedQualityTest {
    private static List<RealPhotos.Photo> photos;
    private static EvaluationGallery g;
    private static final Map<SearchMode, Map<String, float[]>> DESCRIPTORS = new EnumMap<>(SearchMode.class);

    @BeforeAll
    static void enrol() {
        photos = RealPhotos.crops();
        g = EvaluationHarness.enrolFirstPhotos(photos);
        DESCRIPTORS.put(SearchMode.FAST, EvaluationHarness.pipeline(photos, FacePipeline.Mode.FAST));
        DESCRIPTORS.put(SearchMode.ACCURATE, EvaluationHarness.pipeline(photos, FacePipeline.Mode.ACCURATE));
    }

    @AfterAll
    static void cleanUp() {
        g.close();
    }

    @Test
    void everyRealPhotoHasItsFaceFound() {
        assertTrue(photos.size() >= 36, "eight people, up to five photos each: " + photos.size());
        assertEquals(8, photos.stream().filter(p -> p.index() == 1).count(), "photo 1 of each person to enrol");
        for (SearchMode mode : SearchMode.values()) {
            assertEquals(photos.size(), DESCRIPTORS.get(mode).size(), mode + ": faces found");
        }
    }

    @Test
    void minScoreSevenKeepsTrueMatchesAndDropsStrangersInBothModes() {
        for (SearchMode mode : SearchMode.values()) {
            Separation s = EvaluationHarness.allPairs(DESCRIPTORS.get(mode));
            assertEquals(photos.size() * (photos.size() - 1) / 2, s.same().size() + s.different().size());
            assertTrue(s.tar(0.7) >= 0.97, mode + " true accepts at 0.7: " + s.trueAccepts(0.7) + "/" + s.same().size());
            assertTrue(s.far(0.7) <= 0.005, mode + " false accepts at 0.7: " + s.falseAccepts(0.7) + "/"
                    + s.different().size());
        }
    }

    @Test
    void searchesRankTheRightPersonFirstAndShowNoStrangerAtSeven() {
        for (SearchMode mode : SearchMode.values()) {
            EvaluationHarness.Protocol p = EvaluationHarness.protocol(g, photos, mode);
            assertEquals(photos.size() - 8, p.searches());
            assertTrue(p.rank1() >= p.searches() - 1, mode + " rank-1: " + p.rank1() + "/" + p.searches());
            assertTrue(p.trueAccepts() >= p.searches() - 1, mode + " true matches at 0.7: " + p.trueAccepts() + "/"
                    + p.searches());
            assertTrue(p.searchesWithAStranger() <= 1, mode + " searches with a stranger at 0.7: "
                    + p.searchesWithAStranger() + "/" + p.searches());
        }
    }

    /** ACCURATE's rotation-corrected chip keeps more true matches at a stricter threshold, and no more strangers. */
    @Test
    void accurateSeparatesPeopleBetterThanFast() {
        Separation fast = EvaluationHarness.allPairs(DESCRIPTORS.get(SearchMode.FAST));
        Separation accurate = EvaluationHarness.allPairs(DESCRIPTORS.get(SearchMode.ACCURATE));
        assertTrue(accurate.tar(0.75) > fast.tar(0.75) + 0.05,
                "true accepts at 0.75: ACCURATE " + accurate.tar(0.75) + ", FAST " + fast.tar(0.75));
        assertTrue(accurate.far(0.7) <= fast.far(0.7),
                "false accepts at 0.7: ACCURATE " + accurate.far(0.7) + ", FAST " + fast.far(0.7));
        assertTrue(accurate.equalErrorRate() <= fast.equalErrorRate(),
                "EER ACCURATE " + accurate.equalErrorRate() + " vs FAST " + fast.equalErrorRate());
    }

    @Test
    void theNewPipelineSeparatesPeopleBetterThanDescribingTheCropAsSent() {
        Separation old = EvaluationHarness.allPairs(EvaluationHarness.asSent(photos));
        Separation fast = EvaluationHarness.allPairs(DESCRIPTORS.get(SearchMode.FAST));
        assertTrue(fast.far(0.7) < old.far(0.7), "FAR at 0.7: new " + fast.far(0.7) + ", old " + old.far(0.7));
        assertTrue(fast.equalErrorRate() < old.equalErrorRate(),
                "EER: new " + fast.equalErrorRate() + ", old " + old.equalErrorRate());
    }

    @Test
    void imagesWithoutAFaceAreNeitherEnrolledNorSearched() {
        List<EvaluationHarness.NoFaceOutcome> outcomes = EvaluationHarness.noFace(g);
        assertTrue(outcomes.size() >= 10, "no-face probes: " + outcomes.size());
        for (EvaluationHarness.NoFaceOutcome o : outcomes) {
            assertEquals(0, o.faces(), o.file());
            assertEquals("409 " + ErrorCode.NO_FACE, o.enrolment(), o.file());
            assertEquals("409 " + ErrorCode.NO_FACE, o.search(), o.file());
        }
        assertEquals(8, g.gallery.page(1, 100, java.util.Optional.empty()).total(), "nothing enrolled but the 8 persons");
    }
}

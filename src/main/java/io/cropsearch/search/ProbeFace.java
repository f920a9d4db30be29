package io.cropsearch.search;

/**
 * The face the embedded engine found and searched with in one query image: which image, the detector's score and
 * the box in that image's pixels (left/top inclusive, right/bottom exclusive). Records keep it so that a match can be
 * traced to the face that made it.
 */
public record ProbeFace(int image, double detectionScore, int left, int top, int right, int bottom) {
}

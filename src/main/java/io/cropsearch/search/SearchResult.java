package io.cropsearch.search;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;

/**
 * A successful search: the upstream's body exactly as received (unknown fields kept), how many upstream attempts it
 * took and how long the search ran.
 */
public record SearchResult(ObjectNode body, int attempts, Duration elapsed) {
}

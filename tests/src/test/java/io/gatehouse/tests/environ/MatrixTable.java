package io.gatehouse.tests.environ;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The matrix's outcome, pairs by requests, printed to the test log once every pair has run: a mark per cell and,
 * per pair, the differences that applied to it, each explained once below the table.
 */
final class MatrixTable {
    /** A cell equal to the canonical environ. */
    static final String SAME = "ok";
    /** A cell equal to the canonical environ once the pair's listed differences are applied. */
    static final String DIFFERS = "ok*";
    /** A cell the pair cannot have (HTTPS without TLS). */
    static final String NONE = "-";
    /** A cell that failed. */
    static final String FAILED = "FAIL";

    private final Map<String, Map<MatrixRequest, String>> marks = new LinkedHashMap<>();
    private final Map<String, Set<EnvironDifference>> differences = new LinkedHashMap<>();
    private final Map<String, List<String>> failures = new LinkedHashMap<>();

    /** Records {@code mark} for the cell, with the differences that shaped its expectation. */
    synchronized void mark(MatrixPair pair, MatrixRequest request, String mark, Set<EnvironDifference> applied) {
        marks.computeIfAbsent(pair.name(), p -> new LinkedHashMap<>()).put(request, mark);
        differences.computeIfAbsent(pair.name(), p -> EnumSet.noneOf(EnvironDifference.class)).addAll(applied);
    }

    /** Records a failure of the pair outside any one cell (e.g. a validator complaint in its log). */
    synchronized void fail(MatrixPair pair, String what) {
        failures.computeIfAbsent(pair.name(), p -> new ArrayList<>()).add(what);
        marks.computeIfAbsent(pair.name(), p -> new LinkedHashMap<>());
    }

    /** The table, then the differences named in it, then the failures outside cells. */
    synchronized String render() {
        int nameWidth = Math.max(4, marks.keySet().stream().mapToInt(String::length).max().orElse(4));
        StringBuilder out = new StringBuilder("\nThe environ matrix: front and protocol pairs by requests (")
                .append(SAME).append(": the canonical environ; ").append(DIFFERS)
                .append(": the canonical environ with the pair's listed differences; a status: answered by the "
                        + "front server itself, as listed; ").append(NONE).append(": no such cell)\n\n");
        out.append(pad("pair", nameWidth));
        for (MatrixRequest r : MatrixRequest.values()) {
            out.append(" | ").append(pad(r.label(), width(r)));
        }
        out.append(" | differences\n");
        out.append("-".repeat(nameWidth));
        for (MatrixRequest r : MatrixRequest.values()) {
            out.append("-+-").append("-".repeat(width(r)));
        }
        out.append("-+-").append("-".repeat(11)).append('\n');
        Set<EnvironDifference> named = new TreeSet<>();
        marks.forEach((pair, row) -> {
            out.append(pad(pair, nameWidth));
            for (MatrixRequest r : MatrixRequest.values()) {
                out.append(" | ").append(pad(row.getOrDefault(r, "?"), width(r)));
            }
            Set<EnvironDifference> applied = differences.getOrDefault(pair, Set.of());
            named.addAll(applied);
            out.append(" | ").append(String.join(" ", applied.stream().map(EnvironDifference::code).toList()))
                    .append('\n');
        });
        if (!named.isEmpty()) {
            out.append("\nDifferences (see docs/environ.md):\n");
            for (EnvironDifference d : named) {
                out.append("  ").append(d.code()).append("  ").append(d.reason()).append('\n');
            }
        }
        failures.forEach((pair, list) -> list.forEach(f -> out.append("\n").append(pair).append(": ").append(f)));
        return out.append('\n').toString();
    }

    private static int width(MatrixRequest r) {
        return Math.max(r.label().length(), 4);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}

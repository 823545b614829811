package io.gatehouse.config;

import java.util.Collection;
import java.util.Locale;

/**
 * Finds what an unknown key was probably meant to be: its Gatehouse name when it is a uWSGI option, else the closest
 * known key by edit distance.
 */
public final class KeySuggestion {

    private KeySuggestion() {
    }

    /**
     * {@code " (uWSGI's 'processes' is 'workers' here)"} or {@code " (did you mean 'threads'?)"} for a key unknown in
     * the mapping at {@code path} (such as {@code apps[2]}), or an empty string.
     */
    static String forUnknownKey(String unknown, Collection<String> known, String path) {
        String section = path.replaceAll("\\[\\d+]", "[]");
        if (known.contains(unknown.toLowerCase(Locale.ROOT).replace('_', '-'))) {
            return didYouMean(unknown, known); // max_requests is this mapping's max-requests, misspelt
        }
        return UwsgiGlossary.find(unknown)
                .map(e -> e.section().equals(section) && e.key().equals(unknown)
                        // A uWSGI name that is this section's key too (home in a static app) is another runtime's.
                        ? (e.note().startsWith("of ") ? " ('" + unknown + "' is a key " + e.note() + ")" : "")
                        : " (" + e.explain(unknown, section) + ")")
                .filter(hint -> !hint.isEmpty())
                .orElseGet(() -> didYouMean(unknown, known));
    }

    /** {@code " (did you mean 'protocol'?)"}, or an empty string when no known key is close. */
    public static String didYouMean(String unknown, Collection<String> known) {
        String typed = unknown.toLowerCase(Locale.ROOT);
        // Two edits catch most typos; long keys get a third of their length so that swapped words still match.
        int limit = Math.max(2, typed.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(typed, candidate.toLowerCase(Locale.ROOT));
            if (distance <= limit && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    /** Levenshtein distance with two rows. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}

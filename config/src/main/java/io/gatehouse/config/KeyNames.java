package io.gatehouse.config;

import java.lang.reflect.RecordComponent;
import java.util.Locale;

/** How Java names become YAML keys: {@code maxRequests} is {@code max-requests}, {@code JSON_LINES} is {@code json-lines}. */
final class KeyNames {

    private KeyNames() {
    }

    static String keyOf(RecordComponent component) {
        Key key = component.getAnnotation(Key.class);
        return key != null ? key.value() : kebab(component.getName());
    }

    static String kebab(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                char before = camel.charAt(i - 1);
                boolean wordEnds = i + 1 < camel.length() && Character.isLowerCase(camel.charAt(i + 1));
                // "reloadOnRss" splits before each capital; "httpURLPath" keeps "URL" together.
                if (!Character.isUpperCase(before) || wordEnds) {
                    out.append('-');
                }
            }
            out.append(Character.toLowerCase(c));
        }
        return out.toString();
    }

    static String enumKey(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

package io.gatehouse.config;

/** One value of a parsed YAML document: a mapping, a list or a scalar, each knowing where it was written. */
sealed interface ConfigNode permits MapNode, ListNode, ScalarNode {

    /** Where the value starts in its file. */
    Location location();

    /** The value's kind for messages: "a mapping", "a list", or the quoted scalar text. */
    String describe();
}

package io.gatehouse.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Overrides the YAML key of a record component, which is otherwise the kebab-case form of its name. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Key {

    /** The YAML key, e.g. {@code "wsgi-file"}. */
    String value();
}

package io.gatehouse.tests.frontend;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The rows of {@link FrontServerCase} a {@link FrontServerCases} class runs, each with every {@link AppFlavour}. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface FrontServerRows {
    /** The rows. */
    FrontServerCase[] value();
}

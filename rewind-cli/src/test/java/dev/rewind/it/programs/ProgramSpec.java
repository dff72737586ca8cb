package dev.rewind.it.programs;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Per-program settings read by the differential test harness (dev.rewind.it). Programs without it
 * get the defaults.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ProgramSpec {
    /** Command line arguments passed to main. */
    String[] args() default {};

    /**
     * {@code -Dck.every} in the hot mode. A prime, so that when a scenario has several checkpoint
     * sites the real checkpoints rotate over them instead of always hitting the same one.
     */
    int hotEvery() default 1999;

    /** {@code -Dwork} in the hot mode (scenario repetitions; keep data sizes independent of it). */
    int hotWork() default 2000;

    /**
     * Methods that must have a live C2 (tier 4) nmethod, normal or OSR, when at least one of the hot
     * mode's checkpoints is taken (the hot mode then interrupts at such a checkpoint), as {@code SimpleClassName::method} (nested classes as
     * {@code Outer$Inner::method}; {@code A::x|B::y} accepts either). Checked with
     * {@code -XX:+PrintCompilation} by the hot mode's "compiled" test. A method that C2 only ever
     * inlines into its callers has no nmethod of its own: name the caller then.
     */
    String[] hotMethods() default {};

    /**
     * Modes (ids) in which Rewind is known to refuse this program's checkpoints at capture time: the
     * uninterrupted run must then fail with a CheckpointRefusedException containing
     * {@link #refusal()}, which documents the limit and fails the day it changes.
     */
    String[] refusedIn() default {};

    /** Text the expected refusal message contains. */
    String refusal() default "";

    /** Extra JVM options for every mode (placed before the mode's own flags). */
    String[] jvmArgs() default {};
}

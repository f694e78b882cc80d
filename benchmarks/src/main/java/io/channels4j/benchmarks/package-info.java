/**
 * The in-memory channel layer's JMH benchmark and CPU probe (profile {@code benchmarks}), compared with Python's.
 */
package io.channels4j.benchmarks;

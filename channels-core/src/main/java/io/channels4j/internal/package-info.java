/** Internals shared between Channels4J modules. Not a public API: may change without notice. */
package io.channels4j.internal;

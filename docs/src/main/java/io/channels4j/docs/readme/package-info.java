/**
 * The code samples of the repository's README, compiled and tested here so the README cannot rot.
 */
package io.channels4j.docs.readme;

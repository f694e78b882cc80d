/**
 * The code of the tutorial in {@code docs/tutorial}: the Django Channels chat tutorial, parts 1 to 3, in Java.
 * The Markdown copies these files' tagged regions verbatim; {@code DocsSnippetsTest} keeps them equal.
 */
package io.channels4j.docs.tutorial;

package io.channels4j.undertow;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Django's {@code ALLOWED_HOSTS} check: a request's host (its {@code Host} header, port ignored, trailing
 * dot dropped, case-insensitive) must match one pattern: {@code "*"} (any well-formed host), {@code
 * ".example.com"} (example.com and every subdomain), or an exact name or IP ({@code "[::1]"} for IPv6).
 * A malformed host never matches, as in Django.
 */
record AllowedHosts(List<String> patterns) {

  /** Django's {@code host_validation_re}: a name or bracketed IPv6 literal, then an optional port. */
  private static final Pattern HOST = Pattern.compile("([a-z0-9.-]+|\\[[a-f0-9]*:[a-f0-9.:]+])(:[0-9]+)?");
  private static final Pattern ENTRY = Pattern.compile("\\*|\\.?[a-z0-9.-]+|\\[[a-f0-9]*:[a-f0-9.:]+]");

  /**
   * Validates and normalises the patterns.
   *
   * @throws IllegalArgumentException naming the first bad pattern, or if there is none
   */
  static AllowedHosts of(String... patterns) {
    if (patterns.length == 0) {
      throw new IllegalArgumentException("allowedHosts needs at least one pattern (\"*\" allows any host)");
    }
    String[] normal = new String[patterns.length];
    for (int i = 0; i < patterns.length; i++) {
      String p = patterns[i];
      if (p == null) {
        throw new IllegalArgumentException("allowedHosts pattern " + i + " is null");
      }
      normal[i] = p.toLowerCase(Locale.ROOT);
      if (!ENTRY.matcher(normal[i]).matches()) {
        throw new IllegalArgumentException("allowedHosts pattern must be \"*\", a name, \".domain\" or an IP "
            + "(\"[::1]\" for IPv6), without a port, got '" + p + "'");
      }
    }
    return new AllowedHosts(List.of(normal));
  }

  /** Whether a request carrying this {@code Host} value is allowed; false for null or malformed. */
  boolean allows(String host) {
    if (host == null) {
      return false;
    }
    Matcher m = HOST.matcher(host.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return false;
    }
    String domain = m.group(1);
    if (domain.endsWith(".")) {
      domain = domain.substring(0, domain.length() - 1);
    }
    if (domain.isEmpty()) {
      return false;
    }
    for (String p : patterns) {
      if (p.equals("*") || p.equals(domain)
          || (p.startsWith(".") && (domain.endsWith(p) || domain.equals(p.substring(1))))) {
        return true;
      }
    }
    return false;
  }
}

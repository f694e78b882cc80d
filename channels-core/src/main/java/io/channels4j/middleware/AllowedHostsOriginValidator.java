package io.channels4j.middleware;

import io.channels4j.Application;
import java.util.List;
import java.util.Objects;

/**
 * Builds an {@link OriginValidator} from a list of allowed hosts, as Channels'
 * {@code AllowedHostsOriginValidator} does from Django's {@code ALLOWED_HOSTS}.
 *
 * <pre>{@code
 * Application ws = AllowedHostsOriginValidator.of(router, List.of("chat.example.com", ".example.org"));
 * // during development, with no host list:
 * Application dev = AllowedHostsOriginValidator.of(router, List.of(), true);
 * }</pre>
 *
 * <p>Hosts follow {@code ALLOWED_HOSTS} syntax, which is {@link OriginValidator}'s bare-host syntax: {@code
 * example.com}, {@code .example.com} (domain and subdomains), {@code *} (anything, including a missing
 * {@code Origin}). Channels' {@code settings.DEBUG} becomes the explicit {@code debug} flag: with {@code
 * debug} true and an empty host list, the validator allows {@code localhost}, {@code 127.0.0.1} and {@code
 * [::1]}. An empty list without {@code debug} rejects every handshake, as in Django.
 */
public final class AllowedHostsOriginValidator {

  /** The hosts allowed in debug mode when no host is configured, as in Channels. */
  public static final List<String> DEBUG_HOSTS = List.of("localhost", "127.0.0.1", "[::1]");

  private AllowedHostsOriginValidator() {}

  /**
   * Wraps {@code application}, allowing WebSocket handshakes whose origin host is in {@code allowedHosts}.
   *
   * @param application the application
   * @param allowedHosts the allowed host patterns, as Django's ALLOWED_HOSTS
   * @return the origin validator
   */
  public static OriginValidator of(Application application, List<String> allowedHosts) {
    return of(application, allowedHosts, false);
  }

  /**
   * Wraps {@code application}, allowing WebSocket handshakes whose origin host is in {@code allowedHosts},
   * or, if that list is empty and {@code debug} is true, in {@link #DEBUG_HOSTS}.
   *
   * @param application the application
   * @param allowedHosts the allowed host patterns, as Django's ALLOWED_HOSTS
   * @param debug the debug
   * @return the origin validator
   */
  public static OriginValidator of(Application application, List<String> allowedHosts, boolean debug) {
    Objects.requireNonNull(allowedHosts, "allowedHosts");
    List<String> hosts = debug && allowedHosts.isEmpty() ? DEBUG_HOSTS : allowedHosts;
    return OriginValidator.of(application, hosts);
  }
}

package io.channels4j.undertow;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which peers' proxy headers are believed, and which headers those are: IP addresses, CIDR ranges
 * ({@code 10.0.0.0/8}, {@code fd00::/8}) or {@code *} for every peer (Daphne's {@code --proxy-headers},
 * which trusts anyone who can reach the port: dangerous unless only the proxy can). Immutable.
 *
 * @param ranges the trusted ranges (a single address is a range of its full length)
 * @param all true if every peer is trusted
 * @param addressHeader the header naming the client address (default {@code X-Forwarded-For})
 * @param portHeader the header naming the client port (default {@code X-Forwarded-Port})
 */
record TrustedProxies(List<Range> ranges, boolean all, String addressHeader, String portHeader) {

  static final TrustedProxies NONE = new TrustedProxies(List.of(), false, "X-Forwarded-For", "X-Forwarded-Port");

  private static final Pattern IP = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]+");
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  TrustedProxies {
    ranges = List.copyOf(ranges);
    Objects.requireNonNull(addressHeader, "addressHeader");
    Objects.requireNonNull(portHeader, "portHeader");
  }

  /** One address range: the first {@code prefix} bits of {@code network}. */
  record Range(byte[] network, int prefix) {
    boolean contains(InetAddress address) {
      byte[] a = address.getAddress();
      if (a.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      return rest == 0 || ((a[full] ^ network[full]) & (0xff << (8 - rest))) == 0;
    }

    @Override
    public String toString() {
      try {
        return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
      } catch (UnknownHostException e) {
        return Arrays.toString(network) + "/" + prefix;
      }
    }
  }

  /** True if {@code address} (a peer's) is trusted; false for null. */
  boolean trusts(InetAddress address) {
    if (address == null) {
      return false;
    }
    if (all) {
      return true;
    }
    for (Range r : ranges) {
      if (r.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** These plus {@code entries} (addresses, CIDR ranges or {@code *}). */
  TrustedProxies plus(String... entries) {
    List<Range> more = new ArrayList<>(ranges);
    boolean everyone = all;
    for (String e : entries) {
      Objects.requireNonNull(e, "trusted proxy");
      if (e.trim().equals("*")) {
        everyone = true;
      } else {
        more.add(parse(e.trim()));
      }
    }
    return new TrustedProxies(more, everyone, addressHeader, portHeader);
  }

  /** These, reading the client address and port from the named headers (Daphne's {@code --proxy-headers-host/-port}). */
  TrustedProxies headers(String address, String port) {
    return new TrustedProxies(ranges, all, headerName("address header", address), headerName("port header", port));
  }

  private static String headerName(String what, String name) {
    if (name == null || !TOKEN.matcher(name).matches()) {
      throw new IllegalArgumentException("proxy " + what + " must be an HTTP header name, got '" + name + "'");
    }
    return name;
  }

  /** An address or CIDR range; anything else is an IllegalArgumentException quoting it. */
  static Range parse(String entry) {
    int slash = entry.indexOf('/');
    String host = slash < 0 ? entry : entry.substring(0, slash);
    if (!IP.matcher(host).matches() || (host.indexOf(':') < 0 && host.chars().filter(c -> c == '.').count() != 3)) {
      throw bad(entry, null);
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(host).getAddress();
    } catch (UnknownHostException e) {
      throw bad(entry, e);
    }
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(entry.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw bad(entry, e);
      }
      if (prefix < 0 || prefix > bytes.length * 8) {
        throw bad(entry, null);
      }
    }
    return new Range(bytes, prefix);
  }

  private static IllegalArgumentException bad(String entry, Exception cause) {
    return new IllegalArgumentException("trusted proxy must be an IP address, a CIDR range such as 10.0.0.0/8, "
        + "or '*', got '" + entry + "'", cause);
  }

  @Override
  public String toString() {
    return all ? "*" : ranges.toString();
  }
}

package io.channels4j.layers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How {@link ChannelLayerContract} wants a layer configured: a clock the test moves, message expiry,
 * group expiry, default capacity and per-channel capacity patterns, with Channels' defaults (60 s,
 * 86,400 s, 100, none). Immutable; make one with {@link #defaults()} or {@link #builder()}.
 *
 * <p>An implementation maps these onto its own options in {@link ChannelLayerContract#newLayer}, for
 * example:
 *
 * <pre>{@code
 * InMemoryChannelLayer.Builder b = InMemoryChannelLayer.builder()
 *     .clock(spec.clock()).expiry(spec.expiry()).groupExpiry(spec.groupExpiry()).capacity(spec.capacity());
 * for (LayerSpec.CapacityPattern p : spec.channelCapacities()) {
 *   if (p.isGlob()) b.channelCapacity(p.glob(), p.capacity()); else b.channelCapacity(p.regex(), p.capacity());
 * }
 * }</pre>
 */
public final class LayerSpec {

  /** Channels' default message expiry. */
  public static final Duration DEFAULT_EXPIRY = Duration.ofSeconds(60);
  /** Channels' default group membership expiry. */
  public static final Duration DEFAULT_GROUP_EXPIRY = Duration.ofSeconds(86_400);
  /** Channels' default channel capacity. */
  public static final int DEFAULT_CAPACITY = 100;

  private final MutableClock clock;
  private final Duration expiry;
  private final Duration groupExpiry;
  private final int capacity;
  private final List<CapacityPattern> channelCapacities;

  private LayerSpec(Builder b) {
    this.clock = b.clock == null ? MutableClock.startingNow() : b.clock;
    this.expiry = b.expiry;
    this.groupExpiry = b.groupExpiry;
    this.capacity = b.capacity;
    this.channelCapacities = List.copyOf(b.channelCapacities);
  }

  /** Channels' defaults with a fresh {@link MutableClock}. */
  public static LayerSpec defaults() {
    return builder().build();
  }

  /** A builder starting from Channels' defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this spec's values (and the same clock). */
  public Builder toBuilder() {
    Builder b = new Builder().clock(clock).expiry(expiry).groupExpiry(groupExpiry).capacity(capacity);
    b.channelCapacities.addAll(channelCapacities);
    return b;
  }

  /** The clock the layer must read time from; the test advances it. */
  public MutableClock clock() {
    return clock;
  }

  /** How long an unreceived message lives. */
  public Duration expiry() {
    return expiry;
  }

  /** How long a group membership lives after its last {@code groupAdd}. */
  public Duration groupExpiry() {
    return groupExpiry;
  }

  /** The capacity of channels no pattern matches. */
  public int capacity() {
    return capacity;
  }

  /** Capacity patterns, matched in order against the full channel name; the first match wins. */
  public List<CapacityPattern> channelCapacities() {
    return channelCapacities;
  }

  @Override
  public String toString() {
    return "LayerSpec[expiry=" + expiry + ", groupExpiry=" + groupExpiry + ", capacity=" + capacity
        + ", channelCapacities=" + channelCapacities + ", clock=" + clock + "]";
  }

  /**
   * One {@code channel_capacity} entry: a glob (Python's {@code fnmatch}, matching the whole name) or a
   * regex (Python's {@code re.match}, anchored at the start only), and the capacity for names it matches.
   *
   * @param glob the glob, or null for a regex entry
   * @param regex the regex, or null for a glob entry
   * @param capacity the capacity, at least 1
   */
  public record CapacityPattern(String glob, Pattern regex, int capacity) {

    /** Checks that exactly one of glob and regex is given and that the capacity is positive. */
    public CapacityPattern {
      if ((glob == null) == (regex == null)) {
        throw new IllegalArgumentException("give exactly one of glob and regex, got glob=" + glob + ", regex=" + regex);
      }
      if (capacity < 1) {
        throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
      }
    }

    /** True for a glob entry, false for a regex entry. */
    public boolean isGlob() {
      return glob != null;
    }
  }

  /** Builds a {@link LayerSpec}. */
  public static final class Builder {
    private MutableClock clock;
    private Duration expiry = DEFAULT_EXPIRY;
    private Duration groupExpiry = DEFAULT_GROUP_EXPIRY;
    private int capacity = DEFAULT_CAPACITY;
    private final List<CapacityPattern> channelCapacities = new ArrayList<>();

    private Builder() {}

    /** Sets the clock (default: a new {@link MutableClock#startingNow()}). */
    public Builder clock(MutableClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Sets the message expiry. */
    public Builder expiry(Duration expiry) {
      this.expiry = Objects.requireNonNull(expiry, "expiry");
      return this;
    }

    /** Sets the group membership expiry. */
    public Builder groupExpiry(Duration groupExpiry) {
      this.groupExpiry = Objects.requireNonNull(groupExpiry, "groupExpiry");
      return this;
    }

    /** Sets the default channel capacity. */
    public Builder capacity(int capacity) {
      this.capacity = capacity;
      return this;
    }

    /** Adds a glob capacity pattern (after those already added). */
    public Builder channelCapacity(String glob, int capacity) {
      channelCapacities.add(new CapacityPattern(Objects.requireNonNull(glob, "glob"), null, capacity));
      return this;
    }

    /** Adds a regex capacity pattern (after those already added). */
    public Builder channelCapacity(Pattern regex, int capacity) {
      channelCapacities.add(new CapacityPattern(null, Objects.requireNonNull(regex, "regex"), capacity));
      return this;
    }

    /** Returns the spec. */
    public LayerSpec build() {
      return new LayerSpec(this);
    }
  }
}

package io.channels4j.example.chat;

import io.channels4j.layers.ChannelNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Maps the room name a person typed to the name of the channel-layer group that room's sockets join.
 *
 * <p>Group names may only hold ASCII letters, digits, {@code -}, {@code _} and {@code .} and must be
 * shorter than 100 characters ({@link ChannelNames}), but a room name is whatever someone typed. So:
 *
 * <ul>
 *   <li>A plain room name (ASCII letters, digits and {@code _}, at most {@value #MAX_PLAIN_LENGTH}
 *       characters) keeps the Django tutorial's group name {@code chat_<room>}: this app and the Django
 *       tutorial app share such rooms on one Redis.
 *   <li>Any other name (Unicode, spaces, punctuation, a long name) becomes {@code chat_u.} followed by
 *       the hex SHA-256 of its NFC form in UTF-8: deterministic across processes and machines, 71
 *       characters, and never equal to a plain room's group name, which cannot contain a {@code .}.
 * </ul>
 *
 * <p>Normalizing to NFC first means the same word typed with precomposed or combining accents is the
 * same room.
 */
public final class RoomNames {

  /** The prefix of every room's group name, as in the tutorial. */
  public static final String GROUP_PREFIX = "chat_";

  /** The prefix of the group name of a room whose name is not plain ASCII. */
  public static final String HASHED_PREFIX = GROUP_PREFIX + "u.";

  /** The longest plain room name kept as is: {@code chat_} plus this many characters is 99. */
  public static final int MAX_PLAIN_LENGTH = ChannelNames.MAX_NAME_LENGTH - 1 - GROUP_PREFIX.length();

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_]+");

  private RoomNames() {}

  /**
   * The group name for {@code room}.
   *
   * @param room the room name as typed (decoded from the URL); not empty
   * @return a valid group name: {@code chat_<room>} for plain names, {@code chat_u.<sha256 hex>} otherwise
   * @throws IllegalArgumentException if {@code room} is empty
   */
  public static String groupName(String room) {
    Objects.requireNonNull(room, "room");
    if (room.isEmpty()) {
      throw new IllegalArgumentException("room name must not be empty: ''");
    }
    if (isPlain(room)) {
      return GROUP_PREFIX + room;
    }
    String nfc = Normalizer.normalize(room, Normalizer.Form.NFC);
    return HASHED_PREFIX + HexFormat.of().formatHex(sha256(nfc.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * True if {@code room} keeps the tutorial's group name {@code chat_<room>}: ASCII letters, digits and
   * {@code _} only, 1 to {@value #MAX_PLAIN_LENGTH} characters.
   */
  public static boolean isPlain(String room) {
    return room.length() <= MAX_PLAIN_LENGTH && PLAIN.matcher(room).matches();
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}

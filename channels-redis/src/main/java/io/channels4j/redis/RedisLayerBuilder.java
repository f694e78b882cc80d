package io.channels4j.redis;

import io.lettuce.core.resource.ClientResources;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The options both Redis layers' builders share: where Redis is (hosts, Sentinel, TLS), how messages
 * are written (channels_redis's {@code serializer_format} and {@code symmetric_encryption_keys}), and
 * the lettuce side. Every setter validates at once and throws {@link IllegalArgumentException} quoting
 * the bad value; combinations (a certificate without its key, Sentinel credentials without a Sentinel
 * shard) are checked by {@code build()}.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class RedisLayerBuilder<B extends RedisLayerBuilder<B>> {

  final ConnectionOptions connection = new ConnectionOptions();
  final SerializerOptions serialization;

  RedisLayerBuilder(int defaultRandomPrefixLength) {
    this.serialization = new SerializerOptions(defaultRandomPrefixLength);
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * Adds a Redis server (a shard) by URI: {@code redis://[user:password@]host[:port][/db]}, {@code
   * rediss://...} for TLS, {@code redis-socket:///path}, or {@code redis-sentinel://host:26379[,host2]/db#master}
   * (channels_redis's {@code hosts} entries). Several hosts shard channels and groups with channels_redis's
   * CRC32 hash, in the order given: list them in the same order as the Python peers' {@code hosts}.
   *
   * @param redisUri the Redis URI
   * @return this builder
   */
  public B host(String redisUri) {
    connection.host(redisUri);
    return self();
  }

  /**
   * Adds a Sentinel-managed master as one shard (channels_redis's {@code {"sentinels": [...],
   * "master_name": ...}} host entry): lettuce asks the sentinels for the current master and follows
   * failovers on reconnect.
   *
   * @param masterName the master name ({@code master_name})
   * @param sentinels the sentinels ({@code sentinels}), as {@code host:port} or {@code redis://host:port}
   * @return this builder
   */
  public B sentinel(String masterName, String... sentinels) {
    connection.sentinel(masterName, sentinels);
    return self();
  }

  /**
   * The password the sentinels require (channels_redis's {@code "sentinel_kwargs": {"password": ...}}),
   * for every Sentinel shard.
   *
   * @param password the sentinels' password ({@code requirepass} in sentinel.conf)
   * @return this builder
   */
  public B sentinelPassword(String password) {
    connection.sentinelPassword(password);
    return self();
  }

  /**
   * The ACL user for the sentinels ({@code "sentinel_kwargs": {"username": ...}}); needs {@link #sentinelPassword}.
   *
   * @param username the user name
   * @return this builder
   */
  public B sentinelUsername(String username) {
    connection.sentinelUsername(username);
    return self();
  }

  /**
   * The password of the Sentinel-managed masters (channels_redis's {@code "password"} in a Sentinel host
   * entry), for every Sentinel shard.
   *
   * @param password the master's password ({@code requirepass} of the master)
   * @return this builder
   */
  public B masterPassword(String password) {
    connection.masterPassword(password);
    return self();
  }

  /**
   * The ACL user of the Sentinel-managed masters ({@code "username"} in a Sentinel host entry); needs
   * {@link #masterPassword}.
   *
   * @param username the user name
   * @return this builder
   */
  public B masterUsername(String username) {
    connection.masterUsername(username);
    return self();
  }

  /**
   * The database of the Sentinel-managed masters (channels_redis's {@code "db"} in a Sentinel host
   * entry; default 0), for every Sentinel shard.
   *
   * @param db the database number, at least 0
   * @return this builder
   */
  public B masterDatabase(int db) {
    connection.masterDatabase(db);
    return self();
  }

  /**
   * The CA certificates (PEM) trusted for {@code rediss://} hosts (redis-py's {@code ssl_ca_certs});
   * default the JDK's trust store.
   *
   * @param caFile a PEM file with one or more CA certificates
   * @return this builder
   */
  public B sslCaCerts(Path caFile) {
    connection.sslCaCerts(caFile);
    return self();
  }

  /**
   * The client certificate chain (PEM) presented to {@code rediss://} hosts (redis-py's {@code
   * ssl_certfile}), for servers with {@code tls-auth-clients yes}; needs {@link #sslKeyfile}.
   *
   * @param certFile a PEM file: the client certificate, then any intermediates
   * @return this builder
   */
  public B sslCertfile(Path certFile) {
    connection.sslCertfile(certFile);
    return self();
  }

  /**
   * The client certificate's private key (redis-py's {@code ssl_keyfile}): an unencrypted PKCS#8 PEM
   * file ({@code -----BEGIN PRIVATE KEY-----}, as {@code openssl genpkey} writes it).
   *
   * @param keyFile the key file
   * @return this builder
   */
  public B sslKeyfile(Path keyFile) {
    connection.sslKeyfile(keyFile);
    return self();
  }

  /**
   * How messages are written: channels_redis's {@code serializer_format}, {@code "msgpack"} (the
   * default) or {@code "json"}. Must match the peers'.
   *
   * @param format {@code "msgpack"} or {@code "json"}
   * @return this builder
   */
  public B serializerFormat(String format) {
    serialization.serializerFormat(format);
    return self();
  }

  /**
   * A custom serializer (channels_redis's custom formats in {@code serializers.registry}); the layer
   * still adds encryption and the random prefix around it.
   *
   * @param serializer the serializer
   * @return this builder
   */
  public B serializer(MessageSerializer serializer) {
    serialization.serializer(serializer);
    return self();
  }

  /**
   * Encrypts messages with Fernet as channels_redis's {@code symmetric_encryption_keys}: the first key
   * encrypts, every key decrypts (for rotation). Must match the peers' keys.
   *
   * @param keys the keys
   * @return this builder
   */
  public B symmetricEncryptionKeys(String... keys) {
    serialization.symmetricEncryptionKeys(keys);
    return self();
  }

  /**
   * How long a Redis command may take before it fails (default 5 s).
   *
   * @param timeout how long a Redis command may take before it fails
   * @return this builder
   */
  public B commandTimeout(Duration timeout) {
    connection.commandTimeout(timeout);
    return self();
  }

  /**
   * Shares lettuce {@link ClientResources} (threads) between layers; the layer then does not shut them
   * down. By default each layer owns a small set (2 I/O threads) and shuts it down on close.
   *
   * @param resources the resources
   * @return this builder
   */
  public B clientResources(ClientResources resources) {
    connection.resources(resources);
    return self();
  }
}

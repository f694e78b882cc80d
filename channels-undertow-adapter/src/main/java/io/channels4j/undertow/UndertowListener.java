package io.channels4j.undertow;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;
import org.xnio.ssl.SslConnection;

/**
 * One Undertow HTTP/1.1 listener (plain or TLS) on its own XNIO worker, wired as {@code Undertow.start()}
 * wires it, except that every accepted connection first passes a wrapper of Undertow's open listener
 * ({@link ConnectionGate}), which {@code Undertow.Builder} has no place for.
 */
final class UndertowListener {

  /** Where and how to listen. */
  record Config(String host, int port, int ioThreads, int sendBufferSize, SSLContext tls, OptionMap serverOptions) {}

  private final XnioWorker worker;
  private final AcceptingChannel<? extends StreamConnection> server;

  private UndertowListener(XnioWorker worker, AcceptingChannel<? extends StreamConnection> server) {
    this.worker = worker;
    this.server = server;
  }

  /** Undertow's own options under the gate: its header limit sits above ours, so ours answers 431 first. */
  static OptionMap serverOptions(int maxHeaderSize) {
    return OptionMap.builder()
        .set(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
        .set(UndertowOptions.MAX_HEADER_SIZE, maxHeaderSize + 16 * 1024)
        .getMap();
  }

  /** A TLS context serving the key in {@code keyStore}; an unusable store is an IllegalArgumentException. */
  static SSLContext sslContext(KeyStore keyStore, char[] keyPassword) {
    try {
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keyStore, keyPassword);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("key store cannot be used for TLS: " + e.getMessage(), e);
    }
  }

  /**
   * Binds and starts accepting.
   *
   * @param gate wraps Undertow's open listener
   * @throws IllegalStateException if the port cannot be bound
   */
  static UndertowListener start(Config config, HttpHandler root,
      UnaryOperator<ChannelListener<StreamConnection>> gate) {
    Xnio xnio = Xnio.getInstance(Undertow.class.getClassLoader());
    int workerThreads = Math.max(2, config.ioThreads());
    XnioWorker worker;
    try {
      worker = xnio.createWorker(OptionMap.builder()
          .set(Options.WORKER_IO_THREADS, config.ioThreads())
          .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
          .set(Options.CONNECTION_LOW_WATER, 1_000_000)
          .set(Options.WORKER_TASK_CORE_THREADS, workerThreads)
          .set(Options.WORKER_TASK_MAX_THREADS, workerThreads)
          .set(Options.TCP_NODELAY, true)
          .set(Options.CORK, true)
          .getMap());
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the XNIO worker: " + e.getMessage(), e);
    }
    try {
      OptionMap.Builder socket = OptionMap.builder()
          .set(Options.WORKER_IO_THREADS, config.ioThreads())
          .set(Options.TCP_NODELAY, true)
          .set(Options.REUSE_ADDRESSES, true)
          .set(Options.BALANCING_TOKENS, 1)
          .set(Options.BALANCING_CONNECTIONS, 2)
          .set(Options.BACKLOG, 1000);
      if (config.sendBufferSize() > 0) {
        socket.set(Options.SEND_BUFFER, config.sendBufferSize());
      }
      HttpOpenListener open = new HttpOpenListener(new DefaultByteBufferPool(true, 16 * 1024 - 20, -1, 4),
          OptionMap.builder().set(UndertowOptions.BUFFER_PIPELINED_DATA, true).addAll(config.serverOptions()).getMap());
      open.setRootHandler(root);
      ChannelListener<StreamConnection> admit = gate.apply(open);
      InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(config.host()), config.port());
      AcceptingChannel<? extends StreamConnection> server;
      if (config.tls() == null) {
        server = worker.createStreamConnectionServer(address, ChannelListeners.openListenerAdapter(admit),
            socket.getMap());
      } else {
        UndertowXnioSsl ssl = new UndertowXnioSsl(xnio, OptionMap.create(Options.USE_DIRECT_BUFFERS, true), config.tls());
        server = ssl.createSslConnectionServer(worker, address,
            ChannelListeners.<SslConnection>openListenerAdapter(admit), socket.getMap());
      }
      server.resumeAccepts();
      return new UndertowListener(worker, server);
    } catch (IOException | RuntimeException e) {
      worker.shutdownNow();
      String where = (config.host().indexOf(':') >= 0 ? "[" + config.host() + "]" : config.host()) + ":" + config.port();
      if (e instanceof BindException && String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("in use")) {
        throw new IllegalStateException("cannot listen on " + where + ": address " + where + " is already in use", e);
      }
      throw new IllegalStateException("cannot listen on " + where + ": " + e.getMessage(), e);
    }
  }

  /** The bound port. */
  int port() {
    return server.getLocalAddress(InetSocketAddress.class).getPort();
  }

  /** Stops accepting, closes every connection and stops the worker (as {@code Undertow.stop()}). */
  void stop() {
    IoUtils.safeClose(server);
    worker.shutdown();
    try {
      if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      worker.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}

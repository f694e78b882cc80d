/*
 * IdleConns - opens N idle WebSocket connections to the chat (ws://127.0.0.1:PORT/ws/chat/<room>/) and
 * holds them, for measuring what an idle connection costs the server (see density.sh).
 *
 * Run: java IdleConns.java --port 8000 --clients 15000 [--rooms 100] [--per-source 200] [--hold-s 600]
 *
 * One thread, non-blocking NIO, a few hundred bytes per connection on the client side. Connections are
 * spread over source addresses 127.0.0.2, 127.0.0.3, ... (--per-source each, below the server's
 * maxConnectionsPerAddress of 256), so one process can hold more than one address's ephemeral ports
 * would allow and the per-address limit does not refuse them. Answers the server's pings with pongs, so
 * the heartbeat keeps the connections. Prints "READY <open> <failed>" once every handshake has ended,
 * then holds until --hold-s passes or it is killed; "DROPPED <n>" lines report connections the server
 * closed while held. With --churn each connection sends a close frame (1000) as soon as it is open and
 * ends when the server has closed it: "READY <closed> <failed>" then counts connect + close cycles (for
 * connect-cost.sh). JDK 17+, no dependencies, loopback only.
 */

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

public class IdleConns {

    static final class Conn {
        final SocketChannel ch;
        ByteBuffer out;
        final ByteBuffer in = ByteBuffer.allocate(512);
        boolean open;

        Conn(SocketChannel ch) { this.ch = ch; }
    }

    public static void main(String[] a) throws Exception {
        int port = 8000, clients = 1000, rooms = 100, perSource = 200, concurrency = 64;
        long holdS = 600;
        boolean churn = false;
        for (int i = 0; i < a.length; i += 2) {
            if (a[i].equals("--churn")) { churn = true; i--; continue; }
            switch (a[i]) {
                case "--port" -> port = Integer.parseInt(a[i + 1]);
                case "--clients" -> clients = Integer.parseInt(a[i + 1]);
                case "--rooms" -> rooms = Integer.parseInt(a[i + 1]);
                case "--per-source" -> perSource = Integer.parseInt(a[i + 1]);
                case "--concurrency" -> concurrency = Integer.parseInt(a[i + 1]);
                case "--hold-s" -> holdS = Long.parseLong(a[i + 1]);
                default -> { System.err.println("unknown option " + a[i]); System.exit(2); }
            }
        }
        Selector sel = Selector.open();
        InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
        int started = 0, handshaking = 0, open = 0, failed = 0, dropped = 0;
        long t0 = System.nanoTime();
        boolean ready = false;
        long holdUntil = Long.MAX_VALUE;
        while (true) {
            while (started < clients && handshaking < concurrency) {
                int src = 2 + started / perSource;
                if (churn) src = 2 + started % 50; // closed ones free their ports; spread for TIME_WAIT
                if (src > 254) { System.err.println("too many clients for 127.0.0.2-254 at --per-source " + perSource); System.exit(2); }
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.bind(new InetSocketAddress("127.0.0." + src, 0));
                Conn c = new Conn(ch);
                String req = "GET /ws/chat/idle" + (started % rooms) + "/ HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:" + port + "\r\n\r\n";
                c.out = ByteBuffer.wrap(req.getBytes(StandardCharsets.ISO_8859_1));
                ch.connect(target);
                ch.register(sel, SelectionKey.OP_CONNECT, c);
                started++;
                handshaking++;
            }
            if (!ready && started == clients && handshaking == 0) {
                ready = true;
                System.out.printf("READY %d %d %.1fs%n", open, failed, (System.nanoTime() - t0) / 1e9);
                System.out.flush();
                holdUntil = System.nanoTime() + holdS * 1_000_000_000L;
            }
            if (System.nanoTime() > holdUntil) break;
            sel.select(1000);
            Iterator<SelectionKey> it = sel.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                Conn c = (Conn) k.attachment();
                int result = 0; // 1: handshake done, -1: failed/closed
                try {
                    if (k.isConnectable()) {
                        c.ch.finishConnect();
                        k.interestOps(SelectionKey.OP_WRITE);
                    } else if (k.isWritable()) {
                        c.ch.write(c.out);
                        if (!c.out.hasRemaining()) k.interestOps(SelectionKey.OP_READ);
                    } else if (k.isReadable()) {
                        int n = c.ch.read(c.in);
                        if (n < 0) {
                            result = -1;
                        } else {
                            result = c.open ? frames(c) : handshake(c);
                        }
                    }
                } catch (IOException e) {
                    result = -1;
                }
                if (result == -1) {
                    k.cancel();
                    try { c.ch.close(); } catch (IOException ignored) { }
                    if (churn && c.open) { handshaking--; open++; } // a full connect + close cycle
                    else if (c.open) { open--; dropped++; System.out.println("DROPPED " + dropped); }
                    else { handshaking--; failed++; }
                } else if (result == 1 && churn) {
                    // masked close frame, code 1000, mask 0
                    c.ch.write(ByteBuffer.wrap(new byte[] {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xe8}));
                } else if (result == 1) {
                    handshaking--;
                    open++;
                }
            }
        }
        System.out.println("DONE open=" + open + " dropped=" + dropped);
    }

    /** 1 when the 101 head is complete, 0 for more, -1 for a refusal. */
    static int handshake(Conn c) throws IOException {
        ByteBuffer b = c.in;
        String s = new String(b.array(), 0, b.position(), StandardCharsets.ISO_8859_1);
        int end = s.indexOf("\r\n\r\n");
        if (end < 0) return b.hasRemaining() ? 0 : -1;
        if (!s.startsWith("HTTP/1.1 101")) {
            System.err.println("refused: " + s.substring(0, s.indexOf('\r')));
            return -1;
        }
        c.open = true;
        // keep what follows the head (frames)
        int rest = b.position() - end - 4;
        System.arraycopy(b.array(), end + 4, b.array(), 0, rest);
        b.position(rest);
        frames(c);
        return 1;
    }

    /** Consumes whole frames from the server (unmasked); answers pings; -1 on a close frame. */
    static int frames(Conn c) throws IOException {
        ByteBuffer b = c.in;
        b.flip();
        try {
            while (b.remaining() >= 2) {
                b.mark();
                int op = b.get() & 0x0f;
                int len = b.get() & 0x7f;
                if (len == 126) {
                    if (b.remaining() < 2) { b.reset(); break; }
                    len = b.getShort() & 0xffff;
                } else if (len == 127) {
                    if (b.remaining() < 8) { b.reset(); break; }
                    len = (int) b.getLong();
                }
                if (len > c.in.capacity() - 14) return -1; // the chat sends nothing this big to an idle client
                if (b.remaining() < len) { b.reset(); break; }
                byte[] payload = new byte[len];
                b.get(payload);
                if (op == 0x8) return -1;
                if (op == 0x9) { // ping: answer with a masked pong (mask 0)
                    ByteBuffer pong = ByteBuffer.allocate(6 + len);
                    pong.put((byte) 0x8a).put((byte) (0x80 | len)).putInt(0).put(payload).flip();
                    c.ch.write(pong); // tiny: fits the socket buffer of an idle connection
                }
            }
        } finally {
            b.compact();
        }
        return 0;
    }
}

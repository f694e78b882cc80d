/*
 * Referrers - who holds instances of a class, from a heap dump (jcmd PID GC.heap_dump FILE).
 *
 * Run: java -Xmx2g Referrers.java FILE.hprof CLASS [CLASS...]
 *
 * For each CLASS (binary name, e.g. io.undertow.server.protocol.http.HttpServerConnection) prints how
 * many of its instances are referenced from which class and field ("ClassName.field", "Type[]" for
 * arrays, "<root>" for GC roots), most first. Enough to find why an idle connection keeps an object
 * (used with density.sh); not a heap analyser. HPROF 1.0.2 with 8-byte ids only.
 */

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

public class Referrers {
    static final Map<Long, String> strings = new HashMap<>();
    static final Map<Long, String> classNames = new HashMap<>();      // class object id -> name
    static final Map<Long, Long> supers = new HashMap<>();
    static final Map<Long, byte[]> fieldTypes = new HashMap<>();      // class id -> own instance field types
    static final Map<Long, long[]> fieldNames = new HashMap<>();
    static final Map<Long, Long> objClass = new HashMap<>();          // object id -> class id (targets only)

    public static void main(String[] a) throws IOException {
        MappedByteBuffer buf;
        try (FileChannel ch = FileChannel.open(Path.of(a[0]), StandardOpenOption.READ)) {
            if (ch.size() > Integer.MAX_VALUE) throw new IOException("dump over 2 GiB: take it with fewer connections");
            buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
        Set<String> targets = new HashSet<>(List.of(a).subList(1, a.length));
        while (buf.get() != 0) { }
        if (buf.getInt() != 8) throw new IOException("only 8-byte ids are supported");
        buf.getLong();
        int start = buf.position();
        // pass 1: names and classes
        scan(buf, start, 1, targets, null);
        Set<Long> targetClasses = new HashSet<>();
        classNames.forEach((id, n) -> { if (targets.contains(n)) targetClasses.add(id); });
        // pass 2: which objects are targets
        scan(buf, start, 2, targets, targetClasses);
        // pass 3: who points at them
        Map<String, Map<String, Integer>> out = new HashMap<>();
        scan(buf, start, 3, targets, targetClasses, out);
        for (String t : targets) {
            System.out.println("== " + t);
            Map<String, Integer> m = out.getOrDefault(t, Map.of());
            m.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue()).limit(25)
                .forEach(e -> System.out.printf("%10d  %s%n", e.getValue(), e.getKey()));
        }
    }

    static void scan(ByteBuffer b, int start, int pass, Set<String> targets, Set<Long> tc) {
        scan(b, start, pass, targets, tc, null);
    }

    static void scan(ByteBuffer b, int start, int pass, Set<String> targets, Set<Long> tc, Map<String, Map<String, Integer>> out) {
        b.position(start);
        while (b.hasRemaining()) {
            int tag = b.get() & 0xff;
            b.getInt();
            long len = b.getInt() & 0xffffffffL;
            int end = (int) (b.position() + len);
            if (tag == 0x01 && pass == 1) {
                long id = b.getLong();
                byte[] s = new byte[(int) len - 8];
                b.get(s);
                strings.put(id, new String(s, java.nio.charset.StandardCharsets.UTF_8));
            } else if (tag == 0x02 && pass == 1) {
                b.getInt();
                long cid = b.getLong();
                b.getInt();
                classNames.put(cid, strings.getOrDefault(b.getLong(), "?").replace('/', '.'));
            } else if (tag == 0x0c || tag == 0x1c) {
                heap(b, end, pass, tc, out);
            }
            b.position(end);
        }
    }

    static int size(int type) {
        return switch (type) { case 2 -> 8; case 4, 8 -> 1; case 5, 9 -> 2; case 6, 10 -> 4; case 7, 11 -> 8; default -> throw new IllegalStateException("type " + type); };
    }

    static void count(Map<String, Map<String, Integer>> out, long target, String from) {
        Long c = objClass.get(target);
        if (c == null) return;
        out.computeIfAbsent(classNames.get(c), k -> new HashMap<>()).merge(from, 1, Integer::sum);
    }

    static void heap(ByteBuffer b, int end, int pass, Set<Long> tc, Map<String, Map<String, Integer>> out) {
        while (b.position() < end) {
            int sub = b.get() & 0xff;
            switch (sub) {
                case 0xff, 0x05, 0x07 -> { long id = b.getLong(); if (pass == 3) count(out, id, "<root " + sub + ">"); }
                case 0x01 -> { long id = b.getLong(); b.getLong(); if (pass == 3) count(out, id, "<root jni global>"); }
                case 0x02, 0x03 -> { long id = b.getLong(); b.getInt(); b.getInt(); if (pass == 3) count(out, id, "<root frame>"); }
                case 0x04, 0x06 -> { long id = b.getLong(); b.getInt(); if (pass == 3) count(out, id, "<root " + sub + ">"); }
                case 0x08 -> { long id = b.getLong(); b.getInt(); b.getInt(); if (pass == 3) count(out, id, "<root thread>"); }
                case 0x20 -> {
                    long cid = b.getLong();
                    b.getInt();
                    long sup = b.getLong();
                    b.position(b.position() + 8 * 5);
                    b.getInt();
                    int cp = b.getShort() & 0xffff;
                    for (int i = 0; i < cp; i++) { b.getShort(); int t = b.get(); b.position(b.position() + size(t)); }
                    int st = b.getShort() & 0xffff;
                    for (int i = 0; i < st; i++) {
                        long name = b.getLong();
                        int t = b.get();
                        if (t == 2) { long v = b.getLong(); if (pass == 3) count(out, v, classNames.get(cid) + ".static " + strings.get(name)); }
                        else b.position(b.position() + size(t));
                    }
                    int n = b.getShort() & 0xffff;
                    byte[] types = new byte[n];
                    long[] names = new long[n];
                    for (int i = 0; i < n; i++) { names[i] = b.getLong(); types[i] = b.get(); }
                    if (pass == 1) { supers.put(cid, sup); fieldTypes.put(cid, types); fieldNames.put(cid, names); }
                }
                case 0x21 -> {
                    long id = b.getLong();
                    b.getInt();
                    long cid = b.getLong();
                    int n = b.getInt();
                    int p = b.position();
                    if (pass == 2 && tc.contains(cid)) objClass.put(id, cid);
                    if (pass == 3) {
                        for (long c = cid; c != 0 && fieldTypes.containsKey(c); c = supers.getOrDefault(c, 0L)) {
                            byte[] types = fieldTypes.get(c);
                            long[] names = fieldNames.get(c);
                            for (int i = 0; i < types.length; i++) {
                                if (types[i] == 2) { long v = b.getLong(); if (v != 0) count(out, v, classNames.get(cid) + "." + strings.get(names[i])); }
                                else b.position(b.position() + size(types[i]));
                            }
                        }
                    }
                    b.position(p + n);
                }
                case 0x22 -> {
                    long id = b.getLong();
                    b.getInt();
                    int n = b.getInt();
                    long ac = b.getLong();
                    if (pass == 2 && tc.contains(ac)) objClass.put(id, ac);
                    if (pass == 3) {
                        String an = classNames.get(ac);
                        for (int i = 0; i < n; i++) { long v = b.getLong(); if (v != 0) count(out, v, an); }
                    } else {
                        b.position(b.position() + 8 * n);
                    }
                }
                case 0x23 -> {
                    b.getLong();
                    b.getInt();
                    int n = b.getInt();
                    int t = b.get();
                    b.position(b.position() + n * size(t));
                }
                default -> throw new IllegalStateException("sub-record " + Integer.toHexString(sub) + " at " + b.position());
            }
        }
    }
}

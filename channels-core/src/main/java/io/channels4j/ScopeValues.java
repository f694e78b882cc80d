package io.channels4j;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The values of a scope derived with {@link Scope#with}: its parent's values with one key set or
 * removed, sharing the parent's entries instead of copying them. Middleware stacks derive a scope per
 * layer and each layer may keep its own, so copies would cost a whole map per layer per connection.
 * Unmodifiable; iterates in the parent's order, a replaced key in its place, a new key last (as a
 * {@link LinkedHashMap} copy would). Past {@link #MAX_DEPTH} derivations the values are copied once,
 * so a lookup never walks far. {@link #copyOf} is the compact form a built scope starts from.
 */
final class ScopeValues extends AbstractMap<String, Object> {

  static final int MAX_DEPTH = 12;

  private final Map<String, Object> parent;
  private final String key;
  private final Object value; // null: removed
  private final boolean inParent; // no size or depth fields: one of these lives per middleware per connection

  private ScopeValues(Map<String, Object> parent, String key, Object value) {
    this.parent = parent;
    this.key = key;
    this.value = value;
    this.inParent = parent.containsKey(key);
  }

  /** {@code parent} with {@code key} set to {@code value} (null removes it), unmodifiable. */
  static Map<String, Object> derive(Map<String, Object> parent, String key, Object value) {
    int depth = 1;
    for (Map<String, Object> m = parent; m instanceof ScopeValues v; m = v.parent) {
      depth++;
    }
    if (depth > MAX_DEPTH) {
      Map<String, Object> copy = new LinkedHashMap<>(parent);
      if (value == null) {
        copy.remove(key);
      } else {
        copy.put(key, value);
      }
      return copyOf(copy);
    }
    return new ScopeValues(parent, key, value);
  }

  /** An unmodifiable copy of {@code values} in their order, in two arrays (a scope's keys are few). */
  static Map<String, Object> copyOf(Map<String, Object> values) {
    String[] keys = new String[values.size()];
    Object[] vals = new Object[keys.length];
    int i = 0;
    for (Entry<String, Object> e : values.entrySet()) {
      keys[i] = e.getKey();
      vals[i++] = e.getValue();
    }
    return new Flat(keys, vals);
  }

  /** What {@link #copyOf} returns: keys and values side by side, looked up by a scan. */
  private static final class Flat extends AbstractMap<String, Object> {
    private final String[] keys;
    private final Object[] values;

    Flat(String[] keys, Object[] values) {
      this.keys = keys;
      this.values = values;
    }

    private int indexOf(Object key) {
      for (int i = 0; i < keys.length; i++) {
        if (keys[i].equals(key)) {
          return i;
        }
      }
      return -1;
    }

    @Override
    public Object get(Object key) {
      int i = indexOf(key);
      return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
      return indexOf(key) >= 0;
    }

    @Override
    public int size() {
      return keys.length;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Entry<String, Object>> iterator() {
          return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < keys.length;
            }

            @Override
            public Entry<String, Object> next() {
              if (next >= keys.length) {
                throw new NoSuchElementException();
              }
              int i = next++;
              return new SimpleImmutableEntry<>(keys[i], values[i]);
            }
          };
        }

        @Override
        public int size() {
          return keys.length;
        }
      };
    }
  }

  @Override
  public Object get(Object k) {
    return key.equals(k) ? value : parent.get(k);
  }

  @Override
  public boolean containsKey(Object k) {
    return key.equals(k) ? value != null : parent.containsKey(k);
  }

  @Override
  public int size() {
    return parent.size() + (inParent ? (value == null ? -1 : 0) : (value == null ? 0 : 1));
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<String, Object>> iterator() {
        return new Entries();
      }

      @Override
      public int size() {
        return ScopeValues.this.size();
      }
    };
  }

  /** The parent's entries with this key's change applied, then this key if it is new. */
  private final class Entries implements Iterator<Entry<String, Object>> {
    private final Iterator<Entry<String, Object>> inner = parent.entrySet().iterator();
    private Entry<String, Object> next;
    private boolean lastDone;

    Entries() {
      advance();
    }

    private void advance() {
      next = null;
      while (inner.hasNext()) {
        Entry<String, Object> e = inner.next();
        if (!key.equals(e.getKey())) {
          next = e;
          return;
        }
        if (value != null) {
          next = new SimpleImmutableEntry<>(key, value);
          return;
        }
      }
      if (!lastDone) {
        lastDone = true;
        if (!inParent && value != null) {
          next = new SimpleImmutableEntry<>(key, value);
        }
      }
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public Entry<String, Object> next() {
      if (next == null) {
        throw new NoSuchElementException();
      }
      Entry<String, Object> e = next;
      advance();
      return e;
    }
  }
}

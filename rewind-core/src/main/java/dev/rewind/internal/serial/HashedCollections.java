package dev.rewind.internal.serial;

import dev.rewind.internal.jvm.UnsafeAccess;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Saving and rebuilding the JDK collections whose internal layout depends on hash codes.
 *
 * <p>Identity hash codes (of enums, Class objects, objects without hashCode) and the per-JVM salt of
 * {@code Set.of}/{@code Map.of} differ in the restoring JVM, so copying bucket arrays field by field
 * would leave entries in the wrong buckets. These collections are therefore saved logically: their
 * settings and their entries in iteration order. On read the (already allocated, possibly shared)
 * instance is filled at the very end: a fresh JDK instance is built by put, which preserves the
 * iteration order of the linked variants, and its fields are then moved into the saved instance.
 * Building a separate instance means no overridden put() of an application subclass is called, and
 * doing it last means every key is fully read before its hashCode is taken, even when a key refers
 * back to its own map.
 */
final class HashedCollections {
    /** java.util.ImmutableCollections$SetN: Set.of with more than two elements. */
    static final Class<?> SET_N = Set.of(1, 2, 3).getClass();
    /** java.util.ImmutableCollections$MapN: Map.of with more than one entry. */
    static final Class<?> MAP_N = Map.of(1, 1, 2, 2).getClass();

    private HashedCollections() {
    }

    /** The JDK map implementations saved logically, with the private fields holding their settings. */
    enum MapType {
        HASH_MAP(HashMap.class, false),
        LINKED_HASH_MAP(LinkedHashMap.class, false),
        HASHTABLE(Hashtable.class, false),
        CONCURRENT_HASH_MAP(ConcurrentHashMap.class, true),
        IDENTITY_HASH_MAP(IdentityHashMap.class, false),
        WEAK_HASH_MAP(WeakHashMap.class, true);

        final Class<?> base;
        /** Whether size() and iteration may disagree (concurrent updates, entries cleared by the GC). */
        final boolean weaklyConsistent;
        /** All instance fields of the base class and its superclasses, moved from the rebuilt instance. */
        private FieldSlot[] state;
        private long loadFactor = -1, table = -1, modCount = -1, accessOrder = -1;

        MapType(Class<?> base, boolean weaklyConsistent) {
            this.base = base;
            this.weaklyConsistent = weaklyConsistent;
        }

        /** Looked up on first use, after Unsafe access has been checked. */
        private synchronized void init() {
            if (state != null) {
                return;
            }
            loadFactor = offset("loadFactor", float.class);
            table = offset("table", null);
            modCount = offset("modCount", int.class);
            accessOrder = offset("accessOrder", boolean.class);
            state = ClassInfo.layout(base, null);
        }

        private long offset(String name, Class<?> expected) {
            for (Class<?> k = base; k != null; k = k.getSuperclass()) {
                try {
                    Field f = k.getDeclaredField(name);
                    if (expected != null && f.getType() != expected) {
                        return -1;
                    }
                    return UnsafeAccess.objectFieldOffset(f);
                } catch (NoSuchFieldException e) {
                    // look in the superclass
                }
            }
            return -1;
        }

        /**
         * @return the map type whose entries a class keeps, or null. Properties keeps its entries in
         *     an inner ConcurrentHashMap (saved logically itself), so it and its subclasses are copied
         *     field by field.
         */
        static MapType of(Class<?> c) {
            for (Class<?> k = c; k != null; k = k.getSuperclass()) {
                if (k == Properties.class) {
                    return null;
                }
                for (MapType t : values()) {
                    if (t.base == k) {
                        return t;
                    }
                }
            }
            return null;
        }

        /** Settings saved with the entries, so the rebuilt map behaves and grows like the original. */
        Settings settings(Object map) {
            init();
            Settings s = new Settings();
            s.loadFactor = loadFactor >= 0 ? UnsafeAccess.getFloat(map, loadFactor) : 0.75f;
            Object t = table >= 0 ? UnsafeAccess.getReference(map, table) : null;
            s.capacity = t instanceof Object[] ? ((Object[]) t).length : 0;
            s.modCount = modCount >= 0 ? UnsafeAccess.getInt(map, modCount) : 0;
            s.accessOrder = accessOrder >= 0 && UnsafeAccess.getBoolean(map, accessOrder);
            return s;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private Map<Object, Object> fresh(Settings s, int size) {
            // A corrupt capacity must not make us allocate a huge table: never more than the entries need.
            int cap = (int) Math.min(s.capacity, Math.min(1 << 30, size * 4L + 16));
            switch (this) {
                case HASH_MAP: return new HashMap<>(cap, s.loadFactor);
                case LINKED_HASH_MAP: return new LinkedHashMap<>(cap, s.loadFactor, s.accessOrder);
                case HASHTABLE: return new Hashtable<>(Math.max(cap, 1), s.loadFactor);
                case CONCURRENT_HASH_MAP: return new ConcurrentHashMap<>(Math.max(16, size));
                case IDENTITY_HASH_MAP: return new IdentityHashMap<>(size);
                case WEAK_HASH_MAP: return new WeakHashMap<>(cap, s.loadFactor);
                default: throw new AssertionError(this);
            }
        }

        /** Fills {@code target} (allocated without constructor) with the entries {@code kv} (k0, v0, k1, v1, ...). */
        void rebuild(Object target, Settings s, Object[] kv) {
            init();
            Map<Object, Object> fresh = fresh(s, kv.length / 2);
            for (int i = 0; i < kv.length; i += 2) {
                fresh.put(kv[i], kv[i + 1]);
            }
            transplant(fresh, target, state);
            if (modCount >= 0) {
                UnsafeAccess.putInt(target, modCount, s.modCount);
            }
        }
    }

    /** Saved settings of one map. */
    static final class Settings {
        float loadFactor;
        int capacity;
        int modCount;
        boolean accessOrder;
    }

    /** Snapshot of a map's entries as k0, v0, k1, v1, ...; iterating first keeps the count exact for concurrent maps. */
    static Object[] entries(Map<?, ?> map) {
        List<Object> kv = new ArrayList<>(map.size() * 2);
        for (Map.Entry<?, ?> e : map.entrySet()) {
            kv.add(e.getKey());
            kv.add(e.getValue());
        }
        return kv.toArray();
    }

    /** Elements of a Set.of(...) instance, or keys and values of a Map.of(...) instance. */
    static Object[] immutableContents(Object collection) {
        if (collection instanceof Set) {
            return ((Set<?>) collection).toArray();
        }
        return entries((Map<?, ?>) collection);
    }

    private static volatile FieldSlot[] setNState, mapNState;

    /** Fills an allocated Set.of/Map.of instance with its elements, built with this JVM's salt. */
    static void rebuildImmutable(Object target, Object[] contents) {
        Object fresh;
        FieldSlot[] state;
        if (target.getClass() == SET_N) {
            fresh = Set.of(contents);
            state = setNState == null ? setNState = ClassInfo.layout(SET_N, null) : setNState;
        } else {
            @SuppressWarnings({"unchecked", "rawtypes"})
            Map.Entry<Object, Object>[] entries = new Map.Entry[contents.length / 2];
            for (int i = 0; i < entries.length; i++) {
                entries[i] = Map.entry(contents[2 * i], contents[2 * i + 1]);
            }
            fresh = Map.ofEntries(entries);
            state = mapNState == null ? mapNState = ClassInfo.layout(MAP_N, null) : mapNState;
        }
        if (fresh.getClass() != target.getClass()) {
            throw new IllegalStateException("an immutable collection of " + contents.length
                    + " values is a " + fresh.getClass().getName() + " in this JVM, not a " + target.getClass().getName());
        }
        transplant(fresh, target, state);
    }

    /** Copies every listed field from one instance to another of a compatible class. */
    static void transplant(Object from, Object to, FieldSlot[] fields) {
        for (FieldSlot f : fields) {
            long off = f.offset;
            switch (f.code) {
                case 'Z': UnsafeAccess.putBoolean(to, off, UnsafeAccess.getBoolean(from, off)); break;
                case 'B': UnsafeAccess.putByte(to, off, UnsafeAccess.getByte(from, off)); break;
                case 'C': UnsafeAccess.putChar(to, off, UnsafeAccess.getChar(from, off)); break;
                case 'S': UnsafeAccess.putShort(to, off, UnsafeAccess.getShort(from, off)); break;
                case 'I': UnsafeAccess.putInt(to, off, UnsafeAccess.getInt(from, off)); break;
                case 'J': UnsafeAccess.putLong(to, off, UnsafeAccess.getLong(from, off)); break;
                case 'F': UnsafeAccess.putFloat(to, off, UnsafeAccess.getFloat(from, off)); break;
                case 'D': UnsafeAccess.putDouble(to, off, UnsafeAccess.getDouble(from, off)); break;
                default: UnsafeAccess.putReference(to, off, UnsafeAccess.getReference(from, off)); break;
            }
        }
    }
}

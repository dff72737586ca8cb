package dev.rewind.internal.serial;

import dev.rewind.internal.jvm.UnsafeAccess;

import java.lang.ref.Reference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a readable path from the roots to one object, for refusal messages ("frame ... → local db →
 * field conn"). The writer keeps no parent links, so that saving costs nothing extra; only when it
 * refuses an object does this walk the graph again, breadth-first so the path is a shortest one,
 * following the same edges the writer follows.
 */
final class PathFinder {
    private static final String ARROW = " \u2192 ";

    /** How an object was first reached: from which parent, along which edge (or which root). */
    private static final class Step {
        final Object parent;
        final String edge;
        final int root;

        Step(Object parent, String edge, int root) {
            this.parent = parent;
            this.edge = edge;
            this.root = root;
        }
    }

    private final Map<Object, Step> seen = new IdentityHashMap<>();
    private final ArrayDeque<Object> queue = new ArrayDeque<>();

    private PathFinder() {
    }

    /**
     * A path from a root.
     *
     * @param text  e.g. "static demo.App.db → field conn"
     * @param edges how many steps lead from the root to the object (0: the object is the root)
     */
    record Path(String text, int edges) {
    }

    /**
     * @return the path to {@code target}, or null if it cannot be reached (which would mean the graph
     *     changed while it was being saved)
     */
    static Path pathTo(Object target, Object[] roots, String[] rootPaths) {
        return new PathFinder().find(target, roots, rootPaths);
    }

    private Path find(Object target, Object[] roots, String[] rootPaths) {
        for (int i = 0; i < roots.length; i++) {
            visit(roots[i], null, null, i);
        }
        while (!queue.isEmpty()) {
            Object o = queue.poll();
            if (o == target) {
                return render(o, rootPaths);
            }
            expand(o);
        }
        return null;
    }

    private void visit(Object child, Object parent, String edge, int root) {
        if (child != null && !seen.containsKey(child)) {
            seen.put(child, new Step(parent, edge, root));
            queue.add(child);
        }
    }

    private void expand(Object o) {
        ClassInfo info = ClassInfo.of(o.getClass());
        if (info.singletonCandidate && JdkSingletons.nameOf(o) != null) {
            return;
        }
        switch (info.kind) {
            case OBJECT_ARRAY: {
                Object[] a = (Object[]) o;
                for (int i = 0; i < a.length; i++) {
                    visit(a[i], o, "element [" + i + "]", -1);
                }
                break;
            }
            case REFERENCE:
                visit(((Reference<?>) o).get(), o, "referent", -1);
                fields(o, info, "field ");
                break;
            case LAMBDA:
                fields(o, info, "captured value ");
                break;
            case PLAIN:
                fields(o, info, "field ");
                break;
            case HASH_MAP:
                fields(o, info, "field ");
                entries(o, HashedCollections.entries((Map<?, ?>) o));
                break;
            case IMMUTABLE_MAP:
                entries(o, HashedCollections.immutableContents(o));
                break;
            case IMMUTABLE_SET:
                for (Object e : HashedCollections.immutableContents(o)) {
                    visit(e, o, "element", -1);
                }
                break;
            default:
                break;
        }
    }

    private void fields(Object o, ClassInfo info, String prefix) {
        for (FieldSlot f : info.fields) {
            if (f.code == 'L') {
                visit(UnsafeAccess.getReference(o, f.offset), o, prefix + f.name, -1);
            }
        }
    }

    private void entries(Object map, Object[] kv) {
        for (int i = 0; i < kv.length; i += 2) {
            visit(kv[i], map, "key of entry", -1);
            visit(kv[i + 1], map, "value of entry [key " + describe(kv[i]) + "]", -1);
        }
    }

    /** Short description of a map key; never calls toString on arbitrary application objects. */
    static String describe(Object key) {
        if (key == null) {
            return "null";
        }
        if (key instanceof String) {
            String s = (String) key;
            return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        if (key instanceof Number || key instanceof Boolean || key instanceof Character || key instanceof Enum) {
            return String.valueOf(key);
        }
        if (key instanceof Class) {
            return ((Class<?>) key).getName() + ".class";
        }
        return "a " + key.getClass().getName();
    }

    private Path render(Object target, String[] rootPaths) {
        List<String> edges = new ArrayList<>();
        Step step = seen.get(target);
        while (step.parent != null) {
            edges.add(step.edge);
            step = seen.get(step.parent);
        }
        StringBuilder sb = new StringBuilder(rootPaths[step.root]);
        for (int i = edges.size() - 1; i >= 0; i--) {
            sb.append(ARROW).append(edges.get(i));
        }
        return new Path(sb.toString(), edges.size());
    }
}

package dev.rewind.cli;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an object graph read from a checkpoint as JSON. An application object becomes
 * {@code {"@class": "demo.Cell", "@id": 3, "field": value, ...}} and a later reference to the same
 * object {@code {"@ref": 3}}, so shared references and cycles stay visible. Strings, numbers,
 * booleans and characters are JSON values (NaN and infinities strings), enums their constant's name,
 * arrays and JDK collections JSON arrays, JDK maps JSON objects when every key is a string, number,
 * boolean or enum (else arrays of {@code {"key": ..., "value": ...}}); an array, collection or map
 * referenced more than once is wrapped as {@code {"@class", "@id", "items"}} so that it can be
 * referred to. Other JDK objects are shown by {@code toString()} as {@code {"@class", "@value"}}.
 * Recursion is deep for deep graphs: callers run it on a thread with a large stack.
 */
final class JsonExport {
    private final StringBuilder out = new StringBuilder();
    private final Map<Object, Integer> ids = new IdentityHashMap<>();
    private final Map<Object, Integer> references = new IdentityHashMap<>();
    private int indent;

    /** @return the JSON text of {@code value} and everything it reaches */
    static String of(Object value) {
        JsonExport j = new JsonExport();
        j.count(value);
        j.value(value);
        return j.out.append('\n').toString();
    }

    /** Counts references to arrays, collections and maps, to know which need an id. */
    private void count(Object root) {
        List<Object> todo = new ArrayList<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            Object v = todo.remove(todo.size() - 1);
            if (v == null || isScalar(v) || references.merge(v, 1, Integer::sum) > 1) {
                continue;
            }
            Class<?> c = v.getClass();
            if (c.isArray() && !c.getComponentType().isPrimitive()) {
                todo.addAll(List.of((Object[]) v).stream().filter(x -> x != null).toList());
            } else if (v instanceof Collection<?> col && isJdk(c)) {
                col.forEach(x -> todo.add(x));
            } else if (v instanceof Map<?, ?> map && isJdk(c)) {
                map.forEach((k, x) -> {
                    todo.add(k);
                    todo.add(x);
                });
            } else if (!isJdk(c)) {
                for (Field f : fields(c)) {
                    todo.add(read(f, v));
                }
            }
        }
    }

    private void value(Object v) {
        if (v == null) {
            out.append("null");
            return;
        }
        if (isScalar(v)) {
            scalar(v);
            return;
        }
        Integer seen = ids.get(v);
        if (seen != null) {
            out.append("{\"@ref\": ").append(seen).append('}');
            return;
        }
        int id = ids.size() + 1;
        ids.put(v, id);
        Class<?> c = v.getClass();
        boolean shared = references.getOrDefault(v, 1) > 1;
        if (c.isArray() || (v instanceof Collection<?> || v instanceof Map<?, ?>) && isJdk(c)) {
            if (shared) {
                open();
                key("@class").append(quote(c.getName())).append(',');
                key("@id").append(id).append(',');
                key("items");
            }
            items(v);
            if (shared) {
                close();
            }
            return;
        }
        open();
        key("@class").append(quote(c.isHidden() ? "lambda " + c.getName().replaceAll("/0x.*", "") : c.getName()));
        out.append(',');
        key("@id").append(id);
        if (isJdk(c) || c.isHidden()) {
            out.append(',');
            key("@value").append(quote(String.valueOf(v)));
        } else {
            for (Field f : fields(c)) {
                out.append(',');
                key(f.getName());
                value(read(f, v));
            }
        }
        close();
    }

    private void items(Object v) {
        if (v instanceof Map<?, ?> map) {
            boolean simpleKeys = map.keySet().stream().allMatch(k -> k != null && isScalar(k));
            out.append(simpleKeys ? '{' : '[');
            indent++;
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(first ? "" : ",");
                first = false;
                newline();
                if (simpleKeys) {
                    out.append(quote(String.valueOf(e.getKey() instanceof Enum<?> en ? en.name() : e.getKey())))
                        .append(": ");
                    value(e.getValue());
                } else {
                    out.append("{\"key\": ");
                    value(e.getKey());
                    out.append(", \"value\": ");
                    value(e.getValue());
                    out.append('}');
                }
            }
            indent--;
            if (!first) {
                newline();
            }
            out.append(simpleKeys ? '}' : ']');
            return;
        }
        List<Object> elements = new ArrayList<>();
        if (v instanceof Collection<?> col) {
            elements.addAll(col);
        } else {
            for (int i = 0, n = Array.getLength(v); i < n; i++) {
                elements.add(Array.get(v, i));
            }
        }
        boolean flat = v.getClass().isArray() && v.getClass().getComponentType().isPrimitive();
        out.append('[');
        indent++;
        for (int i = 0; i < elements.size(); i++) {
            out.append(i == 0 ? "" : flat ? ", " : ",");
            if (!flat) {
                newline();
            }
            value(elements.get(i));
        }
        indent--;
        if (!flat && !elements.isEmpty()) {
            newline();
        }
        out.append(']');
    }

    private void scalar(Object v) {
        if (v instanceof String || v instanceof Character) {
            out.append(quote(v.toString()));
        } else if (v instanceof Enum<?> e) {
            out.append(quote(e.name()));
        } else if (v instanceof Double d && (d.isNaN() || d.isInfinite())
                || v instanceof Float f && (f.isNaN() || f.isInfinite())) {
            out.append(quote(v.toString()));
        } else if (v instanceof BigDecimal b) {
            out.append(b.toPlainString());
        } else {
            out.append(v); // Boolean, Byte, Short, Integer, Long, Float, Double, BigInteger
        }
    }

    private static boolean isScalar(Object v) {
        return v instanceof String || v instanceof Number && (isJdk(v.getClass()) && (v instanceof BigInteger
            || v instanceof BigDecimal || v.getClass().getName().startsWith("java.lang.")))
            || v instanceof Boolean || v instanceof Character || v instanceof Enum<?>;
    }

    private static boolean isJdk(Class<?> c) {
        String n = c.getName();
        return n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.") || n.startsWith("sun.")
            || n.startsWith("com.sun.");
    }

    /** @return the instance fields of an application class and its application superclasses, superclass first */
    private static List<Field> fields(Class<?> c) {
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> k = c; k != null && !isJdk(k); k = k.getSuperclass()) {
            chain.add(0, k);
        }
        List<Field> out = new ArrayList<>();
        for (Class<?> k : chain) {
            for (Field f : k.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    f.setAccessible(true); // application classes live in an unnamed module: open to everyone
                    out.add(f);
                }
            }
        }
        return out;
    }

    private static Object read(Field f, Object o) {
        try {
            return f.get(o);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e); // made accessible above
        }
    }

    private void open() {
        out.append('{');
        indent++;
    }

    private void close() {
        indent--;
        newline();
        out.append('}');
    }

    private StringBuilder key(String name) {
        newline();
        return out.append(quote(name)).append(": ");
    }

    private void newline() {
        out.append('\n');
        out.append("  ".repeat(indent));
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}

package dev.rewind.internal.serial;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/** Conversions between classes, type codes, JVM descriptors and the names the stream stores. */
final class Descriptors {
    private Descriptors() {
    }

    /** The one-letter code of a field type: a primitive descriptor letter, or L for any reference. */
    static char code(Class<?> type) {
        if (!type.isPrimitive()) {
            return 'L';
        }
        return primitiveLetter(type);
    }

    static char primitiveLetter(Class<?> p) {
        if (p == int.class) return 'I';
        if (p == long.class) return 'J';
        if (p == double.class) return 'D';
        if (p == float.class) return 'F';
        if (p == boolean.class) return 'Z';
        if (p == byte.class) return 'B';
        if (p == char.class) return 'C';
        if (p == short.class) return 'S';
        if (p == void.class) return 'V';
        throw new IllegalArgumentException(p.getName());
    }

    /** @return the primitive class for a descriptor letter, or null if the letter is not one */
    static Class<?> primitiveOf(char letter) {
        switch (letter) {
            case 'I': return int.class;
            case 'J': return long.class;
            case 'D': return double.class;
            case 'F': return float.class;
            case 'Z': return boolean.class;
            case 'B': return byte.class;
            case 'C': return char.class;
            case 'S': return short.class;
            case 'V': return void.class;
            default: return null;
        }
    }

    /** @return the primitive class named by a keyword ("int"), or null */
    static Class<?> primitiveNamed(String name) {
        switch (name) {
            case "int": return int.class;
            case "long": return long.class;
            case "double": return double.class;
            case "float": return float.class;
            case "boolean": return boolean.class;
            case "byte": return byte.class;
            case "char": return char.class;
            case "short": return short.class;
            case "void": return void.class;
            default: return null;
        }
    }

    /** Size in bytes of one element for a primitive code. */
    static int size(char code) {
        switch (code) {
            case 'Z': case 'B': return 1;
            case 'C': case 'S': return 2;
            case 'I': case 'F': return 4;
            case 'J': case 'D': return 8;
            default: throw new IllegalArgumentException(String.valueOf(code));
        }
    }

    /** Resolves a stored type name: a primitive keyword or a binary class name. */
    static Class<?> resolve(String name, ClassResolver resolver) throws ClassNotFoundException {
        Class<?> p = primitiveNamed(name);
        return p != null ? p : resolver.resolve(name);
    }

    /** Human form of a stored type name: "[I" becomes "int[]". */
    static String pretty(String typeName) {
        int dims = 0;
        while (dims < typeName.length() && typeName.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0) {
            return typeName;
        }
        String rest = typeName.substring(dims);
        String base;
        if (rest.startsWith("L") && rest.endsWith(";")) {
            base = rest.substring(1, rest.length() - 1);
        } else {
            Class<?> p = rest.length() == 1 ? primitiveOf(rest.charAt(0)) : null;
            base = p != null ? p.getName() : rest;
        }
        return base + "[]".repeat(dims);
    }

    /** JVM descriptor of a class, e.g. "Ljava/lang/String;" or "[I". */
    static String descriptor(Class<?> c) {
        if (c.isPrimitive()) {
            return String.valueOf(primitiveLetter(c));
        }
        if (c.isArray()) {
            return c.getName().replace('.', '/');
        }
        return "L" + c.getName().replace('.', '/') + ";";
    }

    static String methodDescriptor(Method m) {
        StringBuilder sb = new StringBuilder("(");
        for (Class<?> p : m.getParameterTypes()) {
            sb.append(descriptor(p));
        }
        return sb.append(')').append(descriptor(m.getReturnType())).toString();
    }

    /** Parses a method descriptor such as "(ILjava/lang/String;)V", resolving classes through the resolver. */
    static MethodType methodType(String desc, ClassResolver resolver) throws ClassNotFoundException {
        if (desc.isEmpty() || desc.charAt(0) != '(') {
            throw new IllegalArgumentException("not a method descriptor: " + desc);
        }
        List<Class<?>> params = new ArrayList<>();
        int[] pos = {1};
        while (pos[0] < desc.length() && desc.charAt(pos[0]) != ')') {
            params.add(parseType(desc, pos, resolver));
        }
        if (pos[0] >= desc.length()) {
            throw new IllegalArgumentException("not a method descriptor: " + desc);
        }
        pos[0]++;
        Class<?> ret = parseType(desc, pos, resolver);
        if (pos[0] != desc.length()) {
            throw new IllegalArgumentException("not a method descriptor: " + desc);
        }
        return MethodType.methodType(ret, params);
    }

    private static Class<?> parseType(String desc, int[] pos, ClassResolver resolver) throws ClassNotFoundException {
        int start = pos[0];
        while (pos[0] < desc.length() && desc.charAt(pos[0]) == '[') {
            pos[0]++;
        }
        if (pos[0] >= desc.length()) {
            throw new IllegalArgumentException("bad descriptor: " + desc);
        }
        char c = desc.charAt(pos[0]);
        boolean array = pos[0] > start;
        if (c == 'L') {
            int end = desc.indexOf(';', pos[0]);
            if (end < 0) {
                throw new IllegalArgumentException("bad descriptor: " + desc);
            }
            pos[0] = end + 1;
            String name = array ? desc.substring(start, end + 1).replace('/', '.')
                    : desc.substring(start + 1, end).replace('/', '.');
            return resolver.resolve(name);
        }
        Class<?> p = primitiveOf(c);
        if (p == null || (array && p == void.class)) {
            throw new IllegalArgumentException("bad descriptor: " + desc);
        }
        pos[0]++;
        return array ? resolver.resolve(desc.substring(start, pos[0])) : p;
    }
}

package dev.rewind.internal.bytecode;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Makes every lambda and method reference of a class serializable by editing its class file in
 * place: each bootstrap method entry that calls {@code LambdaMetafactory.metafactory} is switched to
 * {@code altMetafactory} with {@code FLAG_SERIALIZABLE}. Six constants are appended to the constant
 * pool and the BootstrapMethods attribute is rewritten; every other byte, method bodies included, is
 * copied as it is, so bytecode offsets and constant pool indexes do not move.
 *
 * <p>This is what the agent does to nearly every class a program loads that has lambdas, and to the
 * JDK classes whose lambdas end up in application state. It does without ASM so that a program that
 * is not being resumed never loads ASM: at start-up, ASM's classes running cold cost about 45 ms.
 */
public final class SerializableLambdaPatch {
    private static final String LMF = "java/lang/invoke/LambdaMetafactory";
    private static final String METAFACTORY_DESC = "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;"
        + "Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;"
        + "Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;";
    private static final String ALT_DESC = "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;"
        + "Ljava/lang/invoke/MethodType;[Ljava/lang/Object;)Ljava/lang/invoke/CallSite;";
    private static final int FLAG_SERIALIZABLE = 1;
    private static final int REF_INVOKE_STATIC = 6;
    private static final int ADDED_CONSTANTS = 6;

    private static final int UTF8 = 1;
    private static final int INTEGER = 3;
    private static final int FLOAT = 4;
    private static final int LONG = 5;
    private static final int DOUBLE = 6;
    private static final int CLASS = 7;
    private static final int STRING = 8;
    private static final int FIELDREF = 9;
    private static final int METHODREF = 10;
    private static final int INTERFACE_METHODREF = 11;
    private static final int NAME_AND_TYPE = 12;
    private static final int METHOD_HANDLE = 15;
    private static final int METHOD_TYPE = 16;
    private static final int DYNAMIC = 17;
    private static final int INVOKE_DYNAMIC = 18;
    private static final int MODULE = 19;
    private static final int PACKAGE = 20;

    private final byte[] in;
    private int[] offsets; // of each constant's tag byte, 0 for the unusable slot after a long or double

    private SerializableLambdaPatch(byte[] in) {
        this.in = in;
    }

    /**
     * @param classFile a class file
     * @return the class file with serializable lambdas, or null when it has no plain
     *     {@code metafactory} bootstrap (nothing to do) or no room for six more constants
     * @throws IllegalArgumentException when the class file is malformed
     */
    public static byte[] apply(byte[] classFile) {
        try {
            return new SerializableLambdaPatch(classFile).patch();
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated class file", e);
        }
    }

    private byte[] patch() {
        if (u4(0) != 0xCAFEBABE) {
            throw new IllegalArgumentException("not a class file");
        }
        int count = u2(8);
        int end = readConstants(count);
        boolean[] metafactory = metafactoryHandles(count);
        if (metafactory == null || count + ADDED_CONSTANTS > 0xFFFF) {
            return null;
        }
        int p = end + 6; // access flags, this class, super class
        p += 2 + 2 * u2(p); // interfaces
        p = skipMembers(p); // fields
        p = skipMembers(p); // methods
        int attributes = u2(p);
        p += 2;
        for (int i = 0; i < attributes; i++) {
            int length = u4(p + 2);
            if (utf8Equals(u2(p), "BootstrapMethods")) {
                return rewrite(count, end, p, length, metafactory);
            }
            p += 6 + length;
        }
        return null;
    }

    /** Records where each constant starts; returns the offset just past the constant pool. */
    private int readConstants(int count) {
        offsets = new int[count];
        int p = 10;
        for (int i = 1; i < count; i++) {
            offsets[i] = p;
            int tag = in[p] & 0xFF;
            switch (tag) {
                case UTF8: p += 3 + u2(p + 1); break;
                case INTEGER: case FLOAT: case FIELDREF: case METHODREF: case INTERFACE_METHODREF:
                case NAME_AND_TYPE: case DYNAMIC: case INVOKE_DYNAMIC: p += 5; break;
                case LONG: case DOUBLE: p += 9; i++; break;
                case CLASS: case STRING: case METHOD_TYPE: case MODULE: case PACKAGE: p += 3; break;
                case METHOD_HANDLE: p += 4; break;
                default: throw new IllegalArgumentException("unknown constant pool tag " + tag + " at entry " + i);
            }
        }
        return p;
    }

    /** @return per constant, whether it is a handle to LambdaMetafactory.metafactory; null if none is */
    private boolean[] metafactoryHandles(int count) {
        boolean[] out = null;
        for (int i = 1; i < count; i++) {
            int p = offsets[i];
            if (p == 0 || in[p] != METHOD_HANDLE || in[p + 1] != REF_INVOKE_STATIC || !isTag(u2(p + 2), METHODREF)) {
                continue; // a static interface method's handle refers to an InterfaceMethodref
            }
            int ref = offset(u2(p + 2), METHODREF);
            int nameAndType = offset(u2(ref + 3), NAME_AND_TYPE);
            if (utf8Equals(u2(offset(u2(ref + 1), CLASS) + 1), LMF) && utf8Equals(u2(nameAndType + 1), "metafactory")
                    && utf8Equals(u2(nameAndType + 3), METAFACTORY_DESC)) {
                if (out == null) {
                    out = new boolean[count];
                }
                out[i] = true;
            }
        }
        return out;
    }

    private byte[] rewrite(int count, int poolEnd, int attribute, int length, boolean[] metafactory) {
        int bootstraps = u2(attribute + 6);
        int p = attribute + 8;
        int patched = 0;
        for (int i = 0; i < bootstraps; i++) {
            int args = u2(p + 2);
            if (metafactory[u2(p)] && args == 3) {
                patched++;
            }
            p += 4 + 2 * args;
        }
        if (patched == 0) {
            return null;
        }
        int lmfClass = -1;
        for (int i = 1; i < count && lmfClass < 0; i++) {
            if (metafactory[i]) {
                lmfClass = u2(offset(u2(offsets[i] + 2), METHODREF) + 1);
            }
        }
        int name = count;
        int descriptor = count + 1;
        int nameAndType = count + 2;
        int methodRef = count + 3;
        int handle = count + 4;
        int flags = count + 5;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(in.length + 256 + 2 * patched);
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.write(in, 0, 8);
            out.writeShort(count + ADDED_CONSTANTS);
            out.write(in, 10, poolEnd - 10);
            out.writeByte(UTF8);
            out.writeUTF("altMetafactory");
            out.writeByte(UTF8);
            out.writeUTF(ALT_DESC);
            out.writeByte(NAME_AND_TYPE);
            out.writeShort(name);
            out.writeShort(descriptor);
            out.writeByte(METHODREF);
            out.writeShort(lmfClass);
            out.writeShort(nameAndType);
            out.writeByte(METHOD_HANDLE);
            out.writeByte(REF_INVOKE_STATIC);
            out.writeShort(methodRef);
            out.writeByte(INTEGER);
            out.writeInt(FLAG_SERIALIZABLE);
            out.write(in, poolEnd, attribute + 2 - poolEnd); // up to the attribute's name
            out.writeInt(length + 2 * patched);
            out.writeShort(bootstraps);
            p = attribute + 8;
            for (int i = 0; i < bootstraps; i++) {
                int args = u2(p + 2);
                if (metafactory[u2(p)] && args == 3) {
                    out.writeShort(handle);
                    out.writeShort(4);
                    out.write(in, p + 4, 6);
                    out.writeShort(flags);
                } else {
                    out.write(in, p, 4 + 2 * args);
                }
                p += 4 + 2 * args;
            }
            if (p != attribute + 6 + length) {
                throw new IllegalArgumentException("BootstrapMethods attribute length " + length + " does not match"
                    + " its entries");
            }
            out.write(in, p, in.length - p);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return bytes.toByteArray();
    }

    private int skipMembers(int p) {
        int members = u2(p);
        p += 2;
        for (int i = 0; i < members; i++) {
            int attributes = u2(p + 6);
            p += 8;
            for (int a = 0; a < attributes; a++) {
                p += 6 + u4(p + 2);
            }
        }
        return p;
    }

    private boolean isTag(int index, int tag) {
        return index > 0 && index < offsets.length && offsets[index] != 0 && in[offsets[index]] == tag;
    }

    /** @return the offset of constant {@code index}, checked to have {@code tag} */
    private int offset(int index, int tag) {
        if (!isTag(index, tag)) {
            throw new IllegalArgumentException("constant " + index + " is not of tag " + tag);
        }
        return offsets[index];
    }

    private boolean utf8Equals(int index, String ascii) {
        int p = offset(index, UTF8);
        int len = u2(p + 1);
        if (len != ascii.length()) {
            return false;
        }
        return Arrays.equals(in, p + 3, p + 3 + len, ascii.getBytes(StandardCharsets.ISO_8859_1), 0, len);
    }

    private int u2(int p) {
        return (in[p] & 0xFF) << 8 | in[p + 1] & 0xFF;
    }

    private int u4(int p) {
        return (in[p] & 0xFF) << 24 | (in[p + 1] & 0xFF) << 16 | (in[p + 2] & 0xFF) << 8 | in[p + 3] & 0xFF;
    }
}

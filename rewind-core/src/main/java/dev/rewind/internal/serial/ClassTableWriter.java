package dev.rewind.internal.serial;

import java.io.IOException;
import java.util.Arrays;

/**
 * The writer's class table: gives each class an index on first use and writes its definition
 * there (kind, name, saved fields, lambda shape), so the reader can resolve it and check it.
 */
final class ClassTableWriter {
    private final OutBuffer out;
    private final IdentityIds classIds = new IdentityIds(64);
    /** The class index of each class in {@link #classIds}, by its position there. */
    private int[] classIndexes = new int[64];
    private int nextClass;
    /** Objects of one class often come in runs (list elements, chains): skip the table lookup for those. */
    private ClassInfo lastInfo;
    private int lastIndex;

    ClassTableWriter(OutBuffer out) {
        this.out = out;
    }

    /** A singleton is its own class entry: written once, later refs to it are back references. */
    void writeSingleton(String name) throws IOException {
        out.writeVarInt(nextClass++);
        out.writeByte(Kind.SINGLETON.tag);
        out.writeString(name);
    }

    /** Writes the class's index, preceded on first use by its definition. */
    void writeClassRef(ClassInfo info) throws IOException {
        if (info == lastInfo) {
            out.writeVarInt(lastIndex);
            return;
        }
        int position = classIds.putIfAbsent(info);
        lastInfo = info;
        if (position >= 0) {
            lastIndex = classIndexes[position];
            out.writeVarInt(lastIndex);
            return;
        }
        position = classIds.size() - 1;
        if (position == classIndexes.length) {
            classIndexes = Arrays.copyOf(classIndexes, position * 2);
        }
        classIndexes[position] = nextClass;
        lastIndex = nextClass;
        out.writeVarInt(nextClass++);
        out.writeByte(info.kind.tag);
        switch (info.kind) {
            case PLAIN:
            case REFERENCE:
            case OBJECT_ARRAY:
                out.writeString(info.type.getName());
                break;
            case HASH_MAP:
                out.writeString(info.type.getName());
                out.writeByte(info.mapType.ordinal());
                break;
            case ENUM:
                out.writeString(info.enumClass.getName());
                break;
            case PRIMITIVE_ARRAY:
            case BOXED:
                out.writeByte(info.code);
                break;
            case LAMBDA:
                writeLambdaShape(info.lambdaShape);
                break;
            default:
                break;
        }
        if (info.kind == Kind.PLAIN || info.kind == Kind.REFERENCE || info.kind == Kind.HASH_MAP
                || info.kind == Kind.LAMBDA) {
            out.writeVarInt(info.fields.length);
            for (FieldSlot f : info.fields) {
                out.writeString(f.name);
                out.writeString(f.typeName());
                out.writeVarInt(f.depth);
            }
        }
    }

    private void writeLambdaShape(LambdaShape s) throws IOException {
        out.writeString(s.capturingClass);
        out.writeString(s.functionalInterfaceClass);
        out.writeString(s.functionalInterfaceMethodName);
        out.writeString(s.functionalInterfaceMethodSignature);
        out.writeVarInt(s.implMethodKind);
        out.writeString(s.implClass);
        out.writeString(s.implMethodName);
        out.writeString(s.implMethodSignature);
        out.writeString(s.instantiatedMethodType);
        out.writeVarInt(s.markerInterfaces.length);
        for (String m : s.markerInterfaces) {
            out.writeString(m);
        }
        out.writeVarInt(s.bridgeSignatures.length);
        for (String b : s.bridgeSignatures) {
            out.writeString(b);
        }
    }
}

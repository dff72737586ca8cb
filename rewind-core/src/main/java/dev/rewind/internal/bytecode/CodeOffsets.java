package dev.rewind.internal.bytecode;

import org.objectweb.asm.ClassReader;

/**
 * Computes the bytecode offset (bci) of every instruction of one method straight from the class
 * file, so that a frame's bci from the stack walker can be mapped to an ASM instruction exactly.
 * ASM's tree API keeps instructions in class-file order but does not expose their offsets.
 */
final class CodeOffsets {
    private CodeOffsets() {
    }

    /**
     * @return the offsets of the method's instructions in order, or null when the method has no code
     * @throws IllegalArgumentException when the method is not in the class
     */
    static int[] of(byte[] classFile, String name, String descriptor) {
        ClassReader reader = new ClassReader(classFile);
        char[] buf = new char[reader.getMaxStringLength()];
        int p = reader.header + 6;
        p += 2 + 2 * reader.readUnsignedShort(p); // interfaces
        int fields = reader.readUnsignedShort(p);
        p += 2;
        for (int i = 0; i < fields; i++) {
            p = skipMember(reader, p);
        }
        int methods = reader.readUnsignedShort(p);
        p += 2;
        for (int i = 0; i < methods; i++) {
            String mName = reader.readUTF8(p + 2, buf);
            String mDesc = reader.readUTF8(p + 4, buf);
            if (mName.equals(name) && mDesc.equals(descriptor)) {
                return offsetsOfCode(reader, p, buf);
            }
            p = skipMember(reader, p);
        }
        throw new IllegalArgumentException("no method " + name + descriptor + " in " + reader.getClassName());
    }

    private static int skipMember(ClassReader reader, int p) {
        int attributes = reader.readUnsignedShort(p + 6);
        p += 8;
        for (int j = 0; j < attributes; j++) {
            p += 6 + reader.readInt(p + 2);
        }
        return p;
    }

    private static int[] offsetsOfCode(ClassReader reader, int member, char[] buf) {
        int attributes = reader.readUnsignedShort(member + 6);
        int p = member + 8;
        for (int j = 0; j < attributes; j++) {
            if ("Code".equals(reader.readUTF8(p, buf))) {
                int codeLength = reader.readInt(p + 10);
                return decode(reader, p + 14, codeLength);
            }
            p += 6 + reader.readInt(p + 2);
        }
        return null;
    }

    private static int[] decode(ClassReader reader, int start, int length) {
        int[] offsets = new int[length];
        int count = 0;
        int pc = 0;
        while (pc < length) {
            offsets[count++] = pc;
            pc += instructionLength(reader, start, pc);
        }
        int[] result = new int[count];
        System.arraycopy(offsets, 0, result, 0, count);
        return result;
    }

    /** Instruction lengths per JVMS §6.5; switches are padded to 4-byte alignment from the code start. */
    private static int instructionLength(ClassReader reader, int start, int pc) {
        int opcode = reader.readByte(start + pc) & 0xFF;
        switch (opcode) {
            case 0xAA: { // tableswitch
                int p = pc + 1 + ((4 - ((pc + 1) & 3)) & 3);
                int low = reader.readInt(start + p + 4);
                int high = reader.readInt(start + p + 8);
                return p - pc + 12 + 4 * (high - low + 1);
            }
            case 0xAB: { // lookupswitch
                int p = pc + 1 + ((4 - ((pc + 1) & 3)) & 3);
                int pairs = reader.readInt(start + p + 4);
                return p - pc + 8 + 8 * pairs;
            }
            case 0xC4: // wide
                return (reader.readByte(start + pc + 1) & 0xFF) == 0x84 ? 6 : 4;
            default:
                return LENGTHS[opcode];
        }
    }

    private static final int[] LENGTHS = new int[256];

    static {
        java.util.Arrays.fill(LENGTHS, 1);
        int[] two = {0x10, 0x12, 0x15, 0x16, 0x17, 0x18, 0x19, 0x36, 0x37, 0x38, 0x39, 0x3A, 0xA9, 0xBC};
        int[] three = {0x11, 0x13, 0x14, 0x84, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xBB, 0xBD, 0xC0, 0xC1,
            0xC6, 0xC7};
        for (int op : two) {
            LENGTHS[op] = 2;
        }
        for (int op : three) {
            LENGTHS[op] = 3;
        }
        for (int op = 0x99; op <= 0xA8; op++) { // if*, goto, jsr
            LENGTHS[op] = 3;
        }
        LENGTHS[0xB9] = 5; // invokeinterface
        LENGTHS[0xBA] = 5; // invokedynamic
        LENGTHS[0xC5] = 4; // multianewarray
        LENGTHS[0xC8] = 5; // goto_w
        LENGTHS[0xC9] = 5; // jsr_w
    }
}

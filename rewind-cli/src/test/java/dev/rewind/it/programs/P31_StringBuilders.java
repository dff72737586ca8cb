package dev.rewind.it.programs;

/**
 * StringBuilder state across checkpoints: in locals, in a static, on the operand stack in the
 * middle of an append chain ({@code sb.append("x").append(helper())}), switching from Latin-1 to
 * UTF-16 after a resume, insert/reverse/delete/setLength.
 */
public final class P31_StringBuilders {
    static final StringBuilder LOG = new StringBuilder("log:");

    static String helper(int i) {
        Ck.log("helper " + i + " before");
        Ck.point("P31 helper " + i);
        Ck.log("helper " + i + " after");
        return "[" + i + "]";
    }

    public static void main(String[] args) {
        int w = Ck.work();
        long h = 0;
        for (int rep = 0; rep < w; rep++) {
            StringBuilder sb = new StringBuilder();
            StringBuilder other = new StringBuilder("other");
            for (int i = 0; i < 3; i++) {
                sb.append("x").append(i).append(helper(i)).append(';');
                Ck.log("sb=" + sb);
            }
            sb.insert(0, "<<").reverse();
            Ck.log("reversed=" + sb + " cap>=len " + (sb.capacity() >= sb.length()));
            Ck.point("P31 reversed");
            sb.reverse().append('\u4e2d').append("\ud83d\ude00"); // becomes UTF-16 after the resume
            other.append(helper(7)).setLength(6);
            sb.deleteCharAt(0).replace(0, 1, "#");
            LOG.append(rep % 10).append(',');
            if (LOG.length() > 40) {
                LOG.delete(4, 24);
            }
            Ck.log("utf16 sb=" + sb.length() + " cps=" + sb.codePoints().sum() + " other=" + other + " log=" + LOG);
            h = Ck.mix(h, sb.toString());
            h = Ck.mix(h, other.toString());
        }
        Ck.done("h=" + Long.toHexString(h) + " log=" + LOG);
    }
}

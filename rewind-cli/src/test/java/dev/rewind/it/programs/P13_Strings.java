package dev.rewind.it.programs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Strings: Latin-1 and UTF-16 (compact strings), substrings, joins, formatting, a string switch; equality after resume. */
@ProgramSpec(hotEvery = 499, hotWork = 500)
public final class P13_Strings {
    static String global = "start";
    static final List<String> PARTS = new ArrayList<>();

    static int codePointSum(String s) {
        return s.codePoints().sum();
    }

    public static void main(String[] args) {
        int w = Ck.work();
        String latin = "caf\u00e9 cr\u00e8me";
        String utf16 = "\u4e2d\u6587 \ud83d\ude00 text";
        String built = new String(new char[] {'b', 'u', 'i', 'l', 't'});
        String empty = "";
        long h = 0;
        for (int round = 0; round < 5 * w; round++) {
            String sub = latin.substring(round % 4, 4 + round % 4);
            String up = utf16.toUpperCase(Locale.ROOT);
            String fmt = String.format(Locale.ROOT, "%05d|%-6s|%.3f|%x", round, sub, round / 7.0, round * 255);
            Ck.log("round " + round + " sub=" + sub + " fmt=" + fmt + " cps=" + codePointSum(up) + " built=" + built
                    + " empty=" + empty.isEmpty());
            Ck.point("P13 round " + round);
            String joined = String.join("-", sub, built, Integer.toString(round));
            PARTS.add(joined);
            if (PARTS.size() > 6) {
                PARTS.remove(0);
            }
            global = global + ":" + round;
            if (global.length() > 40) {
                global = global.substring(global.length() - 20);
            }
            String kind = switch (sub.charAt(0)) {
                case 'c' -> "starts-c";
                case 'a' -> "starts-a";
                default -> "other";
            };
            switch (joined.length() % 3) {
                case 0:
                    built = built.repeat(1) + round % 10;
                    break;
                default:
                    built = new StringBuilder(built).reverse().toString();
            }
            if (built.length() > 12) {
                built = built.substring(0, 5);
            }
            latin = latin + utf16.charAt(round % utf16.length());
            if (latin.length() > 16) {
                latin = "caf\u00e9 cr\u00e8me";
            }
            Ck.log("after " + round + " joined=" + joined + " kind=" + kind + " equalsCheck="
                    + joined.equals(String.join("-", sub, joined.split("-")[1], Integer.toString(round)))
                    + " latinCps=" + codePointSum(latin) + " hash=" + latin.hashCode() + "/" + utf16.hashCode());
            h = Ck.mix(h, joined);
            h = Ck.mix(h, latin);
            h = Ck.mix(h, up);
        }
        Ck.done("h=" + Long.toHexString(h) + " parts=" + PARTS + " global=" + global + " built=" + built
                + " utf16cps=" + codePointSum(utf16) + " len=" + utf16.length());
    }
}

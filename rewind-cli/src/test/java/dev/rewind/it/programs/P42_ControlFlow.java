package dev.rewind.it.programs;

/**
 * Control flow around checkpoints: a string switch, switch expressions with checkpointing arms,
 * do/while, labeled break, ternaries and instanceof patterns; the checkpoint sits in a different
 * branch each time.
 */
public final class P42_ControlFlow {
    static int ck(String where, int v) {
        Ck.log("ck " + where + " v=" + v);
        Ck.point("P42 " + where + " " + v);
        return v;
    }

    static Object pick(int i) {
        switch (i % 4) {
            case 0:
                return i;
            case 1:
                return "s" + i;
            case 2:
                return (long) i * 3;
            default:
                return new int[] {i};
        }
    }

    public static void main(String[] args) {
        int w = Ck.work();
        String[] commands = {"push", "pop", "peek", "noop", "push", "swap"};
        long acc = 0;
        int sp = 0;
        int[] stack = new int[16];
        for (int rep = 0; rep < w; rep++) {
            for (int i = 0; i < commands.length; i++) {
                String c = commands[i];
                switch (c) {
                    case "push":
                        stack[sp++ & 15] = ck("push", i);
                        break;
                    case "pop":
                        acc += sp > 0 ? stack[--sp & 15] : ck("pop-empty", -1);
                        break;
                    case "swap":
                        if (sp >= 2) {
                            int t = stack[(sp - 1) & 15];
                            stack[(sp - 1) & 15] = stack[(sp - 2) & 15];
                            stack[(sp - 2) & 15] = ck("swap", t);
                        }
                        break;
                    default:
                        acc += c.length();
                }
                int v = switch (c.length()) {
                    case 3 -> ck("len3", i);
                    case 4 -> {
                        int x = i * 2;
                        yield x + ck("len4", x);
                    }
                    default -> 0;
                };
                acc += v;
            }
            int n = 0;
            do {
                n++;
                Object o = pick(n + rep);
                String kind;
                if (o instanceof Integer x && x > 1) {
                    kind = "int" + ck("do-int", x);
                } else if (o instanceof String s) {
                    kind = "str" + s.length();
                } else if (o instanceof Long l) {
                    kind = "long" + l;
                } else {
                    kind = "other";
                }
                acc = acc * 7 + kind.hashCode() % 1000;
                Ck.log("do n=" + n + " kind=" + kind + " acc=" + acc);
            } while (n < 5);
            search:
            for (int a = 0; a < 4; a++) {
                for (int b = 0; b < 4; b++) {
                    if (a * b == 6) {
                        acc += ck("found", a * 10 + b);
                        break search;
                    }
                }
            }
        }
        Ck.done("acc=" + acc + " sp=" + sp);
    }
}

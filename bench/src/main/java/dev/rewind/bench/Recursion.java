package dev.rewind.bench;

/**
 * Recursion: naive fib, Ackermann(2, n), and the binary-trees benchmark (build and walk many
 * short-lived trees of small objects).
 */
public final class Recursion {
    private static final class Node {
        final Node left;
        final Node right;

        Node(Node left, Node right) {
            this.left = left;
            this.right = right;
        }

        int check() {
            return left == null ? 1 : 1 + left.check() + right.check();
        }
    }

    private Recursion() {
    }

    public static void main(String[] args) {
        int scale = Report.intArg(args, 0, 10);
        Report.print("recursion", Report.time(Math.max(1, scale / 5), scale, Recursion::work));
    }

    static long work(int scale) {
        long h = 0;
        for (int r = 0; r < scale; r++) {
            h = h * 31 + fib(27);
            h = h * 31 + ackermann(2, 2000 + r);
            for (int depth = 4; depth <= 16; depth += 2) {
                int iterations = 1 << (16 - depth + 4);
                long check = 0;
                for (int i = 0; i < iterations; i++) {
                    check += tree(depth).check();
                }
                h = h * 31 + check;
            }
        }
        return h;
    }

    static int fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    static int ackermann(int m, int n) {
        if (m == 0) {
            return n + 1;
        }
        if (n == 0) {
            return ackermann(m - 1, 1);
        }
        return ackermann(m - 1, ackermann(m, n - 1));
    }

    static Node tree(int depth) {
        return depth == 0 ? new Node(null, null) : new Node(tree(depth - 1), tree(depth - 1));
    }
}

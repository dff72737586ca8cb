package dev.rewind.it.programs;

/** Mutual recursion over a binary tree with checkpoints at many different depths (and on the way back up). */
@ProgramSpec(hotMethods = "P41_TreeWalk::visitLeft|P41_TreeWalk::visitRight")
public final class P41_TreeWalk {
    static final class TreeNode {
        final int key;
        TreeNode left;
        TreeNode right;
        long sum;

        TreeNode(int key) {
            this.key = key;
        }
    }

    static int visits;

    static TreeNode build(int lo, int hi) {
        if (lo > hi) {
            return null;
        }
        int mid = (lo + hi) >>> 1;
        TreeNode n = new TreeNode(mid);
        n.left = build(lo, mid - 1);
        n.right = build(mid + 1, hi);
        return n;
    }

    static long visitLeft(TreeNode n, int depth) {
        if (n == null) {
            return depth;
        }
        visits++;
        long l = visitRight(n.left, depth + 1);
        if (visits % 7 == 0) {
            Ck.log("visitLeft key=" + n.key + " depth=" + depth + " l=" + l);
            Ck.point("P41 left " + n.key);
        }
        long r = visitRight(n.right, depth + 1);
        n.sum = l * 3 + r + n.key;
        return n.sum % 1_000_003;
    }

    static long visitRight(TreeNode n, int depth) {
        if (n == null) {
            return -depth;
        }
        visits++;
        long r = visitLeft(n.right, depth + 1);
        long l = visitLeft(n.left, depth + 1);
        if (visits % 11 == 0) {
            Ck.log("visitRight key=" + n.key + " depth=" + depth + " r=" + r + " l=" + l);
            Ck.point("P41 right " + n.key);
        }
        n.sum = r * 5 - l + n.key;
        return n.sum % 1_000_033;
    }

    public static void main(String[] args) {
        int w = Ck.work();
        TreeNode root = build(1, 100);
        long h = 0;
        for (int rep = 0; rep < w; rep++) {
            long v = visitLeft(root, 0);
            h = Ck.mix(h, v);
            Ck.log("rep " + rep + " v=" + v + " rootSum=" + root.sum);
        }
        Ck.done("visits=" + visits + " h=" + Long.toHexString(h) + " rootSum=" + root.sum);
    }
}

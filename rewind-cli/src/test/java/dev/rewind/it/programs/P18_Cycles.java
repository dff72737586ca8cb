package dev.rewind.it.programs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** Cyclic object graphs: a circular doubly linked list, a directed graph with cycles and self loops, an array containing itself. */
public final class P18_Cycles {
    static final class Node {
        final int id;
        Node prev;
        Node next;
        int visits;

        Node(int id) {
            this.id = id;
        }
    }

    static final class Vertex {
        final String name;
        final List<Vertex> out = new ArrayList<>();
        Vertex self;
        int mark;

        Vertex(String name) {
            this.name = name;
            this.self = this;
        }
    }

    static Node ring;

    static void insertAfter(Node at, Node n) {
        n.prev = at;
        n.next = at.next;
        at.next.prev = n;
        at.next = n;
    }

    static void unlink(Node n) {
        n.prev.next = n.next;
        n.next.prev = n.prev;
    }

    static String ringString(Node start) {
        StringBuilder sb = new StringBuilder();
        Node n = start;
        do {
            sb.append(n.id).append(n.prev.next == n && n.next.prev == n ? "" : "!").append(' ');
            n = n.next;
        } while (n != start && sb.length() < 400);
        return sb.toString();
    }

    static String bfs(Vertex from, int stamp) {
        StringBuilder sb = new StringBuilder();
        ArrayDeque<Vertex> q = new ArrayDeque<>();
        q.add(from);
        from.mark = stamp;
        while (!q.isEmpty()) {
            Vertex v = q.poll();
            sb.append(v.name).append(v.self == v ? "" : "?");
            for (Vertex o : v.out) {
                if (o.mark != stamp) {
                    o.mark = stamp;
                    q.add(o);
                }
            }
        }
        return sb.toString();
    }

    public static void main(String[] args) {
        int w = Ck.work();
        Node head = new Node(0);
        head.prev = head;
        head.next = head;
        ring = head;
        for (int i = 1; i < 6; i++) {
            insertAfter(head.prev, new Node(i));
        }
        Vertex[] vs = new Vertex[6];
        for (int i = 0; i < vs.length; i++) {
            vs[i] = new Vertex("v" + i);
        }
        for (int i = 0; i < vs.length; i++) {
            vs[i].out.add(vs[(i + 1) % vs.length]);
            vs[i].out.add(vs[(i * 2) % vs.length]);
        }
        Object[] selfish = new Object[3];
        selfish[0] = selfish;
        selfish[1] = head;
        selfish[2] = vs[0];
        Node cursor = head;
        int nextId = 6;
        for (int round = 0; round < 6 * w; round++) {
            cursor = cursor.next.next;
            cursor.visits++;
            Ck.log("round " + round + " ring=" + ringString(ring) + " bfs=" + bfs(vs[round % vs.length], round + 1)
                    + " cursor=" + cursor.id);
            Ck.point("P18 round " + round);
            Node fresh = new Node(nextId++);
            insertAfter(cursor, fresh);
            if (round % 2 == 1) {
                Node victim = cursor.prev;
                if (victim != ring) {
                    unlink(victim);
                }
            }
            Vertex a = vs[round % vs.length];
            Vertex b = vs[(round * 5 + 1) % vs.length];
            if (a.out.size() > 3) {
                a.out.remove(0);
            }
            a.out.add(b);
            Ck.log("after " + round + " ring=" + ringString(cursor) + " selfishOk=" + (selfish[0] == selfish)
                    + " headOk=" + (selfish[1] == ring) + " v0Ok=" + (selfish[2] == vs[0]) + " loop=" + (cursor.next.prev == cursor));
        }
        long h = 0;
        Node n = ring;
        do {
            h = Ck.mix(Ck.mix(h, n.id), n.visits);
            n = n.next;
        } while (n != ring);
        Ck.done("ring=" + ringString(ring) + " bfs=" + bfs(vs[0], -1) + " h=" + Long.toHexString(h));
    }
}

package dev.rewind.it.programs;

/** Instance methods on the chain: fields of 'this' and of other instances change around checkpoints. */
@ProgramSpec(hotMethods = "P02_InstanceMethods::audit")
public final class P02_InstanceMethods {
    private final String name;
    private long balance;
    private int ops;
    private final long[] history = new long[8];
    private P02_InstanceMethods partner;

    P02_InstanceMethods(String name, long start) {
        this.name = name;
        this.balance = start;
    }

    void deposit(long amount) {
        long before = balance;
        balance += amount;
        ops++;
        record();
        audit("deposit " + amount, before);
    }

    long interest(int pct) {
        long before = balance;
        long gained = balance * pct / 100;
        balance += gained;
        ops++;
        record();
        audit("interest " + pct + "%", before);
        return gained;
    }

    void transferTo(long amount) {
        long mine = balance;
        balance -= amount;
        partner.deposit(amount);
        ops++;
        record();
        Ck.log(name + " transferred " + amount + " had " + mine + " partner now " + partner.balance);
    }

    private void record() {
        history[ops % history.length] = balance;
    }

    void audit(String what, long before) {
        Ck.log(name + " " + what + ": " + before + " -> " + balance + " (ops " + ops + ")");
        Ck.point(name + " " + what);
        Ck.log(name + " audited " + what + " delta=" + (balance - before));
    }

    long digest() {
        long h = Ck.mix(balance, ops);
        for (long v : history) {
            h = Ck.mix(h, v);
        }
        return Ck.mix(h, name);
    }

    public static void main(String[] args) {
        int w = Ck.work();
        P02_InstanceMethods a = new P02_InstanceMethods("alice", 1000);
        P02_InstanceMethods b = new P02_InstanceMethods("bob", 250);
        a.partner = b;
        b.partner = a;
        long interestSum = 0;
        for (int r = 0; r < 3 * w; r++) {
            a.deposit(100 + r % 50);
            interestSum += b.interest(r % 2 == 0 ? 3 : 5);
            if (r % 3 == 2) {
                a.transferTo(40 + r % 7);
            }
            if (r % w == 0) {
                System.out.println("round " + r / w + " alice=" + a.balance + " bob=" + b.balance);
            }
        }
        Ck.done("alice=" + a.balance + " bob=" + b.balance + " interest=" + interestSum
                + " digest=" + Long.toHexString(Ck.mix(a.digest(), b.digest())));
    }
}

package dev.rewind.it.programs;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/** BigInteger and BigDecimal values (with their cached fields) across checkpoints. */
@ProgramSpec(hotEvery = 499, hotWork = 500)
public final class P32_BigNumbers {
    static BigInteger factorial = BigInteger.ONE;

    public static void main(String[] args) {
        int w = Ck.work();
        BigInteger a = BigInteger.ZERO;
        BigInteger b = BigInteger.ONE;
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal third = BigDecimal.ONE.divide(BigDecimal.valueOf(3), new MathContext(40, RoundingMode.HALF_EVEN));
        BigInteger modulus = new BigInteger("170141183460469231731687303715884105727"); // 2^127 - 1
        for (int round = 0; round < 6 * w; round++) {
            for (int i = 0; i < 10; i++) {
                BigInteger t = a.add(b);
                a = b;
                b = t;
            }
            int k = round % 40 + 1;
            factorial = factorial.multiply(BigInteger.valueOf(k));
            if (factorial.bitLength() > 600) {
                factorial = BigInteger.ONE;
            }
            if (b.bitLength() > 900) {
                a = BigInteger.ZERO;
                b = BigInteger.ONE;
            }
            sum = sum.add(third.multiply(BigDecimal.valueOf(round + 1))).setScale(30, RoundingMode.HALF_UP);
            Ck.log("round " + round + " fib bits=" + b.bitLength() + " fib mod 1e9+7=" + b.mod(BigInteger.valueOf(1_000_000_007))
                    + " fact=" + factorial.toString(36) + " sum=" + sum.toPlainString());
            Ck.point("P32 round " + round);
            BigInteger pow = b.modPow(BigInteger.valueOf(65537), modulus);
            BigDecimal sq = sum.sqrt(new MathContext(25));
            Ck.log("after " + round + " pow=" + pow.toString(16) + " sqrt=" + sq + " precision=" + sum.precision()
                    + " signum=" + a.signum() + " lowestSetBit=" + b.getLowestSetBit() + " bitCount=" + b.bitCount());
        }
        Ck.done("a=" + a + " b=" + b.toString(7) + " fact=" + factorial + " sum=" + sum + " third=" + third);
    }
}

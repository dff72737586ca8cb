package dev.rewind.it.programs;

/** main with arguments (spaces, empty, quotes, '--', option-like and glob-like ones) that must reach the resumed JVM unchanged. */
@ProgramSpec(args = {"alpha", "two words", "", "--", "-Dnot.a.property=1", "--flag=x", "42", "7", "quote\"inside", "$HOME", "*", "tab\there"})
public final class P37_MainArgs {
    public static void main(String[] args) {
        int w = Ck.work();
        System.out.println("argc=" + args.length);
        for (int i = 0; i < args.length; i++) {
            System.out.println("arg[" + i + "]=<" + args[i] + "> len=" + args[i].length());
        }
        long sum = 0;
        for (int rep = 0; rep < w; rep++) {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                int v;
                try {
                    v = Integer.parseInt(a);
                } catch (NumberFormatException e) {
                    v = a.length();
                }
                if (i % 3 == 0) {
                    Ck.log("before arg " + i + " <" + a + ">");
                    Ck.point("P37 arg " + i);
                    Ck.log("after arg " + i + " <" + args[i] + "> still same=" + (a == args[i]));
                }
                sum += v * (i + 1);
            }
        }
        Ck.done("sum=" + sum + " args=" + String.join("|", args));
    }
}

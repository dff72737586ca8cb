package dev.rewind.it.programs;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * STRICT: identity of JDK-owned instances held across a resume. Java guarantees these ==
 * comparisons (string literals and interned strings, Integer/Character/Boolean caches, JDK enum
 * constants, Class objects) or the JDK relies on them internally (Collections.emptyList(),
 * Optional.empty(), natural-order comparator). The engine has to map them back to the new JVM's
 * instances instead of copying them. Each line tells which one broke.
 */
public final class P43_JdkIdentity {
    static Object[] held;

    public static void main(String[] args) {
        int w = Ck.work();
        String literal = "rewind-literal";
        String interned = new String("rewind-" + "interned".toUpperCase(Locale.ROOT)).intern();
        Integer small = 100;
        Character ch = 'q';
        Boolean flag = Boolean.TRUE;
        TimeUnit unit = TimeUnit.SECONDS;
        Class<?> klass = String.class;
        Class<?> appClass = P43_JdkIdentity.class;
        List<Object> empty = Collections.emptyList();
        Optional<Object> none = Optional.empty();
        Comparator<String> natural = Comparator.naturalOrder();
        Comparator<String> caseInsensitive = String.CASE_INSENSITIVE_ORDER;
        Locale root = Locale.ROOT;
        held = new Object[] {literal, small, unit, klass, empty};
        for (int round = 0; round < 3 * w; round++) {
            Ck.log("round " + round + " before");
            Ck.point("P43 round " + round);
            Ck.log("literal " + (literal == "rewind-literal"));
            Ck.log("interned " + (interned == "rewind-INTERNED"));
            Ck.log("integerCache " + (small == Integer.valueOf(100)));
            Ck.log("characterCache " + (ch == Character.valueOf('q')));
            Ck.log("booleanTrue " + (flag == Boolean.TRUE));
            Ck.log("jdkEnum " + (unit == TimeUnit.SECONDS) + " switch=" + (unit.ordinal() == 3));
            Ck.log("classObject " + (klass == String.class) + " appClass=" + (appClass == P43_JdkIdentity.class));
            Ck.log("emptyList " + (empty == Collections.emptyList()));
            Ck.log("optionalEmpty " + (none == Optional.empty()));
            Ck.log("naturalOrder " + (natural == Comparator.<String>naturalOrder()));
            Ck.log("caseInsensitive " + (caseInsensitive == String.CASE_INSENSITIVE_ORDER));
            Ck.log("localeRoot " + (root == Locale.ROOT));
            Ck.log("heldStatic " + (held[0] == literal) + (held[1] == small) + (held[2] == TimeUnit.SECONDS)
                    + (held[3] == String.class) + (held[4] == Collections.emptyList()));
        }
        Ck.done("literal=" + literal + " unit=" + unit + " klass=" + klass.getName());
    }
}

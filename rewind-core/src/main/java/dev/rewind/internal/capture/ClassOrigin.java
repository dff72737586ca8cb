package dev.rewind.internal.capture;

/** Where a class comes from: the JDK, Rewind itself, or the application. */
public final class ClassOrigin {
    /** Modules of the JDK image that the application class loader loads (jdk.compiler's source launcher...). */
    private static final ClassValue<Boolean> JDK = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            ClassLoader loader = type.getClassLoader();
            if (loader == null || loader == ClassLoader.getPlatformClassLoader()) {
                return true;
            }
            Module m = type.getModule();
            return m.isNamed() && java.lang.module.ModuleFinder.ofSystem().find(m.getName()).isPresent();
        }
    };

    private ClassOrigin() {
    }

    /** @return true for classes of the JDK (boot or platform loader, or a module of the JDK image) */
    public static boolean isJdk(Class<?> c) {
        return JDK.get(c);
    }

    /** @return true for Rewind's own runtime classes (not its public API types) */
    public static boolean isRewind(Class<?> c) {
        String name = c.getName();
        return name.startsWith("dev.rewind.internal.") || name.equals("dev.rewind.Rewind");
    }

    /** @return true for the program's own classes: what Rewind saves the statics of */
    public static boolean isApplication(Class<?> c) {
        return !c.isHidden() && !c.isArray() && !c.isPrimitive() && !isJdk(c) && !isRewind(c);
    }
}

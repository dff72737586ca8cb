package dev.rewind.internal.steps;

/**
 * One method as the fingerprint walk sees it: the class loader its owner is looked up through,
 * and the owner's internal name, the method's name and descriptor as they appear in bytecode.
 * Equality includes the loader (by identity), so one class name seen through two loaders is two
 * classes.
 */
record MethodRef(ClassLoader loader, String owner, String name, String descriptor) {
    /** @return "pkg.Class.method(desc)ret", the form {@link CodeFingerprint#methods()} lists */
    String display() {
        return owner.replace('/', '.') + "." + name + descriptor;
    }
}

package dev.rewind.internal.bytecode;

/**
 * Defines one class from given bytes and delegates everything else to the tests' loader, so that a
 * transformed copy of a class runs beside the original and is verified (it is not a boot class).
 */
public final class OneClassLoader extends ClassLoader {
    private final String name;
    private final byte[] bytes;

    /**
     * @param name the binary name of the class to define
     * @param bytes its class file
     */
    public OneClassLoader(String name, byte[] bytes) {
        super(OneClassLoader.class.getClassLoader());
        this.name = name;
        this.bytes = bytes;
    }

    @Override
    protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
        if (n.equals(name)) {
            synchronized (getClassLoadingLock(n)) {
                Class<?> c = findLoadedClass(n);
                return c != null ? c : defineClass(n, bytes, 0, bytes.length);
            }
        }
        return super.loadClass(n, resolve);
    }
}

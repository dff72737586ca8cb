package dev.rewind.internal.serial;

/**
 * Finds the classes a checkpoint refers to in the restoring JVM, usually through the program's class
 * loader. Rewind passes binary names as {@link Class#getName()} returns them: "demo.Sim$Cell",
 * "[I", "[Ljava.lang.String;". Primitive types never reach the resolver.
 */
@FunctionalInterface
public interface ClassResolver {
    /**
     * @param binaryName the class's binary name
     * @return the class, which need not be initialized
     * @throws ClassNotFoundException if the class does not exist in this JVM
     */
    Class<?> resolve(String binaryName) throws ClassNotFoundException;
}

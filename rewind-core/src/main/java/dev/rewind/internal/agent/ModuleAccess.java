package dev.rewind.internal.agent;

import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Opens java.base to Rewind's own module so that the stack walker, the field-exact serializer and
 * the internal Unsafe work without the user passing {@code --add-opens} flags.
 */
final class ModuleAccess {
    private ModuleAccess() {
    }

    static void openJavaBase(Instrumentation inst) {
        Module base = Object.class.getModule();
        Module rewind = ModuleAccess.class.getModule();
        Map<String, Set<Module>> opens = new HashMap<>();
        Map<String, Set<Module>> exports = new HashMap<>();
        for (String pkg : base.getPackages()) {
            opens.put(pkg, Set.of(rewind));
            exports.put(pkg, Set.of(rewind));
        }
        inst.redefineModule(base, Set.of(), exports, opens, Set.of(), Map.of());
    }
}

package dev.rewind.internal.restore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which methods need a restore prologue and at which call sites. Sites only accumulate, so a
 * prologue installed for one snapshot keeps working for the others; each method gets a stable
 * numeric id that its prologue passes to {@link RestoreRuntime#enter(int)}.
 */
public final class RestorePlan {
    private static final Map<String, Entry> BY_METHOD = new ConcurrentHashMap<>();
    private static final Map<String, Boolean> CLASSES = new ConcurrentHashMap<>();
    private static final List<String> IDS = new ArrayList<>();
    private static final java.util.Set<String> INITIALIZED = ConcurrentHashMap.newKeySet();

    private static final class Entry {
        final int id;
        final TreeSet<Integer> sites = new TreeSet<>();

        Entry(int id) {
            this.id = id;
        }
    }

    private RestorePlan() {
    }

    /**
     * Adds a site (index of the pending call among the method's original instructions).
     *
     * @return true when the site is new, so installed code must be transformed again
     */
    public static synchronized boolean addSite(String className, String method, String descriptor, int site) {
        String key = className + "." + method + descriptor;
        Entry e = BY_METHOD.computeIfAbsent(key, k -> {
            IDS.add(k);
            return new Entry(IDS.size() - 1);
        });
        CLASSES.put(className, Boolean.TRUE);
        return e.sites.add(site);
    }

    /**
     * Names the application classes whose static initialisers ran before the checkpoint: on
     * resume the saved statics are their state, so their initialisers must not run again (they
     * would print, count or register a second time).
     */
    public static void skipInitializers(java.util.Collection<String> classNames) {
        INITIALIZED.addAll(classNames);
    }

    /** @return true when the class's static initialiser must be skipped */
    public static boolean skipsInitializer(String className) {
        return INITIALIZED.contains(className);
    }

    /** @return true when some method of the class (binary name) needs a prologue */
    public static boolean covers(String className) {
        return CLASSES.containsKey(className);
    }

    /** @return the method's id, or -1 when it has no site */
    public static synchronized int idOf(String className, String method, String descriptor) {
        Entry e = BY_METHOD.get(className + "." + method + descriptor);
        return e == null ? -1 : e.id;
    }

    /** @return the method's sites in ascending order (the prologue's switch order), empty if none */
    public static synchronized int[] sitesOf(String className, String method, String descriptor) {
        Entry e = BY_METHOD.get(className + "." + method + descriptor);
        if (e == null) {
            return new int[0];
        }
        int[] out = new int[e.sites.size()];
        int i = 0;
        for (int site : e.sites) {
            out[i++] = site;
        }
        return out;
    }

    /** @return the position of a site in the method's switch, or -1 */
    public static synchronized int siteIndex(String className, String method, String descriptor, int site) {
        Entry e = BY_METHOD.get(className + "." + method + descriptor);
        return e == null || !e.sites.contains(site) ? -1 : e.sites.headSet(site).size();
    }
}

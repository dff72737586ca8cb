package dev.rewind.internal.serial;

import dev.rewind.internal.jvm.UnsafeAccess;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * The private fields of java.lang.ref.Reference that saving a WeakReference or SoftReference needs.
 * A restored reference must have this JVM's "no queue" marker rather than null in its queue field:
 * the JDK's reference handler thread relies on that.
 */
final class ReferenceLayout {
    static final long REFERENT;
    static final long QUEUE;
    /** ReferenceQueue.NULL of this JVM. */
    static final ReferenceQueue<?> NO_QUEUE;
    /** Class of ReferenceQueue.NULL and ReferenceQueue.ENQUEUED, which are never saved. */
    static final Class<?> MARKER_QUEUE_CLASS;

    static {
        try {
            REFERENT = UnsafeAccess.objectFieldOffset(Reference.class.getDeclaredField("referent"));
            QUEUE = UnsafeAccess.objectFieldOffset(Reference.class.getDeclaredField("queue"));
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("java.lang.ref.Reference has no field " + e.getMessage(), e);
        }
        NO_QUEUE = (ReferenceQueue<?>) UnsafeAccess.getReference(new WeakReference<>(null), QUEUE);
        MARKER_QUEUE_CLASS = NO_QUEUE.getClass();
    }

    private ReferenceLayout() {
    }

    /** @return the queue a reference was registered with, or null for none */
    static Object queueOf(Object reference) {
        Object q = UnsafeAccess.getReference(reference, QUEUE);
        return q == null || q.getClass() == MARKER_QUEUE_CLASS ? null : q;
    }
}

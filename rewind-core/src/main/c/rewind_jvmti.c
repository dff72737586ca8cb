/*
 * librewind-jvmti: the smallest JVMTI agent that makes Rewind's stack capture
 * see C2-optimised state.
 *
 * Problem: in C2-compiled frames, objects that escape analysis scalar-replaced
 * read as null through java.lang.LiveStackFrame.getLocals(), and locks C2
 * eliminated on them are missing from getMonitors().
 *
 * Fix: HotSpot's escape barrier (JDK-8227745, JDK 16+). When a JVMTI env holds
 * can_get_owned_monitor_info, GetOwnedMonitorInfo first runs
 * EscapeBarrier::deoptimize_objects(MaxJavaStackTraceDepth) on the target
 * thread: every compiled frame in the top MaxJavaStackTraceDepth frames that
 * has a non-escaping object in scope is deoptimised, its scalar-replaced
 * objects are reallocated on the heap and its eliminated locks are re-taken.
 * Calling it on the current thread right before the stack walk is therefore
 * enough; we do not even look at the result.
 *
 * Load with -agentpath:/abs/path/librewind-jvmti.so. The capability must be
 * added in Agent_OnLoad (JVM start): the barrier and the per-frame "non-escaping
 * object in scope" flags C2 records in its debug info are only armed when the
 * capability is held before methods get compiled.
 */
#include <jni.h>
#include <jvmti.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

static jvmtiEnv *rewind_jvmti = NULL;

JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *vm, char *options, void *reserved) {
    (void) options;
    (void) reserved;
    jvmtiEnv *env = NULL;
    /* 1.2 is accepted by every JDK since 7, including 17 and 25. */
    if ((*vm)->GetEnv(vm, (void **) &env, JVMTI_VERSION_1_2) != JNI_OK || env == NULL) {
        fprintf(stderr, "rewind-jvmti: cannot get a JVMTI environment; escape barrier disabled\n");
        return JNI_OK; /* never stop the JVM: Rewind reports the missing route in `rewind doctor` */
    }
    /*
     * ONLY can_get_owned_monitor_info. Deliberately NOT can_access_local_variables
     * or can_pop_frame: those make C2 keep dead locals alive / disable
     * optimisations globally and were measured to cost up to 3x.
     */
    jvmtiCapabilities caps;
    memset(&caps, 0, sizeof(caps));
    caps.can_get_owned_monitor_info = 1;
    jvmtiError err = (*env)->AddCapabilities(env, &caps);
    if (err != JVMTI_ERROR_NONE) {
        fprintf(stderr, "rewind-jvmti: AddCapabilities(can_get_owned_monitor_info) failed (%d); escape barrier disabled\n", (int) err);
        (*env)->DisposeEnvironment(env);
        return JNI_OK;
    }
    rewind_jvmti = env; /* success: print nothing */
    return JNI_OK;
}

/*
 * Bound to dev.rewind.internal.capture.EscapeBarrier.materialize0() without
 * System.load: HotSpot's native lookup falls back to searching JVMTI agent
 * libraries for Java_* symbols. Returns the jvmtiError (0 = ok); -1 when the
 * agent did not get its capability.
 */
JNIEXPORT jint JNICALL
Java_dev_rewind_internal_capture_EscapeBarrier_materialize0(JNIEnv *jni, jclass cls) {
    (void) jni;
    (void) cls;
    if (rewind_jvmti == NULL) {
        return -1;
    }
    jint count = 0;
    jobject *monitors = NULL;
    /* thread NULL = current thread: the barrier runs synchronously on our own stack. */
    jvmtiError err = (*rewind_jvmti)->GetOwnedMonitorInfo(rewind_jvmti, NULL, &count, &monitors);
    if (monitors != NULL) {
        /* The local references in the array die with this native frame; only the array needs freeing. */
        (*rewind_jvmti)->Deallocate(rewind_jvmti, (unsigned char *) monitors);
    }
    return (jint) err;
}

/* Bound to EscapeBarrier.loaded0(): 1 proves the binding works and the capability was granted, 0 means bound but disabled. */
JNIEXPORT jint JNICALL
Java_dev_rewind_internal_capture_EscapeBarrier_loaded0(JNIEnv *jni, jclass cls) {
    (void) jni;
    (void) cls;
    return rewind_jvmti != NULL ? 1 : 0;
}

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
 *
 * With the option start=JAR[,AGENT OPTIONS] (what `rewind run` passes) the
 * agent also starts Rewind in place of -javaagent, whose java.instrument module
 * costs ~40 ms of start-up and switches off CDS's archived module graph:
 *  - JAR (percent-encoded) joins the class path;
 *  - a ClassFileLoadHook makes lambdas serializable in C (lambda_patch.c), for
 *    application classes and the JDK classes whose lambdas end up in program
 *    state; once Java asks for it (NativeInstrumentation.transforming0) the
 *    hook first hands each class to Rewind's Java transformer, as
 *    java.instrument would;
 *  - at VMInit it calls AgentMain.nativeStart(AGENT OPTIONS);
 *  - the Java_..._NativeInstrumentation_* functions give Rewind the parts of
 *    java.lang.instrument.Instrumentation it uses.
 */
#include <jni.h>
#include <jvmti.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lambda_patch.h"

static jvmtiEnv *rewind_jvmti = NULL;  /* set when can_get_owned_monitor_info was granted */
static jvmtiEnv *start_jvmti = NULL;   /* set in start mode */
static char *start_options = NULL;     /* the agent options for AgentMain.nativeStart */
static jobject platform_loader = NULL; /* global ref, from VMInit on */
static jclass java_transformer = NULL; /* NativeInstrumentation, global ref, once Java transforms */
static jmethodID java_transform = NULL;
static __thread int in_java_transform = 0;

#define START_CLASS "dev/rewind/internal/agent/AgentMain"

/* Decodes %XX escapes and '+' in place, as URLDecoder does (the launchers URL-encode the jar path). */
static void percent_decode(char *s) {
    char *out = s;
    for (char *p = s; *p; p++) {
        if (*p == '+') {
            *out++ = ' ';
            continue;
        }
        if (*p == '%' && p[1] && p[2]) {
            char hex[3] = {p[1], p[2], 0};
            char *end = NULL;
            long v = strtol(hex, &end, 16);
            if (end == hex + 2) {
                *out++ = (char) v;
                p += 2;
                continue;
            }
        }
        *out++ = *p;
    }
    *out = 0;
}

static void halt(JNIEnv *jni, int code) {
    jclass runtime = (*jni)->FindClass(jni, "java/lang/Runtime");
    if (runtime != NULL) {
        jmethodID get = (*jni)->GetStaticMethodID(jni, runtime, "getRuntime", "()Ljava/lang/Runtime;");
        jmethodID h = (*jni)->GetMethodID(jni, runtime, "halt", "(I)V");
        jobject rt = get != NULL ? (*jni)->CallStaticObjectMethod(jni, runtime, get) : NULL;
        if (rt != NULL && h != NULL) {
            (*jni)->CallVoidMethod(jni, rt, h, (jint) code);
        }
    }
    exit(code);
}

static unsigned char *jvmti_alloc(size_t size, void *ctx) {
    unsigned char *mem = NULL;
    if ((*(jvmtiEnv *) ctx)->Allocate((jvmtiEnv *) ctx, (jlong) size, &mem) != JVMTI_ERROR_NONE) {
        return NULL;
    }
    return mem;
}

/* Mirrors RestoreTransformer.makesJdkLambdasSerializable. */
static int jdk_lambdas_serializable(const char *name) {
    return strncmp(name, "java/util/function/", 19) == 0 || strncmp(name, "java/util/stream/", 17) == 0
        || strcmp(name, "java/util/Comparator") == 0 || strcmp(name, "java/util/Map$Entry") == 0;
}

/* Rewind's Java transformer, when Java asked for it; returns 1 when it decided the class's bytes. */
static int transform_in_java(jvmtiEnv *jvmti, JNIEnv *jni, jclass redefined, jobject loader, const char *name,
        jobject pd, jint len, const unsigned char *data, jint *new_len, unsigned char **new_data) {
    jclass cls = __atomic_load_n(&java_transformer, __ATOMIC_ACQUIRE);
    jmethodID m = java_transform;
    if (cls == NULL || m == NULL || jni == NULL || in_java_transform) {
        return 0;
    }
    if ((*jni)->PushLocalFrame(jni, 8) != 0) {
        (*jni)->ExceptionClear(jni);
        return 0;
    }
    int decided = 0;
    jbyteArray bytes = (*jni)->NewByteArray(jni, len);
    jstring jname = bytes != NULL ? (*jni)->NewStringUTF(jni, name) : NULL;
    if (jname != NULL) {
        (*jni)->SetByteArrayRegion(jni, bytes, 0, len, (const jbyte *) data);
        in_java_transform = 1;
        jbyteArray out = (jbyteArray) (*jni)->CallStaticObjectMethod(jni, cls, m, loader, jname, redefined, pd, bytes);
        in_java_transform = 0;
        if ((*jni)->ExceptionCheck(jni)) {
            (*jni)->ExceptionClear(jni); /* the Java side reports its own failures; the class loads unchanged */
        } else if (out != NULL) {
            jsize n = (*jni)->GetArrayLength(jni, out);
            unsigned char *mem = jvmti_alloc((size_t) n, jvmti);
            if (mem != NULL) {
                (*jni)->GetByteArrayRegion(jni, out, 0, n, (jbyte *) mem);
                *new_data = mem;
                *new_len = n;
                decided = 1;
            }
        }
    }
    (*jni)->ExceptionClear(jni);
    (*jni)->PopLocalFrame(jni, NULL);
    return decided;
}

static void JNICALL on_class_file_load(jvmtiEnv *jvmti, JNIEnv *jni, jclass redefined, jobject loader,
        const char *name, jobject pd, jint len, const unsigned char *data, jint *new_len, unsigned char **new_data) {
    if (name == NULL || strncmp(name, "dev/rewind/internal/", 20) == 0 || strcmp(name, "dev/rewind/Rewind") == 0) {
        return;
    }
    if (transform_in_java(jvmti, jni, redefined, loader, name, pd, len, data, new_len, new_data)) {
        return;
    }
    if (loader == NULL) {
        if (!jdk_lambdas_serializable(name)) {
            return;
        }
    } else if (platform_loader == NULL || jni == NULL || (*jni)->IsSameObject(jni, loader, platform_loader)) {
        return; /* the platform loader's classes, or a loader before VMInit: JDK code */
    }
    unsigned char *out = NULL;
    size_t n = 0;
    if (rewind_patch_lambdas(data, (size_t) len, jvmti_alloc, jvmti, &out, &n) == 1) {
        *new_data = out;
        *new_len = (jint) n;
    }
}

static void JNICALL on_vm_init(jvmtiEnv *jvmti, JNIEnv *jni, jthread thread) {
    (void) jvmti;
    (void) thread;
    jclass cl = (*jni)->FindClass(jni, "java/lang/ClassLoader");
    jmethodID get = cl != NULL ? (*jni)->GetStaticMethodID(jni, cl, "getPlatformClassLoader", "()Ljava/lang/ClassLoader;")
        : NULL;
    jobject platform = get != NULL ? (*jni)->CallStaticObjectMethod(jni, cl, get) : NULL;
    if (platform == NULL || (*jni)->ExceptionCheck(jni)) {
        (*jni)->ExceptionDescribe(jni);
        fprintf(stderr, "[rewind] error: cannot find the JDK's platform class loader\n");
        halt(jni, 1);
    }
    platform_loader = (*jni)->NewGlobalRef(jni, platform);
    jclass start = (*jni)->FindClass(jni, START_CLASS);
    jmethodID m = start != NULL ? (*jni)->GetStaticMethodID(jni, start, "nativeStart", "(Ljava/lang/String;)V") : NULL;
    if (m == NULL) {
        (*jni)->ExceptionDescribe(jni);
        fprintf(stderr, "[rewind] error: cannot load Rewind's classes (%s) from the jar given to the native agent;"
            " is the jar there, and from the same build as librewind-jvmti?\n", START_CLASS);
        halt(jni, 1);
    }
    jstring options = (*jni)->NewStringUTF(jni, start_options);
    (*jni)->CallStaticVoidMethod(jni, start, m, options);
    if ((*jni)->ExceptionCheck(jni)) {
        (*jni)->ExceptionDescribe(jni);
        fprintf(stderr, "[rewind] error: Rewind could not start\n");
        halt(jni, 1);
    }
}

/* Start mode: returns JNI_OK, or JNI_ERR (the JVM does not start) with a message. */
static jint start(jvmtiEnv *env, const char *options) {
    char *jar = strdup(options + strlen("start="));
    char *comma = strchr(jar, ',');
    start_options = strdup(comma != NULL ? comma + 1 : "");
    if (comma != NULL) {
        *comma = 0;
    }
    percent_decode(jar);
    jvmtiCapabilities caps;
    memset(&caps, 0, sizeof(caps));
    caps.can_retransform_classes = 1;
    caps.can_generate_all_class_hook_events = 1;
    jvmtiError err = (*env)->AddCapabilities(env, &caps);
    if (err != JVMTI_ERROR_NONE) {
        fprintf(stderr, "[rewind] error: the JVM refused the native agent the JVMTI capability to transform classes"
            " (error %d)\n", (int) err);
        return JNI_ERR;
    }
    jvmtiEventCallbacks callbacks;
    memset(&callbacks, 0, sizeof(callbacks));
    callbacks.ClassFileLoadHook = on_class_file_load;
    callbacks.VMInit = on_vm_init;
    err = (*env)->SetEventCallbacks(env, &callbacks, (jint) sizeof(callbacks));
    if (err == JVMTI_ERROR_NONE) {
        err = (*env)->SetEventNotificationMode(env, JVMTI_ENABLE, JVMTI_EVENT_CLASS_FILE_LOAD_HOOK, NULL);
    }
    if (err == JVMTI_ERROR_NONE) {
        err = (*env)->SetEventNotificationMode(env, JVMTI_ENABLE, JVMTI_EVENT_VM_INIT, NULL);
    }
    if (err != JVMTI_ERROR_NONE) {
        fprintf(stderr, "[rewind] error: cannot set the native agent's JVMTI events (error %d)\n", (int) err);
        return JNI_ERR;
    }
    err = (*env)->AddToSystemClassLoaderSearch(env, jar);
    if (err != JVMTI_ERROR_NONE) {
        fprintf(stderr, "[rewind] error: cannot add %s to the class path (JVMTI error %d)\n", jar, (int) err);
        return JNI_ERR;
    }
    free(jar);
    start_jvmti = env;
    return JNI_OK;
}

JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *vm, char *options, void *reserved) {
    (void) reserved;
    jvmtiEnv *env = NULL;
    int starting = options != NULL && strncmp(options, "start=", 6) == 0;
    if ((*vm)->GetEnv(vm, (void **) &env, JVMTI_VERSION_9) != JNI_OK || env == NULL) {
        fprintf(stderr, "rewind-jvmti: cannot get a JVMTI environment; escape barrier disabled\n");
        return starting ? JNI_ERR : JNI_OK; /* never stop the JVM for the barrier alone: `rewind doctor` reports it */
    }
    /*
     * can_get_owned_monitor_info, and in start mode what class transformation needs. Deliberately NOT
     * can_access_local_variables or can_pop_frame: those make C2 keep dead locals alive / disable
     * optimisations globally and were measured to cost up to 3x.
     */
    jvmtiCapabilities caps;
    memset(&caps, 0, sizeof(caps));
    caps.can_get_owned_monitor_info = 1;
    jvmtiError err = (*env)->AddCapabilities(env, &caps);
    if (err != JVMTI_ERROR_NONE) {
        fprintf(stderr, "rewind-jvmti: AddCapabilities(can_get_owned_monitor_info) failed (%d); escape barrier disabled\n", (int) err);
    } else {
        rewind_jvmti = env; /* success: print nothing */
    }
    if (starting) {
        return start(env, options);
    }
    if (rewind_jvmti == NULL) {
        (*env)->DisposeEnvironment(env);
    }
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

/* ---- dev.rewind.internal.agent.NativeInstrumentation: Instrumentation in start mode ---- */

#define NI(name) Java_dev_rewind_internal_agent_NativeInstrumentation_##name

/* 1 when the agent started Rewind (start mode), else 0. */
JNIEXPORT jboolean JNICALL NI(started0)(JNIEnv *jni, jclass cls) {
    (void) jni;
    (void) cls;
    return start_jvmti != NULL ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jobjectArray JNICALL NI(loadedClasses0)(JNIEnv *jni, jclass cls) {
    (void) cls;
    jint count = 0;
    jclass *classes = NULL;
    if (start_jvmti == NULL || (*start_jvmti)->GetLoadedClasses(start_jvmti, &count, &classes) != JVMTI_ERROR_NONE) {
        return NULL;
    }
    jclass type = (*jni)->FindClass(jni, "java/lang/Class");
    jobjectArray out = type != NULL ? (*jni)->NewObjectArray(jni, count, type, NULL) : NULL;
    for (jint i = 0; i < count; i++) {
        if (out != NULL) {
            (*jni)->SetObjectArrayElement(jni, out, i, classes[i]);
        }
        (*jni)->DeleteLocalRef(jni, classes[i]);
    }
    (*start_jvmti)->Deallocate(start_jvmti, (unsigned char *) classes);
    return out;
}

/*
 * The loaded classes of the boot loader whose lambdas the hook makes serializable (jdk_lambdas_serializable):
 * the JDK classes an agent starting up may have to retransform. Filtering here rather than in Java keeps ~2 ms
 * of interpreted name lookups over ~700 classes out of the program's start-up.
 */
JNIEXPORT jobjectArray JNICALL NI(jdkLambdaCandidates0)(JNIEnv *jni, jclass cls) {
    (void) cls;
    jint count = 0;
    jclass *classes = NULL;
    if (start_jvmti == NULL || (*start_jvmti)->GetLoadedClasses(start_jvmti, &count, &classes) != JVMTI_ERROR_NONE) {
        return NULL;
    }
    jint kept = 0;
    for (jint i = 0; i < count; i++) {
        jobject loader = NULL;
        char *sig = NULL;
        int keep = 0;
        if ((*start_jvmti)->GetClassLoader(start_jvmti, classes[i], &loader) == JVMTI_ERROR_NONE && loader == NULL
                && (*start_jvmti)->GetClassSignature(start_jvmti, classes[i], &sig, NULL) == JVMTI_ERROR_NONE) {
            /* "Ljava/util/Comparator;": the internal name between L and ; (arrays and primitives start otherwise) */
            size_t n = strlen(sig);
            if (n > 2 && sig[0] == 'L' && sig[n - 1] == ';') {
                sig[n - 1] = 0;
                keep = jdk_lambdas_serializable(sig + 1);
            }
        }
        if (sig != NULL) {
            (*start_jvmti)->Deallocate(start_jvmti, (unsigned char *) sig);
        }
        if (loader != NULL) {
            (*jni)->DeleteLocalRef(jni, loader);
        }
        if (keep) {
            classes[kept++] = classes[i];
        } else {
            (*jni)->DeleteLocalRef(jni, classes[i]);
        }
    }
    jclass type = (*jni)->FindClass(jni, "java/lang/Class");
    jobjectArray out = type != NULL ? (*jni)->NewObjectArray(jni, kept, type, NULL) : NULL;
    for (jint i = 0; i < kept; i++) {
        if (out != NULL) {
            (*jni)->SetObjectArrayElement(jni, out, i, classes[i]);
        }
        (*jni)->DeleteLocalRef(jni, classes[i]);
    }
    (*start_jvmti)->Deallocate(start_jvmti, (unsigned char *) classes);
    return out;
}

/* RetransformClasses; returns the jvmtiError. */
JNIEXPORT jint JNICALL NI(retransform0)(JNIEnv *jni, jclass cls, jobjectArray targets) {
    (void) cls;
    if (start_jvmti == NULL) {
        return JVMTI_ERROR_MUST_POSSESS_CAPABILITY;
    }
    jsize n = (*jni)->GetArrayLength(jni, targets);
    if (n == 0) {
        return JVMTI_ERROR_NONE;
    }
    jclass *classes = calloc((size_t) n, sizeof(jclass));
    if (classes == NULL) {
        return JVMTI_ERROR_OUT_OF_MEMORY;
    }
    for (jsize i = 0; i < n; i++) {
        classes[i] = (jclass) (*jni)->GetObjectArrayElement(jni, targets, i);
    }
    jvmtiError err = (*start_jvmti)->RetransformClasses(start_jvmti, n, classes);
    for (jsize i = 0; i < n; i++) {
        (*jni)->DeleteLocalRef(jni, classes[i]);
    }
    free(classes);
    return (jint) err;
}

JNIEXPORT jboolean JNICALL NI(modifiable0)(JNIEnv *jni, jclass cls, jclass target) {
    (void) jni;
    (void) cls;
    jboolean modifiable = JNI_FALSE;
    if (start_jvmti == NULL || (*start_jvmti)->IsModifiableClass(start_jvmti, target, &modifiable) != JVMTI_ERROR_NONE) {
        return JNI_FALSE;
    }
    return modifiable;
}

/* AddModuleOpens (open) or AddModuleExports; returns the jvmtiError. */
JNIEXPORT jint JNICALL NI(addAccess0)(JNIEnv *jni, jclass cls, jobject module, jstring pkg, jobject to, jboolean open) {
    (void) cls;
    if (start_jvmti == NULL) {
        return JVMTI_ERROR_MUST_POSSESS_CAPABILITY;
    }
    const char *name = (*jni)->GetStringUTFChars(jni, pkg, NULL);
    if (name == NULL) {
        return JVMTI_ERROR_OUT_OF_MEMORY;
    }
    jvmtiError err = open ? (*start_jvmti)->AddModuleOpens(start_jvmti, module, name, to)
        : (*start_jvmti)->AddModuleExports(start_jvmti, module, name, to);
    (*jni)->ReleaseStringUTFChars(jni, pkg, name);
    return (jint) err;
}

/* AddToBootstrapClassLoaderSearch; returns the jvmtiError. */
JNIEXPORT jint JNICALL NI(appendToBootstrap0)(JNIEnv *jni, jclass cls, jstring path) {
    (void) cls;
    if (start_jvmti == NULL) {
        return JVMTI_ERROR_MUST_POSSESS_CAPABILITY;
    }
    const char *p = (*jni)->GetStringUTFChars(jni, path, NULL);
    if (p == NULL) {
        return JVMTI_ERROR_OUT_OF_MEMORY;
    }
    jvmtiError err = (*start_jvmti)->AddToBootstrapClassLoaderSearch(start_jvmti, p);
    (*jni)->ReleaseStringUTFChars(jni, path, p);
    return (jint) err;
}

/* From now on the hook hands classes to NativeInstrumentation.transform first. */
JNIEXPORT void JNICALL NI(transforming0)(JNIEnv *jni, jclass cls) {
    if (java_transformer != NULL) {
        return;
    }
    jmethodID m = (*jni)->GetStaticMethodID(jni, cls, "transform",
        "(Ljava/lang/ClassLoader;Ljava/lang/String;Ljava/lang/Class;Ljava/security/ProtectionDomain;[B)[B");
    if (m == NULL) {
        return; /* NoSuchMethodError is pending for the caller */
    }
    java_transform = m;
    __atomic_store_n(&java_transformer, (jclass) (*jni)->NewGlobalRef(jni, cls), __ATOMIC_RELEASE);
}

static unsigned char *malloc_alloc(size_t size, void *ctx) {
    (void) ctx;
    return malloc(size == 0 ? 1 : size);
}

/* The C lambda patch on a byte array, for tests: the patched bytes, null when nothing to do. */
JNIEXPORT jbyteArray JNICALL NI(patchLambdas0)(JNIEnv *jni, jclass cls, jbyteArray in) {
    (void) cls;
    jsize n = (*jni)->GetArrayLength(jni, in);
    unsigned char *bytes = malloc(n == 0 ? 1 : (size_t) n);
    if (bytes == NULL) {
        return NULL;
    }
    (*jni)->GetByteArrayRegion(jni, in, 0, n, (jbyte *) bytes);
    unsigned char *out = NULL;
    size_t out_len = 0;
    int rc = rewind_patch_lambdas(bytes, (size_t) n, malloc_alloc, NULL, &out, &out_len);
    free(bytes);
    jbyteArray result = NULL;
    if (rc == 1) {
        result = (*jni)->NewByteArray(jni, (jsize) out_len);
        if (result != NULL) {
            (*jni)->SetByteArrayRegion(jni, result, 0, (jsize) out_len, (const jbyte *) out);
        }
        free(out);
    } else if (rc < 0) {
        jclass iae = (*jni)->FindClass(jni, "java/lang/IllegalArgumentException");
        if (iae != NULL) {
            (*jni)->ThrowNew(jni, iae, rc == -2 ? "out of memory" : "malformed class file");
        }
    }
    return result;
}

package dev.rewind.internal.restore;

import java.util.Set;

/**
 * The JDK classes whose lambdas the agent makes serializable (see
 * {@link RestoreTransformer#makesJdkLambdasSerializable}) that have any lambda at all, on the JDKs
 * Rewind is tested on. At start-up the agent retransforms only these among the classes already
 * loaded: the JDK's own start-up loads about 40 stream and function classes, most without a lambda,
 * and each retransformation costs about half a millisecond. JdkLambdaClassesTest checks the list
 * against the running JDK's class files; on another JDK every candidate is retransformed.
 */
final class JdkLambdaClasses {
    /** On JDK 17 and 25: the classes of java.util.function and java.util.stream, Comparator and Map.Entry
     * that refer to LambdaMetafactory. */
    private static final Set<String> KNOWN = Set.of(
        "java/util/Comparator", "java/util/Map$Entry", "java/util/function/BiConsumer",
        "java/util/function/BiFunction", "java/util/function/BiPredicate", "java/util/function/BinaryOperator",
        "java/util/function/Consumer", "java/util/function/DoubleConsumer", "java/util/function/DoublePredicate",
        "java/util/function/DoubleUnaryOperator", "java/util/function/Function", "java/util/function/IntConsumer",
        "java/util/function/IntPredicate", "java/util/function/IntUnaryOperator", "java/util/function/LongConsumer",
        "java/util/function/LongPredicate", "java/util/function/LongUnaryOperator", "java/util/function/Predicate",
        "java/util/function/UnaryOperator", "java/util/stream/AbstractPipeline", "java/util/stream/Collectors",
        "java/util/stream/DistinctOps$1", "java/util/stream/DoublePipeline", "java/util/stream/DoublePipeline$5",
        "java/util/stream/DoublePipeline$5$1", "java/util/stream/DoubleStream",
        "java/util/stream/FindOps$FindSink$OfDouble", "java/util/stream/FindOps$FindSink$OfInt",
        "java/util/stream/FindOps$FindSink$OfLong", "java/util/stream/FindOps$FindSink$OfRef",
        "java/util/stream/ForEachOps$ForEachOrderedTask", "java/util/stream/GathererOp", "java/util/stream/Gatherers",
        "java/util/stream/Gatherers$3State", "java/util/stream/Gatherers$Composite",
        "java/util/stream/Gatherers$Composite$1State", "java/util/stream/IntPipeline",
        "java/util/stream/IntPipeline$7", "java/util/stream/IntPipeline$7$1", "java/util/stream/IntStream",
        "java/util/stream/LongPipeline", "java/util/stream/LongPipeline$6", "java/util/stream/LongPipeline$6$1",
        "java/util/stream/LongStream", "java/util/stream/MatchOps", "java/util/stream/Node",
        "java/util/stream/Node$OfDouble", "java/util/stream/Node$OfInt", "java/util/stream/Node$OfLong",
        "java/util/stream/Nodes", "java/util/stream/Nodes$CollectorTask$OfDouble",
        "java/util/stream/Nodes$CollectorTask$OfInt", "java/util/stream/Nodes$CollectorTask$OfLong",
        "java/util/stream/Nodes$CollectorTask$OfRef", "java/util/stream/ReferencePipeline",
        "java/util/stream/ReferencePipeline$10", "java/util/stream/ReferencePipeline$10$1",
        "java/util/stream/ReferencePipeline$8", "java/util/stream/ReferencePipeline$8$1",
        "java/util/stream/ReferencePipeline$9", "java/util/stream/ReferencePipeline$9$1",
        "java/util/stream/SliceOps$2", "java/util/stream/SliceOps$3", "java/util/stream/SliceOps$4",
        "java/util/stream/SortedOps$RefSortingSink", "java/util/stream/SpinedBuffer", "java/util/stream/Stream",
        "java/util/stream/StreamSpliterators$DistinctSpliterator",
        "java/util/stream/StreamSpliterators$DoubleWrappingSpliterator",
        "java/util/stream/StreamSpliterators$IntWrappingSpliterator",
        "java/util/stream/StreamSpliterators$LongWrappingSpliterator",
        "java/util/stream/StreamSpliterators$SliceSpliterator$OfDouble",
        "java/util/stream/StreamSpliterators$SliceSpliterator$OfInt",
        "java/util/stream/StreamSpliterators$SliceSpliterator$OfLong",
        "java/util/stream/StreamSpliterators$SliceSpliterator$OfRef",
        "java/util/stream/StreamSpliterators$WrappingSpliterator", "java/util/stream/Tripwire",
        "java/util/stream/WhileOps$2", "java/util/stream/WhileOps$2Op", "java/util/stream/WhileOps$3",
        "java/util/stream/WhileOps$3Op", "java/util/stream/WhileOps$4", "java/util/stream/WhileOps$4Op"
    );

    private JdkLambdaClasses() {
    }

    /** @return whether the list is complete for this JDK's feature version */
    static boolean covers(int feature) {
        return feature == 17 || feature == 25;
    }

    /** @return whether the JDK class (internal name) has lambdas, as far as the list knows */
    static boolean hasLambdas(String internalName) {
        return KNOWN.contains(internalName);
    }
}

import Testing

/// Every cloud-in-namespaces suite, run one test at a time: each builds a cloud of real agents,
/// and several at once on a 2-core machine turned timing-sensitive checks into coin flips.
@Suite(.serialized, .enabled(if: SimulatedCloud.isRoot, "needs root: builds network namespaces (run the tests as root)"))
enum EndToEnd {}

import Kernel

/// An ordered list of kernel operations, each on behalf of one object (a switch or port id, or the
/// name of a stale device): what a manager computes and the ``Reconciler`` applies.
public struct Plan: Equatable, Sendable {
    /// The operations in the order they must run.
    public var steps: [PlanStep]

    /// A plan of `steps`.
    public init(steps: [PlanStep] = []) {
        self.steps = steps
    }

    /// True when the kernel already matches: nothing to write.
    public var isEmpty: Bool { steps.isEmpty }

    /// Appends `operation` on behalf of `object`.
    public mutating func append(_ operation: KernelOperation, for object: String) {
        steps.append(PlanStep(object: object, operation: operation))
    }
}

/// One operation of a ``Plan`` and the object it is for: a failure is reported against that object,
/// and the object's later steps are skipped.
public struct PlanStep: Equatable, Sendable {
    /// The switch or port id, or a stale device's name.
    public var object: String
    /// The write to perform.
    public var operation: KernelOperation

    /// The step that performs `operation` for `object`.
    public init(object: String, operation: KernelOperation) {
        self.object = object
        self.operation = operation
    }
}

import Kernel

/// An ordered list of kernel operations, each on behalf of one object (a switch or port id, or the
/// name of a stale device): what a manager computes and the ``Reconciler`` applies.
public struct Plan: Equatable, Sendable {
    /// The operations in the order they must run.
    public var steps: [PlanStep]
    /// Objects the manager will not realize, and why (e.g. a value it cannot use): reported in the
    /// ack like a failed write, with no write made for them.
    public var refusals: [PlanRefusal] = []

    /// A plan of `steps`.
    public init(steps: [PlanStep] = []) {
        self.steps = steps
    }

    /// True when the kernel already matches: nothing to write and nothing refused.
    public var isEmpty: Bool { steps.isEmpty && refusals.isEmpty }

    /// Appends `operation` on behalf of `object`.
    public mutating func append(_ operation: KernelOperation, for object: String) {
        steps.append(PlanStep(object: object, operation: operation))
    }

    /// Records that `object` cannot be realized, and why; unless `skippingItsSteps` is false (a part
    /// of it is left out), its steps in this plan are not run either.
    public mutating func refuse(_ object: String, because reason: String, skippingItsSteps: Bool = true) {
        refusals.append(PlanRefusal(object: object, reason: reason, skipsSteps: skippingItsSteps))
    }
}

/// An object a plan leaves out on purpose (whole, or in part), and why.
public struct PlanRefusal: Equatable, Sendable {
    public var object: String
    public var reason: String
    public var skipsSteps: Bool
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
